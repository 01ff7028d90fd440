import type { EventMap, EventName } from '../../../shared/contract.js';
import type { Actor } from '../audit/actor.js';
import type { AuditLog, AuditRecord } from '../audit/log.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Db } from './open.js';

/** What a change can do inside its transaction. */
export interface WriteTx {
  readonly at: number;
  readonly actor: Actor;
  /** `as` names a different actor for this row (setup: the person it creates). */
  audit(record: AuditRecord, as?: Actor): void;
  /** Queued; sent only after the transaction commits. */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
}

/**
 * Every state change goes through `run`: one IMMEDIATE transaction holding the
 * change and its audit rows, then (only after commit) the audit anchor and the
 * events. If the change throws, nothing is written and nothing is announced.
 */
export class Writer {
  constructor(
    private readonly db: Db,
    private readonly auditLog: AuditLog,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  run<T>(actor: Actor, change: (tx: WriteTx) => T): T {
    const pending: Array<[EventName, unknown]> = [];
    let head: { seq: number; hash: string } | null = null;
    const appended: Array<{ seq: number; action: string }> = [];
    const at = this.clock.now();
    const result = this.db
      .transaction(() => {
        const tx: WriteTx = {
          at,
          actor,
          audit: (record, as) => {
            head = this.auditLog.append(as ?? actor, at, record);
            appended.push({ seq: head.seq, action: record.action });
          },
          emit: (event, payload) => {
            pending.push([event, payload]);
          },
        };
        return change(tx);
      })
      .immediate();
    if (head) this.auditLog.writeAnchor(head);
    for (const [event, payload] of pending) this.events.emit(event, payload as never);
    for (const a of appended) this.events.emit('audit.appended', a);
    return result;
  }

  /**
   * A change that need not survive a power cut on its own: a file's passing step (copying,
   * verifying), which crash recovery treats as interrupted whatever it says. Committed without
   * waiting for the disk (synchronous=NORMAL for this one commit, in WAL: still atomic, never
   * corrupting), and made durable by the next commit of `run`, whose WAL sync carries it. A
   * camera's small files each made two of these; at a millisecond's sync each, on the thread that
   * hands the camera to the next file, they were a good part of a photo's time. No audit rows
   * and no events: the chain and what the screens are told are always durable first.
   */
  runUnsynced<T>(change: () => T): T {
    const durable = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction(change).immediate();
    } finally {
      this.db.pragma(`synchronous = ${durable}`);
    }
  }
}
