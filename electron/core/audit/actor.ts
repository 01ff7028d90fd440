import type { ActorKind } from '../../../shared/domain.js';

/** Who made a change, as the audit log records it. */
export interface Actor {
  kind: ActorKind;
  /** person.id for kind 'person'. */
  id: number | null;
  /** A readable name kept in the row itself, so the log reads without joins. */
  label: string;
}

export const stationActor: Actor = { kind: 'station', id: null, label: 'station' };

export function personActor(p: { id: number; badge: string; name: string }): Actor {
  return { kind: 'person', id: p.id, label: `${p.name} (${p.badge})` };
}

export function osActor(username: string): Actor {
  return { kind: 'os', id: null, label: `os:${username}` };
}
