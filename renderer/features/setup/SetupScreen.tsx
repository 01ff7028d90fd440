// First run: the station has no account at all, and no built-in password
// exists; whoever sets it up chooses the first administrator's password here.
import { useState } from 'react';
import type { SessionInfo } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useStation } from '../../app/context.js';
import { AuthFrame } from '../../app/ui/AuthFrame.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { newSecretProblem, SecretField } from '../../app/ui/SecretField.js';
import { useI18n } from '../../i18n/i18n.js';

export function SetupScreen({ onDone }: { onDone(session: SessionInfo): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [form, setForm] = useState({ badge: '', name: '', unit: '', password: '', repeat: '' });
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [local, setLocal] = useState<{ password?: string; repeat?: string }>({});
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async () => {
    // Checked here too so the two typed passwords never travel when they differ.
    const problems: typeof local = {};
    const password = newSecretProblem('password', form.password, t);
    if (password) problems.password = password;
    if (form.repeat !== form.password) problems.repeat = t('setup.mismatch');
    setLocal(problems);
    if (problems.password || problems.repeat) return;
    setBusy(true);
    const r = await client.call('station.setup', {
      badge: form.badge,
      name: form.name,
      ...(form.unit.trim() ? { unit: form.unit } : {}),
      password: form.password,
    });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  return (
    <AuthFrame title={t('setup.title')}>
      <p className="lead">{t('setup.intro')}</p>
      <form
        className="card form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ErrorAlert error={error} text={error?.code === 'weak_secret' ? t('setup.weak') : undefined} />
        <TextField label={t('fields.badge')} hint={t('setup.badgeHint')} value={form.badge} onChange={set('badge')} error={fieldError('badge')} autoComplete="username" autoFocus required />
        <TextField label={t('fields.name')} value={form.name} onChange={set('name')} error={fieldError('name')} autoComplete="name" required />
        <TextField label={t('fields.unit')} optional={t('common.optional')} value={form.unit} onChange={set('unit')} error={fieldError('unit')} autoComplete="organization" />
        <SecretField
          kind="password"
          purpose="new"
          label={t('fields.password')}
          value={form.password}
          onValue={(password) => setForm({ ...form, password })}
          error={local.password ?? fieldError('password')}
          required
        />
        <SecretField kind="password" purpose="repeat" label={t('fields.passwordRepeat')} value={form.repeat} onValue={(repeat) => setForm({ ...form, repeat })} error={local.repeat} required />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('common.working') : t('setup.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
