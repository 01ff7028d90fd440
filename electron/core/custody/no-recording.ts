// 第五条: a work activity may go unrecorded only in three cases, and then the
// officer writes a 工作记录 saying why and reports it to the department head,
// who acknowledges it. Listed with the checkout it happened under.
import type { NoRecordingReason, NoRecordingRecord } from '../../../shared/custody.js';
import { StationError } from '../../../shared/errors.js';
import type { Actor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { PeopleRepository } from '../people/repository.js';
import { DAY_MS, localDateTimeToUtc } from './deadline.js';
import type { CustodyRepository } from './repository.js';

interface Row {
  id: number;
  officer_id: number;
  officer_badge: string;
  officer_name: string;
  checkout_id: number | null;
  reason: NoRecordingReason;
  detail: string;
  occurred_at: number;
  place: string;
  head_id: number;
  head_badge: string;
  head_name: string;
  filed_at: number;
  filed_by: string;
  acknowledged_at: number | null;
  acknowledged_note: string | null;
}

const SELECT = `SELECT n.*, o.badge AS officer_badge, o.name AS officer_name, h.badge AS head_badge, h.name AS head_name
                FROM no_recording n JOIN person o ON o.id = n.officer_id JOIN person h ON h.id = n.head_id`;

const toRecord = (r: Row): NoRecordingRecord => ({
  id: r.id,
  officer: { id: r.officer_id, badge: r.officer_badge, name: r.officer_name },
  checkoutId: r.checkout_id,
  reason: r.reason,
  detail: r.detail,
  occurredAt: r.occurred_at,
  place: r.place,
  head: { id: r.head_id, badge: r.head_badge, name: r.head_name },
  filedAt: r.filed_at,
  filedBy: r.filed_by,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedNote: r.acknowledged_note,
});

export interface NoRecordingFilter {
  checkoutId?: number | undefined;
  officerId?: number | undefined;
  headId?: number | undefined;
  pending?: boolean | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

export class NoRecordingRepository {
  constructor(private readonly db: Db) {}

  insert(n: {
    officerId: number;
    checkoutId: number | null;
    reason: NoRecordingReason;
    detail: string;
    occurredAt: number;
    place: string;
    headId: number;
    at: number;
    by: string;
    byId: number | null;
  }): number {
    const info = prepared(
      this.db,
      `INSERT INTO no_recording (officer_id, checkout_id, reason, detail, occurred_at, place, head_id, filed_at, filed_by, filed_by_id)
       VALUES (@officerId, @checkoutId, @reason, @detail, @occurredAt, @place, @headId, @at, @by, @byId)`,
    ).run(n);
    return Number(info.lastInsertRowid);
  }

  /** The active department heads a record can be sent to. */
  heads(): Array<{ id: number; badge: string; name: string; unit: string | null }> {
    return prepared<[], { id: number; badge: string; name: string; unit: string | null }>(
      this.db,
      `SELECT p.id, p.badge, p.name, p.unit FROM person p JOIN person_role r ON r.person_id = p.id
       WHERE r.role = 'department_head' AND p.active = 1 ORDER BY p.badge`,
    ).all();
  }

  acknowledge(id: number, at: number, note: string | null): void {
    prepared(this.db, 'UPDATE no_recording SET acknowledged_at = ?, acknowledged_note = ? WHERE id = ?').run(at, note, id);
  }

  require(id: number): NoRecordingRecord {
    const r = prepared<[number], Row>(this.db, `${SELECT} WHERE n.id = ?`).get(id);
    if (!r) throw new StationError('not_found', `没有编号为 ${id} 的不记录工作记录。 / No no-recording record with id ${id}.`, { id });
    return toRecord(r);
  }

  list(f: NoRecordingFilter): NoRecordingRecord[] {
    const pending = f.pending === undefined ? null : f.pending ? 1 : 0;
    return prepared<
      [number | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null, number, number],
      Row
    >(
      this.db,
      `${SELECT} WHERE (? IS NULL OR n.checkout_id = ?) AND (? IS NULL OR n.officer_id = ?) AND (? IS NULL OR n.head_id = ?)
         AND (? IS NULL OR (n.acknowledged_at IS NULL) = ?) AND n.id < ?
       ORDER BY n.id DESC LIMIT ?`,
    )
      .all(
        f.checkoutId ?? null,
        f.checkoutId ?? null,
        f.officerId ?? null,
        f.officerId ?? null,
        f.headId ?? null,
        f.headId ?? null,
        pending,
        pending,
        f.beforeId ?? Number.MAX_SAFE_INTEGER,
        f.limit ?? 100,
      )
      .map(toRecord);
  }
}

/** Who is filing or acknowledging: the logged-in person (null for the CLI) and whether they may act for others. */
export interface Filer {
  actor: Actor;
  personId: number | null;
  /** Custodians and 综合处 may write the record for an officer at the counter. */
  mayFileForOthers: boolean;
}

export class NoRecordingService {
  constructor(
    private readonly d: {
      records: NoRecordingRepository;
      checkouts: CustodyRepository;
      people: PeopleRepository;
      writer: Writer;
      clock: Clock;
      timeZone: string;
    },
  ) {}

  file(
    by: Filer,
    input: {
      officerId?: number | undefined;
      checkoutId?: number | undefined;
      reason: NoRecordingReason;
      detail: string;
      occurredAt: string;
      place: string;
      headId: number;
    },
  ): NoRecordingRecord {
    const officerId = input.officerId ?? by.personId;
    if (officerId === null) {
      throw new StationError('invalid_input', '请指明执法人员。 / Name the officer.', { issues: [{ path: 'officerId', message: 'required' }] });
    }
    if (officerId !== by.personId && !by.mayFileForOthers) {
      throw new StationError('forbidden', '只能为本人填写不记录工作记录。 / You can only file a no-recording record for yourself.', {
        permission: 'custody.operate',
      });
    }
    const occurredAt = localDateTimeToUtc(input.occurredAt, this.d.timeZone);
    if (occurredAt === null) {
      throw new StationError('invalid_input', '时间无效。 / That time does not exist.', { issues: [{ path: 'occurredAt', message: 'not a real time' }] });
    }
    const now = this.d.clock.now();
    // 第五条: the record is written after the activity; allow a few minutes of clock difference, and a year back.
    if (occurredAt > now + 5 * 60_000 || occurredAt < now - 366 * DAY_MS) {
      throw new StationError('invalid_input', '发生时间须在过去一年内，且不晚于现在。 / The time must be within the past year and not in the future.', {
        issues: [{ path: 'occurredAt', message: 'out of range' }],
      });
    }
    const id = this.d.writer.run(by.actor, (tx) => {
      const officer = this.d.people.require(officerId);
      if (officer.active !== 1) {
        throw new StationError('invalid_state', `${officer.name}（${officer.badge}）已停用。 / ${officer.name} (${officer.badge}) is deactivated.`, { field: 'officerId' });
      }
      // One answer for "no such person" and "not an active head", naming nobody: the choice comes from
      // norecord.heads, and an error that named whoever an id belongs to let any session list people.
      const head = this.d.people.row(input.headId);
      if (!head || head.active !== 1 || !this.d.people.roles(head.id).includes('department_head')) {
        throw new StationError('invalid_state', '所选人员不是在任的部门负责人，请从列表中选择。 / The person chosen is not an active department head; choose one from the list.', {
          field: 'headId',
        });
      }
      if (input.checkoutId !== undefined && this.d.checkouts.require(input.checkoutId).officer_id !== officerId) {
        throw new StationError('invalid_state', '该领用记录不是这位执法人员的。 / That checkout belongs to another officer.', { field: 'checkoutId' });
      }
      const id = this.d.records.insert({
        officerId,
        checkoutId: input.checkoutId ?? null,
        reason: input.reason,
        detail: input.detail,
        occurredAt,
        place: input.place,
        headId: head.id,
        at: tx.at,
        by: by.actor.label,
        byId: by.actor.kind === 'person' ? by.actor.id : null,
      });
      tx.audit({
        action: 'norecord.filed',
        objectType: 'norecord',
        objectId: id,
        after: { officer: officer.badge, checkoutId: input.checkoutId ?? null, reason: input.reason, occurredAt, place: input.place, head: head.badge },
      });
      tx.emit('norecord.changed', { id, headId: head.id });
      return id;
    });
    return this.d.records.require(id);
  }

  /** The head it was reported to acknowledges it (the CLI, acting as the station's owner, may too). */
  acknowledge(by: Filer, input: { id: number; note?: string | undefined }): NoRecordingRecord {
    this.d.writer.run(by.actor, (tx) => {
      const record = this.d.records.require(input.id);
      if (by.actor.kind === 'person' && by.personId !== record.head.id) {
        throw new StationError(
          'forbidden',
          `此记录报送给 ${record.head.name}（${record.head.badge}），须由其本人确认。 / This record was sent to ${record.head.name} (${record.head.badge}); only they can acknowledge it.`,
          { permission: 'norecord.acknowledge' },
        );
      }
      if (record.acknowledgedAt !== null) throw new StationError('invalid_state', '该记录已确认。 / This record is already acknowledged.');
      this.d.records.acknowledge(input.id, tx.at, input.note ?? null);
      tx.audit({ action: 'norecord.acknowledged', objectType: 'norecord', objectId: input.id, after: { note: input.note ?? null } });
      tx.emit('norecord.changed', { id: input.id, headId: record.head.id });
    });
    return this.d.records.require(input.id);
  }
}
