// 第五条: the 工作记录 for a work activity that went unrecorded: which of the
// three cases, what happened, when and where, the checkout it belongs to (if
// any), and the department head it is reported to. An officer files for
// themself; a custodian or 综合处 may file for an officer at the counter.
import { useState } from 'react';
import type { NoRecordingReason, NoRecordingRecord } from '../../../shared/custody.js';
import { noRecordingReasons } from '../../../shared/custody.js';
import type { PersonRef } from '../../../shared/domain.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea, TextField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';
import { localInput } from '../custody/time.js';

export function NoRecordForm({ onCancel, onFiled }: { onCancel(): void; onFiled(record: NoRecordingRecord): void }) {
  const { t } = useI18n();
  const { client, status } = useStation();
  const { session, can } = useSession();
  const time = useStationTime();
  const self: PersonRef = { id: session.person.id, badge: session.person.badge, name: session.person.name };
  const mayFileForOthers = can('custody.operate');
  const [officer, setOfficer] = useState<PersonRef | null>(self);
  const [reason, setReason] = useState<NoRecordingReason | null>(null);
  const [detail, setDetail] = useState('');
  const [occurredAt, setOccurredAt] = useState<string | null>(null);
  const [place, setPlace] = useState('');
  const [checkoutId, setCheckoutId] = useState('');
  const [headId, setHeadId] = useState<number | null>(null);
  const { busy, error, fieldError, run } = useSubmit();

  // The core's clock gives the default time (the browser's may differ); the
  // officer's own checkouts come with it.
  const mine = useQuery('custody.mine', {}, { refreshOn: ['custody.changed'] });
  const forSelf = officer?.id === self.id;
  const theirs = useQuery('custody.list', { officerId: officer?.id ?? 1, limit: 20 }, { enabled: !forSelf && officer !== null && can('custody.view') });
  const heads = useQuery('norecord.heads', {}, { refreshOn: ['people.changed'] });
  const coreNow = mine.result?.ok ? mine.result.value.asOf : null;
  const when = occurredAt ?? (coreNow !== null ? localInput(coreNow, status.timeZone) : '');
  const checkouts = forSelf ? (mine.result?.ok ? mine.result.value.checkouts : []) : theirs.result?.ok ? theirs.result.value.checkouts : [];
  const headList = heads.result?.ok ? heads.result.value : [];
  const ready = officer !== null && reason !== null && detail.trim() !== '' && when !== '' && place.trim() !== '' && headId !== null;

  const submit = async () => {
    if (!ready || officer === null || reason === null || headId === null) return;
    const input = {
      ...(forSelf ? {} : { officerId: officer.id }),
      ...(checkoutId ? { checkoutId: Number(checkoutId) } : {}),
      reason,
      detail,
      occurredAt: when,
      place,
      headId,
    };
    await run(() => client.call('norecord.file', input), onFiled);
  };

  return (
    <form
      className="card norecord-form"
      aria-labelledby="norecord-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="norecord-form-title" className="section-title">
        {t('norecord.formTitle')}
      </h2>
      <ErrorAlert error={error} />
      {mayFileForOthers && (
        <PersonPicker
          legend={t('norecord.officer')}
          value={officer}
          onChange={(p) => {
            setOfficer(p);
            setCheckoutId('');
          }}
          allowNone={false}
          error={fieldError('officerId')}
        />
      )}
      <fieldset className="fieldset">
        <legend className="field-label">{t('norecord.reason')}</legend>
        <p className="field-hint">{t('norecord.reasonHint')}</p>
        <div className="check-grid norecord-reasons">
          {noRecordingReasons.map((r) => (
            <label key={r} className="check-tile choice-tile">
              <input type="radio" name="norecord-reason" checked={reason === r} onChange={() => setReason(r)} />
              <span>
                <span className="check-tile-title">{t(`norecordReason.${r}`)}</span>
                <span className="check-tile-text">{t(`norecordClause.${r}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextArea
        label={t('norecord.detail')}
        hint={t('norecord.detailHint')}
        value={detail}
        onChange={(e) => setDetail(e.target.value)}
        error={fieldError('detail')}
        maxLength={1000}
        rows={4}
      />
      <div className="form-row">
        <TextField
          label={t('norecord.occurredAt')}
          type="datetime-local"
          value={when}
          onChange={(e) => setOccurredAt(e.target.value)}
          error={fieldError('occurredAt')}
        />
        <TextField label={t('norecord.place')} value={place} onChange={(e) => setPlace(e.target.value)} error={fieldError('place')} maxLength={200} />
      </div>
      <SelectField
        label={t('norecord.checkout')}
        optional={t('common.optional')}
        value={checkoutId}
        onChange={(e) => setCheckoutId(e.target.value)}
        error={fieldError('checkoutId')}
      >
        <option value="">{t('norecord.noCheckout')}</option>
        {checkouts.map((c) => (
          <option key={c.id} value={String(c.id)}>
            {t('norecord.checkoutOption', { serial: c.device.serial, at: time(c.checkedOutAt), work: t(`workType.${c.workType}`) })}
          </option>
        ))}
      </SelectField>
      <fieldset className={`fieldset${fieldError('headId') ? ' field-invalid' : ''}`}>
        <legend className="field-label">{t('norecord.head')}</legend>
        {heads.result && !heads.result.ok && <ErrorAlert error={heads.result.error} />}
        {heads.result?.ok && headList.length === 0 && <p className="alert alert-warn">{t('norecord.noHeads')}</p>}
        <div className="check-grid">
          {headList.map((h) => (
            <label key={h.id} className="check-tile">
              <input type="radio" name="norecord-head" checked={headId === h.id} onChange={() => setHeadId(h.id)} />
              <span>
                <span className="check-tile-title">{h.name}</span>
                <span className="check-tile-text">
                  {t('common.badge')} {h.badge}
                  {h.unit ? ` · ${h.unit}` : ''}
                </span>
              </span>
            </label>
          ))}
        </div>
        {fieldError('headId') && <p className="field-error">{fieldError('headId')}</p>}
      </fieldset>
      <div className="button-row">
        <SubmitActions label={t('norecord.submit')} busy={busy} disabled={!ready} large onCancel={onCancel} />
      </div>
    </form>
  );
}
