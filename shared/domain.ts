// Domain types that cross the contract. Times are UTC epoch milliseconds;
// the renderer shows them in the station's time zone.
import type { PrivilegedRole, Role } from './roles.js';

export interface Person {
  id: number;
  /** 警号 */
  badge: string;
  name: string;
  unit: string | null;
  roles: Role[];
  active: boolean;
  hasPassword: boolean;
  hasPin: boolean;
  /** The PIN was issued by someone else and must be replaced at next login. */
  mustChangePin: boolean;
  lockedUntil: number | null;
  createdAt: number;
}

/** A grant of 系统管理员, 综合处 or 部门负责人 and its four-eyes decision (issue 19). */
export const roleGrantStates = ['pending', 'unreviewed', 'confirmed', 'refused'] as const;
export type RoleGrantState = (typeof roleGrantStates)[number];

export interface RoleGrant {
  id: number;
  person: PersonRef;
  role: PrivilegedRole;
  /** pending: waits, the role is not held yet; unreviewed: in effect because the station had no second person. */
  state: RoleGrantState;
  requestedBy: string;
  requestedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  reason: string | null;
  /** Whether the asking session may confirm or refuse it (not its requester, not its grantee). */
  mayDecide: boolean;
}

export const deviceStatuses = ['in_service', 'out_of_service', 'retired'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

export interface PersonRef {
  id: number;
  badge: string;
  name: string;
}

export interface Device {
  id: number;
  /** 产品序号 */
  serial: string;
  model: string | null;
  status: DeviceStatus;
  statusReason: string | null;
  /** 定人管理: the one person responsible for this camera. */
  keeper: PersonRef | null;
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface KeeperSpell {
  keeper: PersonRef | null;
  from: number;
  to: number | null;
  assignedBy: string;
}

export interface DeviceDetail extends Device {
  keeperHistory: KeeperSpell[];
}

export type ActorKind = 'person' | 'os' | 'station';

export interface AuditEntry {
  seq: number;
  at: number;
  actorKind: ActorKind;
  actorId: number | null;
  actorLabel: string;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export type AuditBreakReason =
  | 'hash_mismatch' // the row's content no longer matches its hash: it was edited
  | 'chain_mismatch' // the row does not point at the row before it: a row was removed or inserted
  | 'truncated' // rows at the end are missing (the anchor saw more rows than are there)
  | 'anchor_missing'; // the anchor outside the database is gone or unreadable, though there are rows: nothing vouches for the end of the chain

export type AuditVerification =
  | { intact: true; rows: number; headSeq: number | null; headHash: string | null }
  | {
      intact: false;
      rows: number;
      firstBrokenSeq: number;
      reason: AuditBreakReason;
      message: string;
    };

export interface SessionInfo {
  person: Person;
  permissions: string[];
  locked: boolean;
  mustChangePin: boolean;
  idleLockMs: number;
  startedAt: number;
}

export interface StationStatus {
  initialized: boolean;
  version: string;
  timeZone: string;
  schemaVersion: number;
  stationName: string;
}
