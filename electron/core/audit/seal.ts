// The daily seal (issue 19): whoever holds the station's files can rewrite
// everything it keeps about itself, the audit chain and its anchor included,
// so once a day the station computes a seal (the audit head and a Merkle root
// over the day's clips, chained to the previous seal) for 综合处 to print,
// sign and file. A rewrite after that is caught by the paper.
import type { SealSheet, SealVerification, SealView } from '../../../shared/seal.js';
import { StationError } from '../../../shared/errors.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { Actor } from './actor.js';
import { stationActor } from './actor.js';
import { GENESIS_HASH } from './log.js';
import type { SealedClip } from './seal-day.js';
import { addDays, clipsOfDay, dayBounds, dayOf, daysWithClips, lastClipId, rootOf } from './seal-day.js';
import { fieldsOnly, GENESIS_SEAL, sealCode, sealOf } from './seal-format.js';
import { renderSealPdf, sealQr } from './seal-pdf.js';
import type { StoredSeal } from './seal-store.js';
import { SEAL_ACTION, SEAL_OBJECT, SealStore } from './seal-store.js';
import { verifySeal } from './seal-verify.js';

/** A day is sealed this long after it ends, so a dock's commit begun before midnight has landed. */
export const SEAL_GRACE_MS = 60_000;
/** Days a station that was off are sealed back to; older ones are covered by the next seal's audit head. */
export const SEAL_BACKFILL_DAYS = 31;

export interface SealDeps {
  db: Db;
  writer: Writer;
  clock: Clock;
  timeZone: string;
  stationName: string;
  sealsDir: string;
  font: { file?: string; face?: string };
  log: (message: string, error?: unknown) => void;
}

export class SealService {
  readonly store: SealStore;
  /** Seals are made one at a time, so two never take the same number or previous seal. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: SealDeps) {
    this.store = new SealStore(d.db, d.sealsDir);
  }

  /** A seal of today so far (`audit.seal.make`, `station audit seal`): another may follow the same day. */
  makeNow(actor: Actor): Promise<SealView> {
    return this.serial(async () => (await this.make(actor, dayOf(this.d.clock.now(), this.d.timeZone), false))!);
  }

  /**
   * Seals every day that is due: each ended day since the last daily seal that had clips, and
   * always the last ended day (its seal carries the audit head, which covers every row before
   * it). A station that has never sealed starts with the day its log began, so a new station
   * seals nothing for the days before it existed. Runs at start-up and on a timer.
   */
  sealDue(): Promise<SealView[]> {
    return this.serial(async () => {
      const due = this.dueDays();
      const made: SealView[] = [];
      for (const day of due) {
        const seal = await this.make(stationActor, day, true);
        if (seal) made.push(seal);
      }
      return made;
    });
  }

  list(beforeRow: number | undefined, limit: number): { seals: SealView[]; total: number } {
    const seals: SealView[] = [];
    for (const s of this.store.rows(beforeRow)) {
      seals.push(this.view(s));
      if (seals.length >= limit) break;
    }
    return { seals, total: this.store.count() };
  }

  sheet(number: number): SealSheet {
    const s = this.find(number);
    const modules = sealQr(s.seal.payload);
    return { seal: this.view(s), previousCode: s.seal.previous === GENESIS_SEAL ? null : sealCode(s.seal.previous), qr: modules };
  }

  async pdf(number: number): Promise<{ fileName: string; pdf: Buffer }> {
    const s = this.find(number);
    const pdf = await renderSealPdf(s.seal, { timeZone: this.d.timeZone, font: this.d.font });
    return { fileName: `audit-seal-${s.seal.day}-${s.seal.number}.pdf`, pdf };
  }

  verify(text: string): SealVerification {
    return verifySeal({ db: this.d.db, store: this.store, stationName: this.d.stationName }, text);
  }

  private find(number: number): StoredSeal {
    const s = this.store.byNumber(number);
    if (!s) throw new StationError('not_found', `没有编号为 ${number} 的封存。 / There is no seal number ${number}.`, { field: 'number' });
    return s;
  }

  private view(s: StoredSeal): SealView {
    return { ...s.seal, file: this.store.fileOf(s.seal)?.file ?? null, auditRow: s.auditRow ?? 0 };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private dueDays(): string[] {
    const lastDue = addDays(dayOf(this.d.clock.now() - SEAL_GRACE_MS, this.d.timeZone), -1);
    const last = this.store.latestComplete();
    let first: string;
    if (last) first = addDays(last.seal.day, 1);
    else {
      const began = prepared<[], { at: number }>(this.d.db, 'SELECT at FROM audit ORDER BY seq LIMIT 1').get();
      if (!began) return [];
      first = dayOf(began.at, this.d.timeZone);
    }
    const earliest = addDays(lastDue, -(SEAL_BACKFILL_DAYS - 1));
    if (first < earliest) first = earliest;
    if (first > lastDue) return [];
    const days: string[] = [];
    for (let day = first; day <= lastDue; day = addDays(day, 1)) days.push(day);
    const withClips = daysWithClips(this.d.db, days, this.d.timeZone);
    return days.filter((day) => day === lastDue || withClips.has(day));
  }

  /**
   * One seal, in one transaction with its audit row: the head it names is the row before its
   * own, and no clip or row can slip in between what it reads and what it records. Its file is
   * written after the commit; a file that cannot be written leaves the seal in the chain (the
   * QR code verifies it) and is said in the log. A daily seal another process made meanwhile
   * is not made twice (null).
   */
  private async make(actor: Actor, day: string, daily: boolean): Promise<SealView | null> {
    const { startAt, endAt } = dayBounds(day, this.d.timeZone);
    const made = this.d.writer.run(actor, (tx) => {
      const prev = this.store.latest();
      if (daily) {
        const done = this.store.latestComplete();
        if (done && done.seal.day >= day) return null;
      }
      const head = prepared<[], { seq: number; hash: string }>(this.d.db, 'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
      const through = lastClipId(this.d.db);
      const clips: SealedClip[] = clipsOfDay(this.d.db, startAt, endAt, through);
      const seal = sealOf({
        station: this.d.stationName,
        day,
        dayStartAt: startAt,
        dayEndAt: endAt,
        number: (prev?.seal.number ?? 0) + 1,
        madeAt: tx.at,
        clipsThrough: through,
        auditSeq: head?.seq ?? 0,
        auditHash: head?.hash ?? GENESIS_HASH,
        clipCount: clips.length,
        merkleRoot: rootOf(clips),
        previous: prev?.seal.digest ?? GENESIS_SEAL,
      });
      tx.audit({ action: SEAL_ACTION, objectType: SEAL_OBJECT, objectId: seal.number, after: { ...fieldsOnly(seal), digest: seal.digest, code: seal.code } });
      return { seal, clips };
    });
    if (!made) return null;
    let file: string | null = null;
    try {
      file = await this.store.write(made.seal, made.clips);
    } catch (e) {
      this.d.log(`seal ${made.seal.number} is in the audit log but its file could not be written in ${this.d.sealsDir}`, e);
    }
    const auditRow = this.store.rowOf(made.seal.digest) ?? 0;
    return { ...made.seal, file, auditRow };
  }
}
