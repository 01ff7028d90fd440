// 查阅申请 (第十八、十九条): what to view (clips chosen in the library, a whole
// case or a whole checkout), why (查阅事由, required) and for what (第十九条's
// purpose), for how long. The department head decides; until then nothing plays.
import { useState } from 'react';
import type { ViewPurpose } from '../../../shared/library.js';
import type { ViewRequest } from '../../../shared/viewing.js';
import { useStation } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Translate } from '../../i18n/i18n.js';
import { useViewingError } from './errors.js';
import { PurposeChoice } from './PurposeChoice.js';
import { DEFAULT_REQUEST_HOURS, hoursText, REQUEST_HOURS } from './words.js';

export interface RequestViewDialogProps {
  scope: 'clips' | 'case' | 'checkout';
  clipIds?: number[];
  caseId?: number;
  checkoutId?: number;
  onClose(): void;
  onDone?(r: ViewRequest): void;
}

export function RequestViewDialog({ scope, clipIds = [], caseId, checkoutId, onClose, onDone }: RequestViewDialogProps) {
  const { t } = useI18n();
  const { client } = useStation();
  const [purpose, setPurpose] = useState<ViewPurpose | null>(null);
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState<number>(DEFAULT_REQUEST_HOURS);
  const [missing, setMissing] = useState<{ purpose: boolean; reason: boolean }>({ purpose: false, reason: false });
  const [sent, setSent] = useState<ViewRequest | null>(null);
  const { busy, error, fieldError, run } = useSubmit();
  const errorText = useViewingError();

  const submit = () => {
    const lacking = { purpose: purpose === null, reason: !reason.trim() };
    setMissing(lacking);
    if (purpose === null || lacking.reason) return;
    void run(
      () =>
        client.call('viewing.request', {
          scope,
          purpose,
          reason: reason.trim(),
          hours,
          ...(scope === 'clips' ? { clipIds } : {}),
          ...(scope === 'case' && caseId !== undefined ? { caseId } : {}),
          ...(scope === 'checkout' && checkoutId !== undefined ? { checkoutId } : {}),
        }),
      (r) => {
        setSent(r);
        onDone?.(r);
      },
    );
  };

  if (sent) {
    return (
      <Dialog
        title={t('viewing.request.title')}
        onClose={onClose}
        actions={
          <>
            <a className="btn btn-secondary" href={href({ screen: 'viewingRequests' })} onClick={onClose}>
              {t('viewing.request.seeMine')}
            </a>
            <button type="button" className="btn btn-primary" onClick={onClose} data-autofocus>
              {t('common.close')}
            </button>
          </>
        }
      >
        <p className="alert alert-ok" role="status">
          {t('viewing.request.sent', { id: sent.id })}
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      title={t('viewing.request.title')}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('viewing.request.submit')} busy={busy} onCancel={onClose} />}
    >
      <ErrorAlert error={error} text={errorText(error)} />
      <p className="big-line">{whatText(t, scope, clipIds, caseId, checkoutId)}</p>
      <p className="muted">{t('viewing.request.rule')}</p>
      <PurposeChoice value={purpose} onChange={setPurpose} error={missing.purpose && purpose === null ? t('viewing.request.purposeRequired') : fieldError('purpose')} />
      <TextArea
        label={t('viewing.reasonLabel')}
        hint={t('viewing.request.reasonHint')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={missing.reason && !reason.trim() ? t('viewing.request.reasonRequired') : fieldError('reason')}
        maxLength={500}
        rows={3}
        required
      />
      <SelectField label={t('viewing.request.hours')} hint={t('viewing.request.hoursHint')} value={hours} onChange={(e) => setHours(Number(e.target.value))} error={fieldError('hours')}>
        {REQUEST_HOURS.map((h) => (
          <option key={h} value={h}>
            {hoursText(t, h)}
          </option>
        ))}
      </SelectField>
    </Dialog>
  );
}

function whatText(t: Translate, scope: RequestViewDialogProps['scope'], clipIds: number[], caseId?: number, checkoutId?: number): string {
  if (scope === 'case') return t('viewing.request.whatCase', { id: caseId ?? '—' });
  if (scope === 'checkout') return t('viewing.request.whatCheckout', { id: checkoutId ?? '—' });
  return t('viewing.request.whatClips', { n: clipIds.length, ids: clipIds.map((id) => `#${id}`).join(t('common.listSeparator')) });
}
