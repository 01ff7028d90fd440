// Turns an error result into what a person reads: one translated sentence per
// error code (saying what to do next), and per-field messages for forms. The
// core's own message is bilingual but technical; it is never shown as is.
import type { StationErrorBody } from '../../shared/errors.js';
import type { Translate } from '../i18n/i18n.js';
import { formatStationTime } from '../i18n/time.js';

export interface FieldIssue {
  path: string;
  message: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

export function issuesOf(error: StationErrorBody): FieldIssue[] {
  const issues = record(error.details)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i) => {
    const r = record(i);
    return r && typeof r.path === 'string' ? [{ path: r.path, message: String(r.message ?? '') }] : [];
  });
}

/** Per-code variants chosen from details: which secret is missing, until when locked. */
export function errorSentence(t: Translate, error: StationErrorBody, timeZone: string): string {
  const details = record(error.details);
  switch (error.code) {
    case 'account_locked': {
      const until = details?.until;
      return typeof until === 'number'
        ? t('errors.account_locked', { until: formatStationTime(until, timeZone) })
        : t('errors.account_locked_later');
    }
    case 'no_secret_set':
      if (details?.kind === 'pin') return t('errors.no_secret_set_pin');
      if (details?.kind === 'password') return t('errors.no_secret_set_password');
      return t('errors.no_secret_set');
    default:
      return t(`errors.${error.code}`);
  }
}

/**
 * The message for one form field, or undefined when the error is not about it:
 * schema issues name the field in their path (`roles.0` belongs to `roles`);
 * `conflict` and `invalid_state` name it in details.field.
 */
export function fieldError(t: Translate, error: StationErrorBody | null, field: string, has: (key: string) => boolean): string | undefined {
  if (!error) return undefined;
  if (error.code === 'invalid_input') {
    // `field` may name a nested input ('exception.reason'): an issue at it or inside it counts.
    const hit = issuesOf(error).some((i) => i.path === field || i.path.startsWith(`${field}.`));
    if (!hit) return undefined;
    const leaf = field.split('.').at(-1)!;
    return has(`validation.${leaf}`) ? t(`validation.${leaf}`) : t('validation.generic');
  }
  if (record(error.details)?.field === field) {
    if (error.code === 'conflict') return has(`conflicts.${field}`) ? t(`conflicts.${field}`) : t('errors.conflict');
    if (error.code === 'invalid_state' && field === 'keeperId') return t('validation.keeperInactive');
  }
  return undefined;
}
