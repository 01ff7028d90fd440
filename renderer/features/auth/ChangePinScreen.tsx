// After a login with a one-time PIN (issued by an administrator) the core
// allows nothing but choosing one's own PIN; this screen is all there is until then.
import { useState } from 'react';
import type { SessionInfo } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useSession, useStation } from '../../app/context.js';
import { AuthFrame } from '../../app/ui/AuthFrame.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { PinPad } from '../../app/ui/PinPad.js';
import { newSecretProblem, SecretField } from '../../app/ui/SecretField.js';
import { useI18n } from '../../i18n/i18n.js';

type PinField = 'currentPin' | 'newPin' | 'repeat';

export function ChangePinScreen({ onDone }: { onDone(session: SessionInfo): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { session, logout } = useSession();
  const [pins, setPins] = useState<Record<PinField, string>>({ currentPin: '', newPin: '', repeat: '' });
  // The touch keypad types into the PIN field used last.
  const [target, setTarget] = useState<PinField>('currentPin');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [local, setLocal] = useState<Partial<Record<PinField, string>>>({});
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  // Both the field and the keypad hand over digits only, at most MAX_PIN_LENGTH.
  const setPin = (field: PinField, value: string) => setPins((p) => ({ ...p, [field]: value }));

  const submit = async () => {
    const problems: typeof local = {};
    if (!pins.currentPin) problems.currentPin = t('validation.currentPin');
    const newPin = newSecretProblem('pin', pins.newPin, t);
    if (newPin) problems.newPin = newPin;
    else if (pins.repeat !== pins.newPin) problems.repeat = t('pinChange.mismatch');
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const r = await client.call('auth.changePin', { currentPin: pins.currentPin, newPin: pins.newPin });
    setBusy(false);
    if (r.ok) return onDone(r.value);
    setError(r.error);
    setPins({ currentPin: '', newPin: '', repeat: '' });
    setTarget('currentPin');
  };

  const pinField = (field: PinField, label: string, hint?: string) => (
    <SecretField
      kind="pin"
      purpose={field === 'currentPin' ? 'current' : field === 'newPin' ? 'new' : 'repeat'}
      label={label}
      hint={hint}
      inputClassName="input-pin"
      value={pins[field]}
      onValue={(v) => setPin(field, v)}
      onFocus={() => setTarget(field)}
      error={local[field] ?? fieldError(field)}
      autoFocus={field === 'currentPin'}
    />
  );

  return (
    <AuthFrame title={t('pinChange.title')} wide>
      <p className="lead">{t('pinChange.intro', { name: session.person.name })}</p>
      <form
        className="card form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ErrorAlert error={error} text={error?.code === 'weak_secret' ? t('pinChange.weak') : undefined} />
        <div className="pin-layout">
          <div className="pin-fields">
            {pinField('currentPin', t('pinChange.current'), t('pinChange.currentHint'))}
            {pinField('newPin', t('pinChange.new'))}
            {pinField('repeat', t('pinChange.repeat'))}
          </div>
          <div className="pin-keypad">
            <p className="field-hint" aria-live="polite">
              {t('pinChange.keypadTarget', { field: t(`pinChange.${target === 'currentPin' ? 'current' : target === 'newPin' ? 'new' : 'repeat'}`) })}
            </p>
            <PinPad value={pins[target]} onChange={(v) => setPin(target, v)} />
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.working') : t('pinChange.submit')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={logout}>
            {t('header.logout')}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}
