// "My account": a person changes their own password and PIN. Each needs the
// current one, so a session left open cannot be used to take the account over.
import { useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useSession, useStation } from '../../app/context.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import type { SecretKind } from '../../app/ui/SecretField.js';
import { newSecretProblem, SecretField } from '../../app/ui/SecretField.js';
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

function ChangeSecret({ kind }: { kind: SecretKind }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [values, setValues] = useState({ current: '', next: '', repeat: '' });
  const [local, setLocal] = useState<{ next?: string; repeat?: string }>({});
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const pin = kind === 'pin';
  const set = (k: keyof typeof values) => (value: string) => {
    setSaved(false);
    setValues({ ...values, [k]: value });
  };

  const submit = async () => {
    const next = newSecretProblem(kind, values.next, t);
    const problems: typeof local = next ? { next } : values.repeat !== values.next ? { repeat: t('account.mismatch') } : {};
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
      <SecretField
        kind={kind}
        purpose="current"
        label={t(pin ? 'account.currentPin' : 'account.currentPassword')}
        value={values.current}
        onValue={set('current')}
        error={fieldError(pin ? 'currentPin' : 'currentPassword')}
      />
      <SecretField
        kind={kind}
        purpose="new"
        label={t(pin ? 'account.newPin' : 'account.newPassword')}
        value={values.next}
        onValue={set('next')}
        error={local.next ?? fieldError(pin ? 'newPin' : 'newPassword')}
      />
      <SecretField
        kind={kind}
        purpose="repeat"
        label={t(pin ? 'account.repeatPin' : 'account.repeatPassword')}
        value={values.repeat}
        onValue={set('repeat')}
        error={local.repeat}
      />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || !values.current}>
          {busy ? t('common.working') : t(pin ? 'account.savePin' : 'account.savePassword')}
        </button>
      </div>
    </form>
  );
}
