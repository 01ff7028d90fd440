// The export calls' refusals in words that fit them. The shared sentence for `invalid_state`
// ("refresh and look") says nothing of where the export stands; the core names its state.
// A `forbidden` without a permission named is the core's finer rule: a head may not decide an
// export they made themself.
import type { StationErrorBody } from '../../../shared/errors.js';
import { useErrorText } from '../../app/context.js';
import { useI18n } from '../../i18n/i18n.js';

function details(error: StationErrorBody): Record<string, unknown> {
  return typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
}

/** The core's own rules (not the schema's) name the field they refused in an issue's path. */
function issuesAt(d: Record<string, unknown>, field: string): boolean {
  return Array.isArray(d.issues) && d.issues.some((i: unknown) => typeof i === 'object' && i !== null && (i as { path?: unknown }).path === field);
}

export function useExportError(): (error: StationErrorBody | null) => string | undefined {
  const { t } = useI18n();
  const sentence = useErrorText();
  return (error) => {
    if (!error) return undefined;
    const d = details(error);
    if (error.code === 'forbidden' && d.permission === undefined) return t('exports.errors.own');
    if (error.code === 'invalid_state' && typeof d.state === 'string') return t('exports.errors.state', { state: t(`exports.state.${d.state}`) });
    if (error.code === 'invalid_state' && d.field === 'recipient') return t('exports.errors.recipientInactive');
    if (error.code === 'invalid_state' && d.field === 'caseId') return t('exports.errors.caseEmpty');
    if (error.code === 'invalid_input' && issuesAt(d, 'recipient')) return t('exports.errors.recipient');
    if (error.code === 'invalid_input' && issuesAt(d, 'clipIds')) return t('exports.errors.clipNotInCase');
    return sentence(error);
  };
}
