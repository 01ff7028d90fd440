// "Are you sure?" for changes that matter (deactivate a person, retire a
// camera), optionally asking the reason the audit log keeps with the change.
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFieldErrors } from '../context.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { NoteField } from './Field.js';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'normal';
  /** Ask for a reason (required) before confirming. */
  reason?: { label: string; hint?: string };
  onCancel(): void;
  /** Resolves to the error to show, or null when done (the parent then closes us). */
  onConfirm(reason: string): Promise<StationErrorBody | null>;
  /** The screen's own sentence for an error, where it has a better one than the code's. */
  errorText?: (error: StationErrorBody | null) => string | undefined;
  /** Room for a summary of what is being decided (a request, an export). */
  wide?: boolean;
}

export function ConfirmDialog({ title, children, confirmLabel, tone = 'normal', reason, onCancel, onConfirm, errorText, wide }: ConfirmDialogProps) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  const confirm = async () => {
    if (reason && !text.trim()) return setMissing(true);
    setMissing(false);
    setBusy(true);
    const e = await onConfirm(text.trim());
    setBusy(false);
    setError(e);
  };

  return (
    <Dialog
      title={title}
      tone={tone}
      onClose={onCancel}
      wide={wide}
      onSubmit={() => void confirm()}
      actions={
        <>
          <button type="submit" className={`btn ${tone === 'danger' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
            {busy ? t('common.working') : confirmLabel}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onCancel} data-autofocus={tone === 'danger' && !reason ? true : undefined}>
            {t('common.cancel')}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} text={errorText?.(error)} />
      <div className="confirm-text">{children}</div>
      {reason && (
        <NoteField
          label={reason.label}
          hint={reason.hint}
          value={text}
          onChange={setText}
          error={missing ? t('validation.reasonRequired') : fieldError('reason')}
          autoFocus
        />
      )}
    </Dialog>
  );
}
