// The app shell's state machine: which of setup, login, forced PIN change,
// lock screen or the working screens is shown. The core owns the session; the
// shell follows what the core says (call results and events) and never guesses.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionInfo, StationStatus } from '../../shared/domain.js';
import type { StationErrorBody } from '../../shared/errors.js';
import type { Permission } from '../../shared/roles.js';
import { ChangePinScreen } from '../features/auth/ChangePinScreen.js';
import { LockScreen } from '../features/auth/LockScreen.js';
import { LoginScreen } from '../features/auth/LoginScreen.js';
import type { LoginNotice } from '../features/auth/LoginScreen.js';
import { SetupScreen } from '../features/setup/SetupScreen.js';
import { useI18n } from '../i18n/i18n.js';
import type { StationClient } from './client.js';
import { clientFromWindow } from './client.js';
import type { SessionValue } from './context.js';
import { SessionContext, StationContext } from './context.js';
import { navigate } from './route.js';
import { Shell } from './Shell.js';
import { PlainAlert } from './ui/ErrorAlert.js';

type Phase =
  | { kind: 'starting' }
  | { kind: 'unreachable'; error: StationErrorBody }
  | { kind: 'setup' }
  | { kind: 'login'; notice?: LoginNotice }
  | { kind: 'session'; session: SessionInfo };

export function App() {
  const { t } = useI18n();
  const [client] = useState(clientFromWindow);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  if (!client) return <Unreachable message={t('app.noBridge')} />;
  return <Station client={client} />;
}

function Station({ client }: { client: StationClient }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<StationStatus | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  // For event handlers, which are subscribed once and must see the phase as it is now.
  const phaseRef = useRef(phase);
  useEffect(() => {
    phaseRef.current = phase;
  });
  // Bumped to re-read status and session from the core (start-up, core restart, retry).
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void (async () => {
      const s = await client.call('station.status', {});
      if (!live) return;
      if (!s.ok) return setPhase({ kind: 'unreachable', error: s.error });
      setStatus(s.value);
      if (!s.value.initialized) return setPhase({ kind: 'setup' });
      const session = await client.call('auth.session', {});
      if (!live) return;
      setPhase((p) => {
        // A notice set meanwhile (core restarted) stays on the login screen.
        if (session.ok && session.value) return { kind: 'session', session: session.value };
        return p.kind === 'login' ? p : { kind: 'login' };
      });
    })();
    return () => {
      live = false;
    };
  }, [client, generation]);

  useEffect(() => {
    const toLogin = (notice: LoginNotice) => setPhase({ kind: 'login', notice });
    const offs = [
      client.on('session.locked', () =>
        setPhase((p) => (p.kind === 'session' ? { kind: 'session', session: { ...p.session, locked: true } } : p)),
      ),
      client.on('session.ended', (e) =>
        setPhase((p) =>
          p.kind === 'session'
            ? { kind: 'login', notice: { key: e.reason === 'deactivated' ? 'login.notice.deactivated' : e.reason === 'roles_changed' ? 'login.notice.rolesChanged' : e.reason === 'restart' ? 'login.notice.coreRestarted' : 'login.notice.ended' } }
            : p,
        ),
      ),
      client.on('core.restarted', () => {
        toLogin({ key: 'login.notice.coreRestarted' });
        setGeneration((g) => g + 1);
      }),
      // Someone changed the logged-in person (name, roles): re-read the session
      // so the header and the permitted screens follow at once.
      client.on('people.changed', (e) => {
        const current = phaseRef.current;
        if (current.kind !== 'session' || current.session.person.id !== e.id || current.session.locked) return;
        void client.call('auth.session', {}).then((r) => {
          if (!r.ok || !r.value) return;
          const fresh = r.value;
          setPhase((p) => (p.kind === 'session' && p.session.person.id === fresh.person.id ? { kind: 'session', session: fresh } : p));
        });
      }),
      client.onSessionProblem((problem) => {
        switch (problem) {
          case 'session_locked':
            return setPhase((p) => (p.kind === 'session' ? { kind: 'session', session: { ...p.session, locked: true } } : p));
          case 'must_change_pin':
            return setPhase((p) => (p.kind === 'session' ? { kind: 'session', session: { ...p.session, mustChangePin: true } } : p));
          case 'unauthenticated':
            return setPhase((p) => (p.kind === 'session' ? { kind: 'login', notice: { key: 'login.notice.ended' } } : p));
          case 'not_initialized':
            return setGeneration((g) => g + 1);
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);

  const signedIn = useCallback((session: SessionInfo) => setPhase({ kind: 'session', session }), []);
  // A new login starts at the home screen, not wherever the last person left off.
  const loggedIn = useCallback((session: SessionInfo) => {
    navigate({ screen: 'home' });
    setPhase({ kind: 'session', session });
  }, []);
  const logout = useCallback(() => {
    void client.call('auth.logout', {}).then(() => setPhase({ kind: 'login' }));
  }, [client]);

  const session = phase.kind === 'session' ? phase.session : null;
  const sessionValue = useMemo<SessionValue | null>(() => {
    if (!session) return null;
    const granted = new Set(session.permissions);
    return { session, can: (p: Permission) => granted.has(p), logout };
  }, [session, logout]);

  if (phase.kind === 'starting') {
    return (
      <main className="center-screen" aria-busy="true">
        <p className="lead">{t('app.connecting')}</p>
      </main>
    );
  }
  if (phase.kind === 'unreachable' || !status) {
    return <Unreachable message={t('errors.core_unavailable')} onRetry={() => setGeneration((g) => g + 1)} />;
  }

  return (
    <StationContext.Provider value={{ client, status }}>
      {phase.kind === 'setup' && <SetupScreen onDone={loggedIn} />}
      {phase.kind === 'login' && <LoginScreen notice={phase.notice} onLoggedIn={loggedIn} />}
      {sessionValue && (
        <SessionContext.Provider value={sessionValue}>
          {sessionValue.session.mustChangePin ? (
            <ChangePinScreen onDone={signedIn} />
          ) : (
            // The working screens stay mounted under the lock screen (a half-filled
            // form survives), but inert and hidden from assistive technology.
            <Shell inert={sessionValue.session.locked} />
          )}
          {sessionValue.session.locked && (
            <LockScreen onUnlocked={signedIn} onSessionGone={(notice) => setPhase({ kind: 'login', notice })} />
          )}
        </SessionContext.Provider>
      )}
    </StationContext.Provider>
  );
}

function Unreachable({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <main className="center-screen">
      <h1 className="screen-title">{t('app.title')}</h1>
      <PlainAlert text={message} />
      {onRetry && (
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </main>
  );
}
