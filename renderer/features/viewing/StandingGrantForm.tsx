// 长期授权: the head's approval given ahead (第十八条), for example to 综合处 for
// 执法监督 for a month, over every clip that is not secret, or one case's or one
// checkout's. It never opens a 商业秘密 or 国家秘密 clip: those need a request each.
import { useId, useState } from 'react';
import type { PersonRef } from '../../../shared/domain.js';
import type { ViewPurpose } from '../../../shared/library.js';
import type { StandingScope, ViewGrant } from '../../../shared/viewing.js';
import { standingScopes } from '../../../shared/viewing.js';
import { useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea, TextField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';
import { useViewingError } from './errors.js';
import { PurposeChoice } from './PurposeChoice.js';
import { DEFAULT_STANDING_DAYS, STANDING_DAYS } from './words.js';

// A field flagged on submit stays flagged only while it is still empty.
type Missing = Partial<Record<'grantee' | 'purpose' | 'reason' | 'caseId' | 'checkoutId', boolean>>;

export function StandingGrantForm({ onCancel, onGranted }: { onCancel(): void; onGranted(g: ViewGrant): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const scopeName = useId();
  const [grantee, setGrantee] = useState<PersonRef | null>(null);
  const [purpose, setPurpose] = useState<ViewPurpose | null>(null);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<number>(DEFAULT_STANDING_DAYS);
  const [scope, setScope] = useState<StandingScope>('all');
  const [caseId, setCaseId] = useState('');
  const [checkoutId, setCheckoutId] = useState('');
  const [missing, setMissing] = useState<Missing>({});
  const { busy, error, fieldError, run } = useSubmit();
  const errorText = useViewingError();
  const cases = useQuery('cases.list', { limit: 200 }, { enabled: scope === 'case', refreshOn: ['audit.appended'] });
  const checkoutNumber = Number(checkoutId);

  const submit = () => {
    const lacking: Missing = {
      grantee: grantee === null,
      purpose: purpose === null,
      reason: !reason.trim(),
      caseId: scope === 'case' && !caseId,
      checkoutId: scope === 'checkout' && !(Number.isSafeInteger(checkoutNumber) && checkoutNumber > 0),
    };
    setMissing(lacking);
    if (grantee === null || purpose === null || Object.values(lacking).some(Boolean)) return;
    void run(
      () =>
        client.call('viewing.grant', {
          granteeId: grantee.id,
          purpose,
          reason: reason.trim(),
          days,
          scope,
          ...(scope === 'case' ? { caseId: Number(caseId) } : {}),
          ...(scope === 'checkout' ? { checkoutId: checkoutNumber } : {}),
        }),
      onGranted,
    );
  };

  return (
    <form
      className="card form"
      aria-labelledby="standing-grant-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="standing-grant-title" className="section-title">
        {t('viewing.grants.standing')}
      </h2>
      <p className="muted">{t('viewing.grants.standingIntro')}</p>
      <ErrorAlert error={error} text={errorText(error)} />
      <PersonPicker legend={t('viewing.grants.grantee')} value={grantee} onChange={setGrantee} allowNone={false} error={missing.grantee && grantee === null ? t('viewing.grants.granteeRequired') : fieldError('granteeId')} />
      <PurposeChoice value={purpose} onChange={setPurpose} error={missing.purpose && purpose === null ? t('viewing.request.purposeRequired') : fieldError('purpose')} />
      <TextArea
        label={t('viewing.reasonLabel')}
        hint={t('viewing.grants.reasonHint')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={missing.reason && !reason.trim() ? t('viewing.request.reasonRequired') : fieldError('reason')}
        maxLength={500}
        rows={3}
        required
      />
      <SelectField label={t('viewing.grants.days')} value={days} onChange={(e) => setDays(Number(e.target.value))} error={fieldError('days')}>
        {STANDING_DAYS.map((d) => (
          <option key={d} value={d}>
            {t('viewing.days', { n: d })}
          </option>
        ))}
      </SelectField>
      <fieldset className="fieldset">
        <legend className="field-label">{t('viewing.grants.scope')}</legend>
        <div className="check-grid">
          {standingScopes.map((s) => (
            <label key={s} className="check-tile choice-tile">
              <input type="radio" name={scopeName} checked={scope === s} onChange={() => setScope(s)} />
              <span>
                <span className="check-tile-title">{t(`viewing.scope.${s}`)}</span>
                <span className="check-tile-text">{t(`viewing.grants.scopeHint.${s}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {scope === 'case' && (
        <SelectField label={t('viewing.grants.case')} value={caseId} onChange={(e) => setCaseId(e.target.value)} error={missing.caseId && !caseId ? t('viewing.grants.caseRequired') : fieldError('caseId')}>
          <option value="">{t('viewing.grants.pickCase')}</option>
          {(cases.result?.ok ? cases.result.value : []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.caseNo} {c.cause}
            </option>
          ))}
        </SelectField>
      )}
      {scope === 'checkout' && (
        <TextField
          label={t('viewing.grants.checkout')}
          hint={t('viewing.grants.checkoutHint')}
          inputMode="numeric"
          value={checkoutId}
          onChange={(e) => setCheckoutId(e.target.value.replace(/\D/g, ''))}
          error={missing.checkoutId && !checkoutId ? t('viewing.grants.checkoutRequired') : fieldError('checkoutId')}
          autoComplete="off"
        />
      )}
      <div className="button-row">
        <SubmitActions label={t('viewing.grants.submit')} busy={busy} large onCancel={onCancel} />
      </div>
    </form>
  );
}
