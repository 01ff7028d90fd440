// The buttons under a form: submit (saying "working" while the call runs, so a
// second press cannot send it twice) and cancel. Put in a Dialog's actions, or
// in a button row under a form on the page.
import { useI18n } from '../../i18n/i18n.js';

export function SubmitActions({
  label,
  busy,
  disabled = false,
  large = false,
  onCancel,
}: {
  label: string;
  busy: boolean;
  /** Not ready to send (a required field still empty). */
  disabled?: boolean;
  large?: boolean;
  onCancel(): void;
}) {
  const { t } = useI18n();
  return (
    <>
      <button type="submit" className={`btn btn-primary${large ? ' btn-large' : ''}`} disabled={disabled || busy}>
        {busy ? t('common.working') : label}
      </button>
      <button type="button" className="btn btn-secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </>
  );
}
