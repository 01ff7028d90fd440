import type { ConnectionId } from '../events.js';

export interface Session {
  personId: number;
  startedAt: number;
  lastActivity: number;
  locked: boolean;
  /** Logged in with a one-time PIN: nothing but changing it is allowed. */
  mustChangePin: boolean;
  /** Failed unlock attempts while locked. */
  unlockFailures: number;
}

/**
 * Sessions live in the core's memory, one per connection (a window, a harness
 * socket). A core restart ends them all, which the UI reports; nothing about a
 * session needs to survive, and no token ever leaves the core.
 */
export class Sessions {
  private readonly byConnection = new Map<ConnectionId, Session>();

  constructor(private readonly idleLockMs: number) {}

  get(connection: ConnectionId): Session | undefined {
    return this.byConnection.get(connection);
  }

  start(connection: ConnectionId, personId: number, now: number, mustChangePin: boolean): Session {
    const s: Session = { personId, startedAt: now, lastActivity: now, locked: false, mustChangePin, unlockFailures: 0 };
    this.byConnection.set(connection, s);
    return s;
  }

  end(connection: ConnectionId): Session | undefined {
    const s = this.byConnection.get(connection);
    this.byConnection.delete(connection);
    return s;
  }

  /** Ends every session of one person (deactivated); returns their connections. */
  endForPerson(personId: number): ConnectionId[] {
    const ended: ConnectionId[] = [];
    for (const [c, s] of this.byConnection) {
      if (s.personId === personId) {
        this.byConnection.delete(c);
        ended.push(c);
      }
    }
    return ended;
  }

  isIdle(s: Session, now: number): boolean {
    return now - s.lastActivity >= this.idleLockMs;
  }

  /** Locks every session idle for too long; returns the connections just locked. */
  lockIdle(now: number): ConnectionId[] {
    const locked: ConnectionId[] = [];
    for (const [c, s] of this.byConnection) {
      if (!s.locked && this.isIdle(s, now)) {
        s.locked = true;
        locked.push(c);
      }
    }
    return locked;
  }
}
