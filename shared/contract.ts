// The one table of every call and event between the UI and the core. The
// preload, the IPC relay, the harness transport and the renderer client are all
// typed from it; the core's handler table must implement exactly these names.
import { z } from 'zod';
import type {
  AuditEntry,
  AuditVerification,
  Device,
  DeviceDetail,
  Person,
  SessionInfo,
  StationStatus,
} from './domain.js';
import { deviceStatuses } from './domain.js';
import type { Alarm, DockSessionDetail, DockSessionView } from './ingest.js';
import type { Result } from './errors.js';
import type { Permission } from './roles.js';
import { roles } from './roles.js';
import type { EventMap, EventName } from './events.js';

// Events have their own zod-free module so the preload and main can import the
// event names without bundling every schema.
export { eventNames } from './events.js';
export type { EventMap, EventName } from './events.js';

/**
 * Who may make a call:
 * - 'public': anyone, no session (status, first-run setup, login);
 * - 'session': any logged-in, unlocked person (their own profile, logout);
 * - a permission: a logged-in person whose roles grant it.
 */
export type Access = 'public' | 'session' | Permission;

export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  access: Access;
  /** Phantom: carries the output type only. */
  output?: O;
}

function call<O>() {
  return <I extends z.ZodType>(access: Access, input: I): CallSpec<I, O> => ({ input, access });
}

// ---- field schemas, shared so the same rule holds in every call ----
const text = (max: number) => z.string().trim().min(1).max(max);
export const badgeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{2,32}$/, 'badge: 2–32 letters, digits or -');
export const nameSchema = text(64);
export const unitSchema = z.string().trim().max(128);
export const passwordSchema = z.string().min(1).max(256);
export const newPasswordSchema = z.string().min(10, 'password: at least 10 characters').max(256);
export const pinSchema = z.string().regex(/^[0-9]{4,12}$/, 'PIN: 4–12 digits');
export const newPinSchema = z.string().regex(/^[0-9]{6,12}$/, 'PIN: 6–12 digits');
export const serialSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z._-]{1,64}$/, 'serial: 1–64 letters, digits, . _ -');
export const reasonSchema = text(500);
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const empty = z.strictObject({});

export const contract = {
  // ---- station ----
  'station.status': call<StationStatus>()('public', empty),
  /** First run: creates the administrator. Refused once anyone exists. */
  'station.setup': call<SessionInfo>()(
    'public',
    z.strictObject({
      badge: badgeSchema,
      name: nameSchema,
      unit: unitSchema.optional(),
      password: newPasswordSchema,
    }),
  ),

  // ---- auth ----
  'auth.loginPassword': call<SessionInfo>()(
    'public',
    z.strictObject({ badge: badgeSchema, password: passwordSchema }),
  ),
  /** Keyboard-wedge badge reader: the badge number is typed, then a PIN is asked. */
  'auth.loginBadge': call<SessionInfo>()('public', z.strictObject({ badge: badgeSchema, pin: pinSchema })),
  'auth.logout': call<null>()('public', empty),
  'auth.session': call<SessionInfo | null>()('public', empty),
  /** Re-opens an idle-locked session with the person's password or PIN. */
  'auth.unlock': call<SessionInfo>()('public', z.strictObject({ secret: passwordSchema })),
  /** Allowed (and required) while the session still carries a one-time PIN. */
  'auth.changePin': call<SessionInfo>()(
    'session',
    z.strictObject({ currentPin: pinSchema, newPin: newPinSchema }),
  ),
  'auth.changePassword': call<SessionInfo>()(
    'session',
    z.strictObject({ currentPassword: passwordSchema, newPassword: newPasswordSchema }),
  ),

  // ---- people ----
  'people.list': call<Person[]>()(
    'people.view',
    z.strictObject({ query: z.string().max(64).optional(), includeInactive: z.boolean().optional() }),
  ),
  'people.create': call<{ person: Person; oneTimePin: string }>()(
    'people.manage',
    z.strictObject({
      badge: badgeSchema,
      name: nameSchema,
      unit: unitSchema.optional(),
      roles: z.array(z.enum(roles)).min(1).max(roles.length),
    }),
  ),
  'people.update': call<Person>()(
    'people.manage',
    z.strictObject({
      id,
      name: nameSchema.optional(),
      unit: unitSchema.optional(),
      roles: z.array(z.enum(roles)).min(1).max(roles.length).optional(),
    }),
  ),
  'people.setActive': call<Person>()('people.manage', z.strictObject({ id, active: z.boolean() })),
  /** Issues a new one-time PIN (lost PIN); also clears a lockout. */
  'people.resetPin': call<{ person: Person; oneTimePin: string }>()('people.manage', z.strictObject({ id })),

  // ---- devices (第六条) ----
  'devices.list': call<Device[]>()(
    'devices.view',
    z.strictObject({
      query: z.string().max(64).optional(),
      status: z.enum(deviceStatuses).optional(),
    }),
  ),
  'devices.get': call<DeviceDetail>()('devices.view', z.strictObject({ id })),
  'devices.register': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({
      serial: serialSchema,
      model: text(64).optional(),
      keeperId: id.optional(),
      note: z.string().trim().max(500).optional(),
    }),
  ),
  'devices.update': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({
      id,
      model: z.string().trim().max(64).optional(),
      /** null clears the keeper. */
      keeperId: id.nullable().optional(),
      note: z.string().trim().max(500).optional(),
    }),
  ),
  /** Take out of service, return to service, or retire (final). */
  'devices.setStatus': call<DeviceDetail>()(
    'devices.manage',
    z.strictObject({ id, status: z.enum(deviceStatuses), reason: reasonSchema }),
  ),

  // ---- docking and ingest ----
  /** The dock board: cameras on the station now, and open alarms. */
  'dock.board': call<{ docks: DockSessionView[]; alarms: Alarm[] }>()('ingest.view', empty),
  'dock.get': call<DockSessionDetail>()('ingest.view', z.strictObject({ id })),
  /** Identify a still-docked camera again (after registering it from its alarm) and ingest. */
  'dock.retry': call<DockSessionView>()('ingest.control', z.strictObject({ id })),
  'ingest.pause': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'ingest.resume': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'ingest.cancel': call<null>()('ingest.control', z.strictObject({ dockSessionId: id })),
  'alarms.resolve': call<Alarm>()('ingest.control', z.strictObject({ id, resolution: reasonSchema })),

  // ---- audit ----
  'audit.list': call<{ entries: AuditEntry[]; total: number }>()(
    'audit.view',
    z.strictObject({
      beforeSeq: id.optional(),
      limit: z.number().int().min(1).max(500).optional(),
      objectType: z.string().max(32).optional(),
    }),
  ),
  'audit.verify': call<AuditVerification>()('audit.view', empty),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
/** The input after the schema has parsed (trimmed, defaults applied). */
export type ParsedInput<K extends CallName> = z.output<Contract[K]['input']>;
export type CallOutput<K extends CallName> = Contract[K] extends CallSpec<z.ZodType, infer O> ? O : never;
export type CallResult<K extends CallName> = Result<CallOutput<K>>;
export const callNames = Object.keys(contract) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the preload (and the harness bridge) put on `window.station`. */
export interface StationBridge {
  invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K>>;
  /** Returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The wire messages every transport carries (IPC, MessagePort, WebSocket). */
export type WireRequest = { kind: 'invoke'; id: number; name: string; input: unknown };
export type WireMessage =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: EventName; payload: unknown };
