// The approver's two answers to a view request (第十八条): approve for a time
// (what was asked, unless the head gives less or more) with an optional note,
// or refuse with a reason the requester reads. The core refuses a decision on
// one's own request; the dialog then says so.
import { useState } from 'react';
import type { ViewGrant, ViewRequest } from '../../../shared/viewing.js';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { useViewingError } from './errors.js';
import { RequestScope } from './RequestTable.js';
import { hoursText, personText, purposeText, REQUEST_HOURS } from './words.js';

function RequestSummary({ request: r }: { request: ViewRequest }) {
  const { t } = useI18n();
  return (
    <dl className="facts">
      <dt>{t('viewing.col.requester')}</dt>
      <dd>{personText(t, r.requester)}</dd>
      <dt>{t('viewing.col.purpose')}</dt>
      <dd>{purposeText(t, r.purpose)}</dd>
      <dt>{t('viewing.col.reason')}</dt>
      <dd className="break">{r.reason}</dd>
      <dt>{t('viewing.col.clips')}</dt>
      <dd>
        <RequestScope request={r} />
      </dd>
      <dt>{t('viewing.col.hours')}</dt>
      <dd>{hoursText(t, r.hours)}</dd>
    </dl>
  );
}

export function ApproveDialog({ request, onClose, onDone }: { request: ViewRequest; onClose(): void; onDone(r: { request: ViewRequest; grant: ViewGrant }): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [hours, setHours] = useState(request.hours);
  const [note, setNote] = useState('');
  const { busy, error, fieldError, run } = useSubmit();
  const errorText = useViewingError('viewing.errors.ownRequest');
  // What was asked stays a choice even when it is not one of the usual lengths.
  const choices = [...new Set([...REQUEST_HOURS, request.hours])].sort((a, b) => a - b);
  const submit = () => void run(() => client.call('viewing.approve', { id: request.id, hours, ...(note.trim() ? { note: note.trim() } : {}) }), onDone);
  return (
    <Dialog title={t('viewing.approveTitle')} onClose={onClose} wide onSubmit={submit} actions={<SubmitActions label={t('viewing.approve')} busy={busy} onCancel={onClose} />}>
      <ErrorAlert error={error} text={errorText(error)} />
      <RequestSummary request={request} />
      <SelectField label={t('viewing.approveHours')} hint={t('viewing.approveHoursHint')} value={hours} onChange={(e) => setHours(Number(e.target.value))} error={fieldError('hours')} data-autofocus>
        {choices.map((h) => (
          <option key={h} value={h}>
            {hoursText(t, h)}
          </option>
        ))}
      </SelectField>
      <TextArea label={t('viewing.approveNote')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} error={fieldError('note')} maxLength={500} rows={2} />
    </Dialog>
  );
}

export function RefuseDialog({ request, onClose, onDone }: { request: ViewRequest; onClose(): void; onDone(r: ViewRequest): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const errorText = useViewingError('viewing.errors.ownRequest');
  return (
    <ConfirmDialog
      title={t('viewing.refuseTitle')}
      confirmLabel={t('viewing.refuse')}
      tone="danger"
      wide
      reason={{ label: t('viewing.refuseReason'), hint: t('viewing.refuseReasonHint') }}
      errorText={errorText}
      onCancel={onClose}
      onConfirm={async (reason) => {
        const r = await client.call('viewing.refuse', { id: request.id, reason });
        if (!r.ok) return r.error;
        onDone(r.value);
        return null;
      }}
    >
      <RequestSummary request={request} />
    </ConfirmDialog>
  );
}
