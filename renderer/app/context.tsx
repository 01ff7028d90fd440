// What every screen may ask for: the client and the station's status (time
// zone, name) everywhere; the session only inside the logged-in shell.
import { createContext, useCallback, useContext } from 'react';
import type { SessionInfo, StationStatus } from '../../shared/domain.js';
import type { StationErrorBody } from '../../shared/errors.js';
import type { Permission } from '../../shared/roles.js';
import { useI18n } from '../i18n/i18n.js';
import { formatStationTime } from '../i18n/time.js';
import type { StationClient } from './client.js';
import { errorSentence, fieldError } from './errors.js';

export interface StationValue {
  client: StationClient;
  status: StationStatus;
}

export const StationContext = createContext<StationValue | null>(null);

export function useStation(): StationValue {
  const v = useContext(StationContext);
  if (!v) throw new Error('useStation outside the station shell');
  return v;
}

export interface SessionValue {
  session: SessionInfo;
  can(permission: Permission): boolean;
  logout(): void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside a logged-in screen');
  return v;
}

/** Formats epoch ms in the station's time zone. */
export function useStationTime(): (ms: number) => string {
  const { status } = useStation();
  return useCallback((ms: number) => formatStationTime(ms, status.timeZone), [status.timeZone]);
}

/** The translated sentence for an error result. */
export function useErrorText(): (error: StationErrorBody) => string {
  const { t } = useI18n();
  const { status } = useStation();
  return useCallback((error: StationErrorBody) => errorSentence(t, error, status.timeZone), [t, status.timeZone]);
}

/** A field's message for the form's last error. */
export function useFieldErrors(error: StationErrorBody | null): (field: string) => string | undefined {
  const { t, has } = useI18n();
  return useCallback((field: string) => fieldError(t, error, field, has), [t, has, error]);
}
