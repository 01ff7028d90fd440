import type { z } from 'zod';
import type { CallName } from '../../shared/contract.js';
import { contract, isCallName } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import { StationError } from '../../shared/errors.js';
import { permissionsOf } from '../../shared/roles.js';
import type { Handler, Handlers } from './api.js';
import type { Actor } from './audit/actor.js';
import { personActor, stationActor } from './audit/actor.js';
import type { Sessions } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { CallContext } from './context.js';
import type { ConnectionId, EventBus } from './events.js';
import type { PeopleRepository } from './people/repository.js';

/** Calls allowed before first-run setup. */
const BEFORE_SETUP = new Set<CallName>(['station.status', 'station.setup']);
/** Calls a session holding a one-time PIN may still make. */
const WITH_ONE_TIME_PIN = new Set<CallName>(['auth.changePin', 'auth.logout', 'auth.session']);

/** Who is on the other end of a connection. */
export type Caller =
  | { kind: 'ui' }
  /** The CLI, run by someone with the OS account that owns the data folder: acts with every permission. */
  | { kind: 'os'; actor: Actor };

export interface DispatchDeps {
  handlers: Handlers;
  sessions: Sessions;
  people: PeopleRepository;
  events: EventBus;
  clock: Clock;
  isInitialized(): boolean;
  log(message: string, error: unknown): void;
}

function invalidInput(error: z.ZodError): StationError {
  const issues = error.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const fields = [...new Set(issues.map((i) => i.path || '(input)'))].join(', ');
  return new StationError('invalid_input', `输入有误：${fields}。请检查后重试。 / Invalid input: ${fields}. Check and try again.`, {
    issues,
  });
}

/**
 * The one gate every call passes: name, input schema, setup state, session,
 * idle lock, one-time PIN, permission, then the handler. Any thrown error
 * becomes a result; an unexpected one is logged and answered as `internal`
 * (the handler's transaction has already rolled back).
 */
export async function dispatch(
  d: DispatchDeps,
  connection: ConnectionId,
  caller: Caller,
  name: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isCallName(name)) {
      throw new StationError('unknown_call', `没有名为 “${String(name).slice(0, 64)}” 的操作。 / There is no call named “${String(name).slice(0, 64)}”.`);
    }
    const spec = contract[name];
    const parsed = spec.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) throw invalidInput(parsed.error);
    if (!BEFORE_SETUP.has(name) && !d.isInitialized()) {
      throw new StationError('not_initialized', '本站尚未完成初始设置，请先创建管理员。 / The station is not set up yet; create the administrator first.');
    }
    const ctx = authorize(d, connection, caller, name, spec.access);
    const handler = d.handlers[name] as Handler<CallName>;
    const value = await handler(parsed.data as never, ctx);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof StationError) return { ok: false, error: e.toBody() };
    d.log(`call ${String(name)} failed`, e);
    return {
      ok: false,
      error: { code: 'internal', message: '站点内部错误，操作未执行；请重试，若再次出现请联系管理员。 / Internal error: nothing was changed. Try again; if it happens again, call the administrator.' },
    };
  }
}

function authorize(d: DispatchDeps, connection: ConnectionId, caller: Caller, name: CallName, access: string): CallContext {
  if (caller.kind === 'os') return { connection, actor: caller.actor, session: undefined };
  const session = d.sessions.get(connection);
  if (access === 'public') {
    const row = session && d.people.row(session.personId);
    return { connection, actor: row ? personActor(row) : stationActor, session };
  }
  if (!session) throw new StationError('unauthenticated', '请先登录。 / Log in first.');
  const now = d.clock.now();
  if (!session.locked && d.sessions.isIdle(session, now)) {
    session.locked = true;
    d.events.emit('session.locked', { at: now }, connection);
  }
  if (session.locked) {
    throw new StationError('session_locked', '长时间未操作，屏幕已锁定；请输入密码或 PIN 解锁。 / The session locked after being idle; enter your password or PIN to unlock.');
  }
  const row = d.people.row(session.personId);
  if (!row || row.active !== 1) {
    d.sessions.end(connection);
    throw new StationError('unauthenticated', '账户已停用，请重新登录。 / The account was deactivated; log in again.');
  }
  if (session.mustChangePin && !WITH_ONE_TIME_PIN.has(name)) {
    throw new StationError('must_change_pin', '请先设置您自己的新 PIN。 / Set your own new PIN first.');
  }
  if (access !== 'session' && !permissionsOf(d.people.roles(row.id)).has(access as never)) {
    throw new StationError('forbidden', '您的角色无权进行此操作；如需办理，请联系综合处或管理员。 / Your role does not allow this; ask the general office or an administrator.', {
      permission: access,
    });
  }
  session.lastActivity = now;
  return { connection, actor: personActor(row), session };
}
