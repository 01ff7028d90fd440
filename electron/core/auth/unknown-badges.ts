// Failed logins with badges nobody has, folded into one audit row a minute: a guesser trying many
// badges wrote one row each, which filled the audit and buried what matters in it. The first of a
// minute is written at once (someone is trying, now); the rest of that minute are counted and
// written as one row, with how many and the first badges tried, when the next one comes after the
// minute or the station closes.
import { stationActor } from '../audit/actor.js';
import type { Writer } from '../db/writer.js';

/** Badges kept per folded row: enough to see a pattern, not a list of every guess. */
const BADGES_KEPT = 20;

export class UnknownBadgeLog {
  private window: { start: number; more: number; badges: string[]; kinds: Set<string> } | null = null;

  constructor(
    private readonly writer: Writer,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  failed(badge: string, kind: string): void {
    const now = this.now();
    if (this.window && now < this.window.start + this.windowMs) {
      this.window.more += 1;
      if (this.window.badges.length < BADGES_KEPT && !this.window.badges.includes(badge)) this.window.badges.push(badge);
      this.window.kinds.add(kind);
      return;
    }
    this.flush();
    this.window = { start: now, more: 0, badges: [], kinds: new Set() };
    this.writer.run(stationActor, (tx) =>
      tx.audit({ action: 'auth.login_failed', objectType: 'person', objectId: null, after: { badge, kind, reason: 'unknown_badge' } }),
    );
  }

  /** Writes the folded row of the minute so far, if any failure was folded into it. */
  flush(): void {
    const w = this.window;
    this.window = null;
    if (!w || w.more === 0) return;
    this.writer.run(stationActor, (tx) =>
      tx.audit({
        action: 'auth.login_failed',
        objectType: 'person',
        objectId: null,
        after: { reason: 'unknown_badge_repeated', count: w.more, windowStartedAt: w.start, badges: w.badges, kinds: [...w.kinds].sort() },
      }),
    );
  }
}
