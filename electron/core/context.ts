import type { Actor } from './audit/actor.js';
import type { Session } from './auth/sessions.js';
import type { ConnectionId } from './events.js';

/** What every handler knows about its caller, established by the dispatcher. */
export interface CallContext {
  connection: ConnectionId;
  actor: Actor;
  /** The logged-in person's session; absent for public calls and for the CLI. */
  session: Session | undefined;
}
