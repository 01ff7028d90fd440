// The viewing calls' refusals in words that fit them. The shared sentence for
// `forbidden` ("your role may not…") would mislead a head who may approve but
// not their own request, or whose role is not the station's approver; the core
// says which case it is in the error's details.
import type { StationErrorBody } from '../../../shared/errors.js';
import { useErrorText } from '../../app/context.js';
import { useI18n } from '../../i18n/i18n.js';

function details(error: StationErrorBody): Record<string, unknown> {
  return typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
}

/**
 * `ownKey`: what a `forbidden` without details means where it is shown (deciding one's own
 * request, withdrawing someone else's); the dispatcher's refusal names a permission instead.
 */
export function useViewingError(ownKey?: string): (error: StationErrorBody | null) => string | undefined {
  const { t } = useI18n();
  const sentence = useErrorText();
  return (error) => {
    if (!error) return undefined;
    const d = details(error);
    if (error.code === 'forbidden') {
      if (typeof d.approverRole === 'string') return t('viewing.errors.notApprover', { role: t(`roles.${d.approverRole}`) });
      if (d.field === 'granteeId') return t('viewing.errors.grantSelf');
      if (d.permission === undefined && ownKey) return t(ownKey);
    }
    if (error.code === 'invalid_state') {
      if (typeof d.state === 'string') return t('viewing.errors.decided', { state: t(`viewing.state.${d.state}`) });
      if (d.field === 'granteeId' || d.field === 'id') return t('viewing.errors.cannotView');
    }
    return sentence(error);
  };
}
