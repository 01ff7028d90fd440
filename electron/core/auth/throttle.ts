// Failed logins slow the next attempt, per window (connection) and across the station, with a
// delay that grows: guesses spread over many badges were never slowed (each account locks only
// itself after five), and a lock of everyone would let one person shut the station's counter.
// The delay comes before the secret check, so it costs the guesser, not the core (nothing else
// waits on it), and a right secret after it is still let in.
import type { ConnectionId } from '../events.js';

export interface ThrottleRule {
  /** Failures are counted over this long. */
  windowMs: number;
  /** Failures of one window (connection) that cost nothing: typing slips. */
  freePerConnection: number;
  /** Failures across the station that cost nothing: a busy counter at shift change. */
  freeStationWide: number;
  /** The first delay; each further failure of the same window doubles it. */
  baseMs: number;
  /** Across the station, each failure beyond the free ones adds this much. */
  stationStepMs: number;
  /** No attempt waits longer than this. */
  maxMs: number;
}

export const DEFAULT_THROTTLE: ThrottleRule = {
  windowMs: 60_000,
  freePerConnection: 3,
  freeStationWide: 20,
  baseMs: 500,
  stationStepMs: 250,
  maxMs: 10_000,
};

export class LoginThrottle {
  private readonly byConnection = new Map<ConnectionId, number[]>();
  private station: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly rule: ThrottleRule = DEFAULT_THROTTLE,
  ) {}

  /** How long this attempt waits before its secret is checked, ms. */
  delayFor(connection: ConnectionId): number {
    const now = this.now();
    const own = this.recent(this.byConnection.get(connection) ?? [], now).length;
    this.station = this.recent(this.station, now);
    const r = this.rule;
    const perConnection = own < r.freePerConnection ? 0 : r.baseMs * 2 ** (own - r.freePerConnection);
    const stationWide = Math.max(0, this.station.length - r.freeStationWide + 1) * r.stationStepMs;
    return Math.min(r.maxMs, Math.max(perConnection, stationWide));
  }

  failed(connection: ConnectionId): void {
    const now = this.now();
    this.byConnection.set(connection, [...this.recent(this.byConnection.get(connection) ?? [], now), now]);
    this.station = [...this.recent(this.station, now), now];
  }

  /** A right secret forgives its own window's slips, not the station's count. */
  succeeded(connection: ConnectionId): void {
    this.byConnection.delete(connection);
  }

  private recent(times: number[], now: number): number[] {
    return times.filter((t) => t > now - this.rule.windowMs);
  }
}
