// Return by docking (第十五条 导出保存): when a camera's dock session finishes,
// its clips are placed in the checkout they were recorded under, the checkout
// becomes "offloaded" once every file of the camera is in the vault, a late
// offload leaves a record for supervision, and footage no checkout covers is
// flagged (第三条). Driven by the core's `dock.changed` event and by a sweep
// at start-up, so a crash between the end of an ingest and this step loses
// nothing: each finished dock session is accounted for exactly once.
import { stationActor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Writer, WriteTx } from '../db/writer.js';
import type { EventBus } from '../events.js';
import { lateness } from './deadline.js';
import type { SupervisionRecords } from './records.js';
import type { CheckoutRow, CustodyRepository, DockClip, FinishedDock } from './repository.js';

/**
 * Slack around a checkout's time when placing clips: clip times are the
 * camera's clock corrected by the skew measured at dock, good to seconds, and
 * an officer may switch the camera on while still at the counter.
 */
export const WINDOW_GRACE_MS = 5 * 60_000;

export interface CheckoutWindow {
  checkoutId: number;
  from: number;
  to: number;
}

/** The time each checkout had the camera, as seen from a dock at `dockedAt`; latest first. */
export function checkoutWindows(checkouts: readonly Pick<CheckoutRow, 'id' | 'checked_out_at' | 'returned_at'>[], dockedAt: number): CheckoutWindow[] {
  return [...checkouts]
    .filter((c) => c.checked_out_at <= dockedAt)
    .sort((a, b) => b.checked_out_at - a.checked_out_at)
    .map((c) => ({
      checkoutId: c.id,
      from: c.checked_out_at - WINDOW_GRACE_MS,
      to: Math.min(c.returned_at ?? dockedAt, dockedAt) + WINDOW_GRACE_MS,
    }));
}

/**
 * The checkout a clip was recorded under: the latest window holding its start
 * time. A clip whose start is unknown goes with the checkout the dock
 * offloads (the best the station knows); null means "outside any checkout".
 */
export function placeClip(startAt: number | null, windows: readonly CheckoutWindow[], owningCheckoutId: number | null): number | null {
  if (startAt === null) return owningCheckoutId;
  return windows.find((w) => startAt >= w.from && startAt <= w.to)?.checkoutId ?? null;
}

export interface OffloadDeps {
  repo: CustodyRepository;
  records: SupervisionRecords;
  writer: Writer;
  events: EventBus;
  clock: Clock;
  log(message: string, error?: unknown): void;
}

export class OffloadTracker {
  /** Checkouts already announced as overdue in this process. */
  private readonly announced = new Set<number>();

  constructor(private readonly d: OffloadDeps) {}

  /**
   * Accounts for every finished dock session not yet seen, oldest first. Returns how many.
   * Runs on every dock event, so it starts at a stored watermark below which every dock is
   * finished and accounted for, and moves the watermark up after each pass.
   */
  reconcile(): number {
    let n = 0;
    const from = this.d.repo.reconciledBelow();
    for (const dock of this.d.repo.unprocessedDocks(from)) {
      try {
        this.d.writer.run(stationActor, (tx) => this.process(tx, dock));
        n++;
      } catch (e) {
        // One bad dock must not hold up the others; it is tried again at the next event.
        this.d.log(`custody: accounting for dock session ${dock.id} failed`, e);
      }
    }
    const next = this.d.repo.nextWatermark(from);
    // Bookkeeping, not a custody decision: no audit row (the docks it covers each have theirs).
    if (next !== from) this.d.writer.run(stationActor, () => this.d.repo.setReconciledBelow(next));
    return n;
  }

  private process(tx: WriteTx, dock: FinishedDock): void {
    if (this.d.repo.isProcessed(dock.id)) return; // a concurrent pass got there first
    if (dock.deviceId === null) {
      this.d.repo.markProcessed(dock.id, null, 'nothing', tx.at);
      return;
    }
    const deviceId = dock.deviceId;
    const owner = this.d.repo.owningCheckout(deviceId, dock.attachedAt) ?? null;
    const clips = this.d.repo.clipsOfDock(dock.id).filter((c) => c.checkout_id === null);
    const { linked, outside } = this.place(deviceId, dock, clips, owner);

    for (const [checkoutId, clipIds] of linked) {
      for (const clipId of clipIds) this.d.repo.linkClip(clipId, checkoutId);
      tx.audit({ action: 'checkout.clips_linked', objectType: 'checkout', objectId: checkoutId, after: { dockSessionId: dock.id, clips: clipIds.length } });
      tx.emit('custody.changed', { checkoutId, deviceId });
    }
    if (outside.length > 0) {
      const kind = owner ? 'outside_window' : 'no_checkout';
      const id = this.d.records.addOutside({ dockSessionId: dock.id, deviceId, checkoutId: owner?.id ?? null, kind, clipIds: outside, at: tx.at });
      tx.audit({
        action: 'recording.outside_checkout',
        objectType: 'outside_recording',
        objectId: id,
        after: { kind, dockSessionId: dock.id, deviceId, checkoutId: owner?.id ?? null, clips: outside.length },
      });
      tx.emit('custody.outsideRecording', { id, dockSessionId: dock.id });
    }

    const complete = dock.state === 'done' && this.d.repo.everyFileIn(dock.id);
    if (!owner) {
      this.d.repo.markProcessed(dock.id, null, 'no_checkout', tx.at);
      return;
    }
    // A later complete dock during the same checkout (the officer docked at noon and kept
    // recording) moves the offload to it only when it brought new footage.
    const firstOffload = owner.offloaded_at === null;
    if (!complete || (!firstOffload && clips.length === 0)) {
      this.d.repo.markProcessed(dock.id, owner.id, complete ? 'offloaded' : 'incomplete', tx.at);
      return;
    }
    this.d.repo.setOffloaded(owner.id, { dockedAt: dock.attachedAt, offloadedAt: dock.finishedAt, dockSessionId: dock.id });
    const lateMs = lateness(owner.deadline_at, dock.attachedAt);
    tx.audit({
      action: 'checkout.offloaded',
      objectType: 'checkout',
      objectId: owner.id,
      before: { status: owner.status, offloadedAt: owner.offloaded_at },
      after: { dockSessionId: dock.id, dockedAt: dock.attachedAt, offloadedAt: dock.finishedAt, deadlineAt: owner.deadline_at, lateMs },
    });
    if (lateMs > 0) {
      const lateId = this.d.records.addLateOffload({
        checkoutId: owner.id,
        dockSessionId: dock.id,
        officerId: owner.officer_id,
        deviceId,
        deadlineAt: owner.deadline_at,
        dockedAt: dock.attachedAt,
        lateMs,
        at: tx.at,
      });
      tx.audit({
        action: 'checkout.offloaded_late',
        objectType: 'checkout',
        objectId: owner.id,
        after: { lateOffloadId: lateId, officerId: owner.officer_id, deadlineAt: owner.deadline_at, dockedAt: dock.attachedAt, lateMs },
      });
    }
    this.announced.delete(owner.id);
    this.d.repo.markProcessed(dock.id, owner.id, 'offloaded', tx.at);
    tx.emit('custody.changed', { checkoutId: owner.id, deviceId });
  }

  /** Splits a dock's new clips into those recorded under a checkout (by checkout) and those outside any. */
  private place(deviceId: number, dock: FinishedDock, clips: DockClip[], owner: CheckoutRow | null): { linked: Map<number, number[]>; outside: number[] } {
    const linked = new Map<number, number[]>();
    const outside: number[] = [];
    if (clips.length === 0) return { linked, outside };
    const starts = clips.map((c) => c.start_at).filter((s): s is number => s !== null);
    const earliest = starts.length > 0 ? Math.min(...starts) : dock.attachedAt;
    const windows = checkoutWindows(this.d.repo.checkoutsCovering(deviceId, dock.attachedAt, earliest - WINDOW_GRACE_MS), dock.attachedAt);
    for (const clip of clips) {
      const checkoutId = placeClip(clip.start_at, windows, owner?.id ?? null);
      if (checkoutId === null) outside.push(clip.id);
      else linked.set(checkoutId, [...(linked.get(checkoutId) ?? []), clip.id]);
    }
    return { linked, outside };
  }

  /**
   * Announces checkouts that have passed their deadline without an offload
   * since the last sweep (`custody.overdue`), so the overdue board and the
   * dock board's alarm update without polling. Runs on a timer and after
   * the harness moves its clock.
   */
  sweepOverdue(): number[] {
    const now = this.d.clock.now();
    const fresh: number[] = [];
    const stillPending = new Set<number>();
    for (const c of this.d.repo.overdueDeadlines(now)) {
      stillPending.add(c.id);
      if (this.announced.has(c.id)) continue;
      this.announced.add(c.id);
      fresh.push(c.id);
      this.d.events.emit('custody.overdue', { checkoutId: c.id, deadlineAt: c.deadline_at });
    }
    // Offloaded, or given a later deadline: announce again if it ever falls overdue anew.
    for (const id of this.announced) if (!stillPending.has(id)) this.announced.delete(id);
    return fresh;
  }
}
