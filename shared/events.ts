// Events: core → UI. Kept free of zod so the preload and Electron main can
// import the names without bundling the schemas.
export interface EventMap {
  /** This connection's session went idle and is now locked. */
  'session.locked': { at: number };
  /** This connection's session ended (logout elsewhere, person deactivated). */
  'session.ended': { reason: 'logout' | 'deactivated' | 'restart' };
  /** A new audit row was committed (the audit viewer refreshes). */
  'audit.appended': { seq: number; action: string };
  'people.changed': { id: number };
  'devices.changed': { id: number };
  /** Sent by the host, not the core: the core process restarted. */
  'core.restarted': { at: number };
}
export type EventName = keyof EventMap;
export const eventNames: readonly EventName[] = [
  'session.locked',
  'session.ended',
  'audit.appended',
  'people.changed',
  'devices.changed',
  'core.restarted',
];

