// Login, badge first: a keyboard-wedge reader "types" the badge number and
// Enter into the focused field, then the PIN is asked (on-screen keypad for the
// touch screen). Password login is the second way, for administrators and for
// people without a PIN.
import { useRef, useState } from 'react';
import type { SessionInfo } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useStation } from '../../app/context.js';
import { issuesOf } from '../../app/errors.js';
import { AuthFrame } from '../../app/ui/AuthFrame.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { PinPad } from '../../app/ui/PinPad.js';
import { SecretField } from '../../app/ui/SecretField.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockLobby } from '../board/DockLobby.js';

export type LoginNotice = { key: string } | { error: StationErrorBody };

type Mode = 'badge' | 'password';

export function LoginScreen({ notice, onLoggedIn }: { notice?: LoginNotice | undefined; onLoggedIn(session: SessionInfo): void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('badge');
  return (
    <AuthFrame title={t('login.title')} wide>
      {notice && 'key' in notice && (
        <div className="alert alert-info" role="status">
          {t(notice.key)}
        </div>
      )}
      {notice && 'error' in notice && <ErrorAlert error={notice.error} />}
      <div className="segmented" role="group" aria-label={t('login.modeLabel')}>
        <button type="button" className="segmented-option" aria-pressed={mode === 'badge'} onClick={() => setMode('badge')}>
          {t('login.byBadge')}
        </button>
        <button type="button" className="segmented-option" aria-pressed={mode === 'password'} onClick={() => setMode('password')}>
          {t('login.byPassword')}
        </button>
      </div>
      {mode === 'badge' ? <BadgeLogin onLoggedIn={onLoggedIn} /> : <PasswordLogin onLoggedIn={onLoggedIn} />}
      {/* An officer docks at the end of a shift without logging in, and sees here when to take the camera. */}
      <DockLobby />
    </AuthFrame>
  );
}

function BadgeLogin({ onLoggedIn }: { onLoggedIn(session: SessionInfo): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [step, setStep] = useState<'scan' | 'pin'>('scan');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [emptyBadge, setEmptyBadge] = useState(false);
  const [busy, setBusy] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);
  const fieldError = useFieldErrors(error);

  const rescan = () => {
    setStep('scan');
    setBadge('');
    setPin('');
    setError(null);
  };

  const login = async () => {
    setBusy(true);
    const r = await client.call('auth.loginBadge', { badge, pin });
    setBusy(false);
    if (r.ok) return onLoggedIn(r.value);
    setError(r.error);
    setPin('');
    // A malformed badge cannot be fixed on the PIN step: go back to scanning.
    if (r.error.code === 'invalid_input' && issuesOf(r.error).some((i) => i.path === 'badge')) {
      setStep('scan');
    } else {
      pinInput.current?.focus();
    }
  };

  if (step === 'scan') {
    return (
      <form
        className="card form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!badge.trim()) return setEmptyBadge(true);
          setEmptyBadge(false);
          setError(null);
          setStep('pin');
        }}
      >
        <ErrorAlert error={error} />
        <TextField
          label={t('login.scanBadge')}
          hint={t('login.scanHint')}
          inputClassName="input-huge"
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          error={emptyBadge ? t('validation.badgeRequired') : fieldError('badge')}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          autoFocus
        />
        <button type="submit" className="btn btn-primary btn-block">
          {t('login.next')}
        </button>
      </form>
    );
  }

  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (pin) void login();
      }}
    >
      <div className="pin-layout">
        <div className="pin-fields">
          <div className="badge-confirm">
            <span>
              {t('common.badge')} <strong className="badge-number">{badge.trim()}</strong>
            </span>
            <button type="button" className="btn btn-secondary" onClick={rescan}>
              {t('login.rescan')}
            </button>
          </div>
          <ErrorAlert error={error} />
          <SecretField
            ref={pinInput}
            kind="pin"
            purpose="current"
            label={t('fields.pin')}
            hint={t('login.pinHint')}
            inputClassName="input-pin"
            value={pin}
            onValue={setPin}
            error={fieldError('pin')}
            autoFocus
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !pin}>
            {busy ? t('common.working') : t('login.submit')}
          </button>
        </div>
        <PinPad value={pin} onChange={setPin} />
      </div>
    </form>
  );
}

function PasswordLogin({ onLoggedIn }: { onLoggedIn(session: SessionInfo): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [badge, setBadge] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);

  const login = async () => {
    setBusy(true);
    const r = await client.call('auth.loginPassword', { badge, password });
    setBusy(false);
    if (r.ok) return onLoggedIn(r.value);
    setError(r.error);
    setPassword('');
  };

  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void login();
      }}
    >
      <ErrorAlert error={error} />
      <TextField label={t('fields.badge')} value={badge} onChange={(e) => setBadge(e.target.value)} error={fieldError('badge')} autoComplete="username" autoFocus />
      <SecretField kind="password" purpose="current" label={t('fields.password')} value={password} onValue={setPassword} error={fieldError('password')} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('common.working') : t('login.submit')}
      </button>
    </form>
  );
}
