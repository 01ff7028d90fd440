import type { SessionInfo } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import { permissionsOf } from '../../../shared/roles.js';
import type { Actor } from '../audit/actor.js';
import { personActor, stationActor } from '../audit/actor.js';
import type { Clock, Random } from '../clock.js';
import type { Writer } from '../db/writer.js';
import type { ConnectionId, EventBus } from '../events.js';
import type { PeopleRepository, PersonRow } from '../people/repository.js';
import { checkNewPassword, checkNewPin, dummyHash, hashSecret, verifySecret } from '../people/secrets.js';
import { isLocked, LOCKOUT_MS, MAX_FAILED_ATTEMPTS } from './lockout.js';
import { LoginThrottle } from './throttle.js';
import { UnknownBadgeLog } from './unknown-badges.js';
import type { Session, Sessions } from './sessions.js';

// One answer for an unknown badge, a wrong secret and a person without that kind of secret, so the
// answer never tells whether a badge exists; it says both ways in, for whoever lacks one of them.
const badCredentials = () =>
  new StationError(
    'bad_credentials',
    '警号或密码/PIN 不正确，请重试（未设密码的人员请刷警号并输入 PIN）。 / The badge number or password/PIN is wrong; try again (without a password, scan the badge and enter the PIN).',
  );

const accountLocked = (until: number) =>
  new StationError(
    'account_locked',
    '连续输错次数过多，账户已锁定 15 分钟；如需立即使用，请管理员重置 PIN。 / Too many wrong attempts: the account is locked for 15 minutes; an administrator can reset the PIN to open it now.',
    { until },
  );

export interface AuthDeps {
  people: PeopleRepository;
  sessions: Sessions;
  writer: Writer;
  events: EventBus;
  clock: Clock;
  random: Random;
  scryptCost: number;
  idleLockMs: number;
  /** Waits before a login's secret check (throttle.ts); a test may record instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

type SecretKind = 'password' | 'pin';

export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly unknownBadges: UnknownBadgeLog;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly d: AuthDeps) {
    this.throttle = new LoginThrottle(() => d.clock.now());
    this.unknownBadges = new UnknownBadgeLog(d.writer, () => d.clock.now());
    this.sleep = d.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Writes what is folded in memory (the unknown badges of the minute): at the station's close. */
  flush(): void {
    this.unknownBadges.flush();
  }

  sessionInfo(connection: ConnectionId): SessionInfo | null {
    const s = this.d.sessions.get(connection);
    if (!s) return null;
    const person = this.d.people.get(s.personId);
    return {
      person,
      permissions: [...permissionsOf(person.roles)],
      locked: s.locked,
      mustChangePin: s.mustChangePin,
      idleLockMs: this.d.idleLockMs,
      startedAt: s.startedAt,
    };
  }

  /**
   * Password login (typed badge + password) or badge login (scanned badge + PIN). Whatever is wrong
   * before the right secret (an unknown badge, no such secret, a wrong one, a lock in force) is the
   * same answer in the same time; a lock or a deactivated account is told only to whoever gave the
   * right secret, so nothing about an account is learnt without it.
   */
  async login(connection: ConnectionId, badge: string, secret: string, kind: SecretKind): Promise<SessionInfo> {
    // Failures before slow the next attempt, of this window and across the station (throttle.ts).
    const wait = this.throttle.delayFor(connection);
    if (wait > 0) await this.sleep(wait);
    const row = this.d.people.rowByBadge(badge);
    const stored = row ? (kind === 'password' ? row.password_hash : row.pin_hash) : null;
    if (!row || stored === null) {
      // The same scrypt as a real check, at the station's cost.
      await verifySecret(secret, dummyHash(this.d.scryptCost));
      this.throttle.failed(connection);
      if (row) {
        this.d.writer.run(stationActor, (tx) =>
          tx.audit({ action: 'auth.login_failed', objectType: 'person', objectId: row.id, after: { kind, reason: 'no_secret' } }),
        );
      } else this.unknownBadges.failed(badge, kind);
      throw badCredentials();
    }
    if (!(await verifySecret(secret, stored))) {
      this.throttle.failed(connection);
      this.recordWrongSecret(row, kind);
      throw badCredentials();
    }
    this.throttle.succeeded(connection);
    if (row.active !== 1) {
      throw new StationError('account_inactive', '此账户已停用，请联系管理员。 / This account is deactivated; contact an administrator.');
    }
    const mustChangePin = kind === 'pin' && row.must_change_pin === 1;
    // The lock is asked again after the secret check: attempts in flight beside this one may have
    // locked the account while its scrypt ran. Cleared and logged in, or refused, in one transaction.
    // A login on a window that still has a session (the next person at the counter, without
    // logging out): the old session ends here, on the record, instead of being silently replaced.
    const previous = this.d.sessions.get(connection);
    const previousRow = previous ? this.d.people.row(previous.personId) : undefined;
    const lockedMeanwhile = this.d.writer.run(personActor(row), (tx) => {
      if (!this.d.people.clearFailuresUnlessLocked(row.id, tx.at)) {
        tx.audit({ action: 'auth.login_failed', objectType: 'person', objectId: row.id, after: { kind, reason: 'locked' } });
        return this.d.people.require(row.id).locked_until;
      }
      if (previousRow) tx.audit({ action: 'auth.logout', objectType: 'person', objectId: previousRow.id, after: { reason: 'replaced' } }, personActor(previousRow));
      tx.audit({ action: 'auth.login', objectType: 'person', objectId: row.id, after: { kind, mustChangePin } });
      return null;
    });
    if (lockedMeanwhile !== null) throw accountLocked(lockedMeanwhile);
    if (previous) this.d.sessions.end(connection);
    this.d.sessions.start(connection, row.id, this.d.clock.now(), mustChangePin);
    return this.sessionInfo(connection)!;
  }

  /**
   * Verifies a secret, counting failures toward the lockout (audited). The count and the lock are
   * one SQL update that never clears a lock in force (people/repository.ts recordFailure): attempts
   * in flight at once, each reading its own row before its slow scrypt check, cannot undo the lock
   * another of them set.
   */
  private async checkSecret(row: PersonRow, secret: string, stored: string, kind: SecretKind): Promise<void> {
    if (await verifySecret(secret, stored)) return;
    // Within a session (unlock, a change of PIN or password) the person is known: a lock is told.
    const outcome = this.recordWrongSecret(row, kind);
    if (outcome.lockedUntil) throw accountLocked(outcome.lockedUntil);
    throw badCredentials();
  }

  /** A wrong secret, counted (audited); a lock it sets ends the person's sessions. */
  private recordWrongSecret(row: PersonRow, kind: SecretKind): { lockedUntil: number | null } {
    const outcome = this.d.writer.run(personActor(row), (tx) => {
      const state = this.d.people.recordFailure(row.id, tx.at, MAX_FAILED_ATTEMPTS, LOCKOUT_MS);
      tx.audit({
        action: state.lockedNow ? 'auth.account_locked' : 'auth.login_failed',
        objectType: 'person',
        objectId: row.id,
        after: { kind, failedAttempts: state.failedAttempts, lockedUntil: state.lockedUntil, ...(state.lockedUntil && !state.lockedNow ? { whileLocked: true } : {}) },
      });
      return state;
    });
    if (outcome.lockedNow) for (const c of this.d.sessions.endForPerson(row.id)) this.d.events.emit('session.ended', { reason: 'logout' }, c);
    return outcome;
  }

  logout(connection: ConnectionId): void {
    const s = this.d.sessions.end(connection);
    if (!s) return;
    const row = this.d.people.row(s.personId);
    if (row) {
      this.d.writer.run(personActor(row), (tx) =>
        tx.audit({ action: 'auth.logout', objectType: 'person', objectId: row.id }),
      );
    }
  }

  /** An idle-locked session reopens with the same person's password or PIN. */
  async unlock(connection: ConnectionId, secret: string): Promise<SessionInfo> {
    const s = this.d.sessions.get(connection);
    if (!s) throw new StationError('unauthenticated', '请先登录。 / Log in first.');
    if (!s.locked) return this.sessionInfo(connection)!;
    const row = this.d.people.require(s.personId);
    if (isLocked(row.locked_until, this.d.clock.now())) {
      this.d.sessions.end(connection);
      throw accountLocked(row.locked_until!);
    }
    const candidates = [row.password_hash, row.pin_hash].filter((h): h is string => h !== null);
    for (const h of candidates) {
      if (await verifySecret(secret, h)) {
        s.locked = false;
        s.lastActivity = this.d.clock.now();
        this.d.writer.run(personActor(row), (tx) => {
          this.d.people.clearFailures(row.id);
          tx.audit({ action: 'auth.unlocked', objectType: 'person', objectId: row.id });
        });
        return this.sessionInfo(connection)!;
      }
    }
    await this.checkSecret(row, secret, dummyHash(this.d.scryptCost), 'password').catch((e: unknown) => {
      if (e instanceof StationError && e.code === 'account_locked') this.d.sessions.end(connection);
      throw e;
    });
    throw badCredentials(); // unreachable: checkSecret always throws on a dummy hash
  }

  async changePin(connection: ConnectionId, session: Session, currentPin: string, newPin: string): Promise<SessionInfo> {
    const row = this.d.people.require(session.personId);
    if (row.pin_hash === null) throw new StationError('no_secret_set', '此人员尚无 PIN。 / This person has no PIN yet.', { kind: 'pin' });
    await this.checkSecret(row, currentPin, row.pin_hash, 'pin');
    if (newPin === currentPin) {
      throw new StationError('weak_secret', '新 PIN 不能与原 PIN 相同。 / The new PIN must differ from the current one.');
    }
    checkNewPin(newPin, row.badge);
    const hash = await hashSecret(newPin, this.d.scryptCost, this.d.random);
    this.d.writer.run(personActor(row), (tx) => {
      this.d.people.setPin(row.id, hash, false, tx.at);
      tx.audit({ action: 'auth.pin_changed', objectType: 'person', objectId: row.id });
    });
    session.mustChangePin = false;
    return this.sessionInfo(connection)!;
  }

  async changePassword(connection: ConnectionId, actor: Actor, personId: number, current: string, next: string): Promise<SessionInfo> {
    const row = this.d.people.require(personId);
    if (row.password_hash === null) {
      throw new StationError('no_secret_set', '此人员尚无密码。 / This person has no password yet.', { kind: 'password' });
    }
    await this.checkSecret(row, current, row.password_hash, 'password');
    checkNewPassword(next, row.badge);
    const hash = await hashSecret(next, this.d.scryptCost, this.d.random);
    this.d.writer.run(actor, (tx) => {
      this.d.people.setPassword(row.id, hash, tx.at);
      tx.audit({ action: 'auth.password_changed', objectType: 'person', objectId: row.id });
    });
    return this.sessionInfo(connection)!;
  }
}
