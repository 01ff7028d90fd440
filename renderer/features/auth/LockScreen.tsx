// The idle lock: the person stays logged in, the screen is covered until they
// give their password or PIN again. Anyone else logs the session out instead.
import { useState } from 'react';
import type { SessionInfo } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useSession, useStation } from '../../app/context.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { LanguageSwitch } from '../../app/ui/LanguageSwitch.js';
import { SecretField } from '../../app/ui/SecretField.js';
import { useI18n } from '../../i18n/i18n.js';
import { DockLobby } from '../board/DockLobby.js';
import type { LoginNotice } from './LoginScreen.js';

export function LockScreen({
  onUnlocked,
  onSessionGone,
}: {
  onUnlocked(session: SessionInfo): void;
  onSessionGone(notice: LoginNotice): void;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const { session, logout } = useSession();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  const unlock = async () => {
    if (!secret) return;
    setBusy(true);
    const r = await client.call('auth.unlock', { secret });
    setBusy(false);
    setSecret('');
    if (r.ok) return onUnlocked(r.value);
    // Too many wrong tries end the session in the core: show why on the login screen.
    if (r.error.code === 'account_locked') return onSessionGone({ error: r.error });
    setError(r.error);
  };

  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <div className="lock-card card">
        <div className="lock-top">
          <h1 id="lock-title" className="screen-title">
            {t('lock.title')}
          </h1>
          <LanguageSwitch className="btn btn-secondary" />
        </div>
        <p className="lead">
          {t('lock.who', { name: session.person.name, badge: session.person.badge })}
        </p>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void unlock();
          }}
        >
          <ErrorAlert error={error} />
          {/* Password or PIN, so no digit keyboard: a password may hold letters. */}
          <SecretField kind="password" purpose="current" label={t('lock.secret')} hint={t('lock.hint')} value={secret} onValue={setSecret} autoFocus />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy || !secret}>
              {busy ? t('common.working') : t('lock.unlock')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={logout}>
              {t('lock.logout')}
            </button>
          </div>
        </form>
        {/* Cameras docked while the screen is locked: the officer still sees when theirs may be taken. */}
        <DockLobby />
      </div>
    </div>
  );
}
