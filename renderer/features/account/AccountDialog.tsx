// "My account": a person changes their own password and PIN. Each needs the
// current one, so a session left open cannot be used to take the account over.
import { useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useSession, useStation } from '../../app/context.js';
import { MAX_PIN_LENGTH, MIN_PASSWORD_LENGTH, NEW_PIN } from '../../app/secretRules.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';

export function AccountDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const person = session.person;
  return (
    <Dialog
      title={t('account.title')}
      onClose={onClose}
      wide
      actions={
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      <p className="lead">{t('common.personRef', { name: person.name, badge: person.badge })}</p>
      {person.hasPassword && <ChangeSecret kind="password" />}
      {person.hasPin && <ChangeSecret kind="pin" />}
      {!person.hasPin && <p className="muted">{t('account.noPin')}</p>}
    </Dialog>
  );
}

function ChangeSecret({ kind }: { kind: 'password' | 'pin' }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [values, setValues] = useState({ current: '', next: '', repeat: '' });
  const [local, setLocal] = useState<{ next?: string; repeat?: string }>({});
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const pin = kind === 'pin';
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => {
    setSaved(false);
    setValues({ ...values, [k]: pin ? e.target.value.replace(/\D/g, '').slice(0, MAX_PIN_LENGTH) : e.target.value });
  };

  const submit = async () => {
    const problems: typeof local = {};
    if (pin ? !NEW_PIN.test(values.next) : values.next.length < MIN_PASSWORD_LENGTH) {
      problems.next = t(pin ? 'validation.newPin' : 'validation.password');
    } else if (values.repeat !== values.next) problems.repeat = t('account.mismatch');
    setLocal(problems);
    if (problems.next || problems.repeat) return;
    setBusy(true);
    const r = pin
      ? await client.call('auth.changePin', { currentPin: values.current, newPin: values.next })
      : await client.call('auth.changePassword', { currentPassword: values.current, newPassword: values.next });
    setBusy(false);
    setValues({ current: '', next: '', repeat: '' });
    if (r.ok) {
      setError(null);
      setSaved(true);
    } else setError(r.error);
  };

  const input = { type: 'password', ...(pin ? { inputMode: 'numeric' as const, pattern: '[0-9]*' } : {}) };
  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 className="section-title">{t(pin ? 'account.pinTitle' : 'account.passwordTitle')}</h3>
      <ErrorAlert error={error} text={error?.code === 'weak_secret' ? t(pin ? 'pinChange.weak' : 'account.weakPassword') : undefined} />
      {saved && (
        <div className="alert alert-ok" role="status">
          {t(pin ? 'account.pinSaved' : 'account.passwordSaved')}
        </div>
      )}
      <TextField
        {...input}
        label={t(pin ? 'account.currentPin' : 'account.currentPassword')}
        value={values.current}
        onChange={set('current')}
        error={fieldError(pin ? 'currentPin' : 'currentPassword')}
        autoComplete={pin ? 'off' : 'current-password'}
      />
      <TextField
        {...input}
        label={t(pin ? 'account.newPin' : 'account.newPassword')}
        hint={pin ? t('pinChange.rule') : t('setup.passwordRule', { min: MIN_PASSWORD_LENGTH })}
        value={values.next}
        onChange={set('next')}
        error={local.next ?? fieldError(pin ? 'newPin' : 'newPassword')}
        autoComplete="new-password"
      />
      <TextField
        {...input}
        label={t(pin ? 'account.repeatPin' : 'account.repeatPassword')}
        value={values.repeat}
        onChange={set('repeat')}
        error={local.repeat}
        autoComplete="new-password"
      />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || !values.current}>
          {busy ? t('common.working') : t(pin ? 'account.savePin' : 'account.savePassword')}
        </button>
      </div>
    </form>
  );
}
