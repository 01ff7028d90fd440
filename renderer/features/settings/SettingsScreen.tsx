// The custody rules' settings (综合处 or an administrator: custody.configure):
// the pre-shift check limits of 第七条, the same-day cut-off of 第十五条,
// whether one officer may hold two cameras, and the dock board's alarm tone.
// Only changed fields are sent; the core audits every change and keeps
// deadlines already set with the cut-off they were set with.
import { useEffect, useRef, useState } from 'react';
import type { CustodySettings } from '../../../shared/custody.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useStation } from '../../app/context.js';
import { issuesOf } from '../../app/errors.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import type { SettingField, SettingsForm } from './rules.js';
import { LIMITS, changesOf, toForm } from './rules.js';

export function SettingsScreen() {
  const { t } = useI18n();
  const settings = useQuery('custody.settings', {});
  return (
    <section className="page">
      <h1 className="screen-title">{t('settings.title')}</h1>
      <p className="lead">{t('settings.intro')}</p>
      {settings.result && !settings.result.ok && <ErrorAlert error={settings.result.error} />}
      {settings.result === null && <p className="muted">{t('settings.loading')}</p>}
      {settings.result?.ok && <SettingsEditor initial={settings.result.value} />}
    </section>
  );
}

function SettingsEditor({ initial }: { initial: CustodySettings }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [loaded, setLoaded] = useState(() => toForm(initial));
  const [form, setForm] = useState(loaded);
  const [invalid, setInvalid] = useState<SettingField[]>([]);
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Counts refused saves: each one takes focus to the first field to put right (the Save button is far below it).
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusals]);

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setNotice(null);
  };
  const fieldError = (field: SettingField) => (invalid.includes(field) ? t(`settings.invalid.${field}`) : undefined);
  /** A number field's bounds, value and error (`field`: the contract's name, which the core's refusal uses). */
  const bound = (key: keyof typeof LIMITS, field: SettingField) => ({
    limits: LIMITS[key],
    value: form[key],
    onChange: (value: string) => set(key, value),
    error: fieldError(field),
  });

  const submit = async () => {
    const { changes, invalid: wrong } = changesOf(form, loaded);
    setError(null);
    setInvalid(wrong);
    if (wrong.length > 0) {
      setNotice(null);
      setRefusals((n) => n + 1);
      return;
    }
    if (Object.keys(changes).length === 0) return setNotice(t('settings.unchanged'));
    setBusy(true);
    const r = await client.call('custody.updateSettings', changes);
    setBusy(false);
    if (!r.ok) {
      // The core's own check: the fields it names get the same sentences as the form's.
      const named = issuesOf(r.error).map((i) => i.path.split('.')[0] as SettingField);
      setInvalid(named.filter((f) => f in initial));
      setError(r.error);
      setNotice(null);
      setRefusals((n) => n + 1);
      return;
    }
    const saved = toForm(r.value);
    setLoaded(saved);
    setForm(saved);
    setNotice(t('settings.saved'));
  };

  return (
    <form
      ref={formRef}
      className="card settings-form"
      aria-label={t('settings.formLabel')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {invalid.length > 0 && <ErrorAlert error={null} text={t('settings.invalidSummary', { n: invalid.length })} />}
      {invalid.length === 0 && <ErrorAlert error={error} />}

      <fieldset className="fieldset settings-section">
        <legend className="section-title">{t('settings.checksTitle')}</legend>
        <blockquote className="settings-quote">{t('settings.checksQuote')}</blockquote>
        <NumberSetting
          label={t('settings.batteryMinPercent')}
          hint={t('settings.batteryHint', LIMITS.batteryMinPercent)}
          {...bound('batteryMinPercent', 'batteryMinPercent')}
        />
        <NumberSetting
          label={t('settings.freeSpaceMinGiB')}
          hint={t('settings.freeSpaceHint', LIMITS.freeSpaceMinGiB)}
          step={0.01}
          {...bound('freeSpaceMinGiB', 'freeSpaceMinBytes')}
        />
        <NumberSetting
          label={t('settings.clockToleranceSeconds')}
          hint={t('settings.clockHint', LIMITS.clockToleranceSeconds)}
          {...bound('clockToleranceSeconds', 'clockToleranceSeconds')}
        />
      </fieldset>

      <fieldset className="fieldset settings-section">
        <legend className="section-title">{t('settings.deadlineTitle')}</legend>
        <blockquote className="settings-quote">{t('settings.deadlineQuote')}</blockquote>
        {/* Typed as text, not <input type="time">: that one shows "11:59 PM" or "23:59" by the
            browser's locale, and the regulation's day ends at a 24-hour time. */}
        <TextField
          label={t('settings.offloadCutoff')}
          hint={t('settings.cutoffHint')}
          autoComplete="off"
          maxLength={5}
          placeholder="18:30"
          className="settings-number"
          value={form.offloadCutoff}
          onChange={(e) => set('offloadCutoff', e.target.value)}
          error={fieldError('offloadCutoff')}
        />
      </fieldset>

      <fieldset className="fieldset settings-section">
        <legend className="section-title">{t('settings.otherTitle')}</legend>
        <CheckSetting
          title={t('settings.officerMayHoldTwo')}
          text={t('settings.holdTwoHint')}
          checked={form.officerMayHoldTwo}
          onChange={(v) => set('officerMayHoldTwo', v)}
        />
        <CheckSetting title={t('settings.alarmSound')} text={t('settings.alarmSoundHint')} checked={form.alarmSound} onChange={(v) => set('alarmSound', v)} />
        <NumberSetting
          label={t('settings.vaultReserveGiB')}
          hint={t('settings.vaultReserveHint', LIMITS.vaultReserveGiB)}
          step={0.01}
          {...bound('vaultReserveGiB', 'vaultReserveBytes')}
        />
      </fieldset>

      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
          {busy ? t('common.working') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}

/** A bounded number, as typed (rules.ts checks it before saving); whole numbers unless a step is given. */
function NumberSetting({
  label,
  hint,
  limits,
  step = 1,
  value,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  limits: { min: number; max: number };
  step?: number;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}) {
  return (
    <TextField
      label={label}
      hint={hint}
      type="number"
      inputMode={step < 1 ? 'decimal' : 'numeric'}
      min={limits.min}
      max={limits.max}
      step={step}
      className="settings-number"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}

/** A yes/no setting as a large tile: what it does, and what follows from it. */
function CheckSetting({ title, text, checked, onChange }: { title: string; text: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label className="check-tile">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        <span className="check-tile-title">{title}</span>
        <span className="check-tile-text">{text}</span>
      </span>
    </label>
  );
}
