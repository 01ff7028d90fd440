// A department head's two answers to an export that waits (第二十条): approve, with an optional
// note, or refuse with the reason 综合处 reads. The core refuses a decision on one's own export;
// the dialog then says so.
import { useState } from 'react';
import type { ExportRecord } from '../../../shared/export.js';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { useExportError } from './errors.js';
import { ExportSummary } from './ExportSummary.js';

export function ApproveExportDialog({ record, onClose, onDone }: { record: ExportRecord; onClose(): void; onDone(r: ExportRecord): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [note, setNote] = useState('');
  const { busy, error, fieldError, run } = useSubmit();
  const errorText = useExportError();
  const submit = () => void run(() => client.call('exports.approve', { id: record.id, ...(note.trim() ? { note: note.trim() } : {}) }), onDone);
  return (
    <Dialog title={t('exports.approveTitle')} onClose={onClose} wide onSubmit={submit} actions={<SubmitActions label={t('exports.approve')} busy={busy} onCancel={onClose} />}>
      <ErrorAlert error={error} text={errorText(error)} />
      <ExportSummary record={record} />
      <p className="muted">{t('exports.approveText')}</p>
      <TextArea label={t('exports.approveNote')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} error={fieldError('note')} maxLength={500} rows={2} data-autofocus />
    </Dialog>
  );
}

export function RefuseExportDialog({ record, onClose, onDone }: { record: ExportRecord; onClose(): void; onDone(r: ExportRecord): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const errorText = useExportError();
  return (
    <ConfirmDialog
      title={t('exports.refuseTitle')}
      confirmLabel={t('exports.refuse')}
      tone="danger"
      wide
      reason={{ label: t('exports.refuseReason'), hint: t('exports.refuseReasonHint') }}
      errorText={errorText}
      onCancel={onClose}
      onConfirm={async (reason) => {
        const r = await client.call('exports.refuse', { id: record.id, reason });
        if (!r.ok) return r.error;
        onDone(r.value);
        return null;
      }}
    >
      <ExportSummary record={record} />
    </ConfirmDialog>
  );
}
