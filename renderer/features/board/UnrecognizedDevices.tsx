// A volume no camera profile matches (a USB stick, or a camera model the
// station has no profile for) is ignored and nothing is copied (issue 3): the
// person who plugged it in is told so here, on the board and on the public
// dock status, instead of waiting for an offload that never starts. The
// notice goes after a minute, or when dismissed; the station keeps no record
// of such volumes, so nothing here is persisted.
import { useEffect, useState } from 'react';
import type { UnrecognizedCause } from '../../../shared/events.js';
import { unrecognizedText } from './unrecognized-text.js';
import { useStation } from '../../app/context.js';
import { useI18n } from '../../i18n/i18n.js';

const SHOWN_FOR_MS = 60_000;

interface Seen {
  volumeId: string;
  label: string | null;
  cause: UnrecognizedCause;
}

export function UnrecognizedDevices() {
  const { t } = useI18n();
  const { client } = useStation();
  const [seen, setSeen] = useState<Seen[]>([]);
  useEffect(() => {
    const timers = new Set<number>();
    const off = client.on('dock.unrecognized', ({ volumeId, label, cause }) => {
      setSeen((s) => [...s.filter((v) => v.volumeId !== volumeId), { volumeId, label, cause }]);
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        setSeen((s) => s.filter((v) => v.volumeId !== volumeId));
      }, SHOWN_FOR_MS);
      timers.add(timer);
    });
    return () => {
      off();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [client]);
  // The live region is always there, so a screen reader announces a notice as it arrives.
  return (
    <div role="status" aria-label={t('unrecognized.title')}>
      {seen.length > 0 && (
        <ul className="unrecognized">
          {seen.map((v) => (
            <li key={v.volumeId} className="alert alert-warn unrecognized-item">
              <span>{unrecognizedText(t, v)}</span>
              <button type="button" className="btn btn-secondary" onClick={() => setSeen((s) => s.filter((x) => x.volumeId !== v.volumeId))}>
                {t('unrecognized.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
