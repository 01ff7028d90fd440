// The export record and its rules (第十七、二十、二十一条): who makes an export, which need a
// department head's approval, and the steps an export goes through until its discs are handed
// over. The dispatcher has checked each call's permission; here the finer rules. The discs
// themselves are built by ExportBuilder (build.ts).
import { randomUUID } from 'node:crypto';
import { StationError } from '../../../shared/errors.js';
import type { ApprovalReason, ExportMedium, ExportPurpose, ExportRecord, ExportSettings, ExportState } from '../../../shared/export.js';
import { exportNo, MAX_EXPORT_CLIPS } from '../../../shared/export.js';
import { isSecret } from '../../../shared/library.js';
import { permissionsOf } from '../../../shared/roles.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import { clipConfidentiality } from '../library/confidentiality.js';
import type { PeopleRepository } from '../people/repository.js';
import type { Caller } from '../viewing/service.js';
import { exportRow, listRows, toRecord, type ExportRow, type ListFilter } from './records.js';
import { STATES } from './register-csv.js';
import type { ExportSettingsStore } from './settings.js';

export type { Caller };

export interface ExportServiceDeps {
  db: Db;
  writer: Writer;
  people: PeopleRepository;
  settings: ExportSettingsStore;
  /** The builder's live progress of an export being built, for its record. */
  progress(id: number): ExportRecord['progress'];
  /** Starts (or restarts) the build of an export now in state building. */
  build(id: number): void;
  /** Stops a build and deletes what it made (images, staging). */
  discard(id: number): Promise<void>;
}

export type RecipientInput = { personId: number } | { name: string; unit: string; idNo: string };

export interface CreateInput {
  caseId?: number | undefined;
  /** The clips chosen in the library; with a case, each must be in it. */
  clipIds?: number[] | undefined;
  /** Every clip of the case (then no clipIds). */
  allOfCase?: boolean | undefined;
  purpose: ExportPurpose;
  note?: string | undefined;
  medium: ExportMedium;
  /** With medium 'drive': a drive the station found (index.ts checks it). */
  driveAddress?: string | undefined;
  recipient: RecipientInput;
}

const bad = (field: string, message: string) => new StationError('invalid_input', message, { issues: [{ path: field, message }] });

const needPerson = (c: Caller): number => {
  if (c.personId === null) {
    throw new StationError('forbidden', '光盘导出须由本人登录办理。 / Evidence discs are made by a person logged in at the station.');
  }
  return c.personId;
};


export class ExportService {
  constructor(private readonly d: ExportServiceDeps) {}

  get(id: number): ExportRecord {
    const row = this.row(id);
    return toRecord(this.d.db, row, this.d.progress(id));
  }

  list(filter: ListFilter): ExportRecord[] {
    return listRows(this.d.db, filter).map((r) => toRecord(this.d.db, r, this.d.progress(r.id)));
  }

  /** How many wait for this caller's decision (a head's home screen). */
  pendingFor(c: Caller): number {
    if (c.personId === null || !permissionsOf(this.d.people.roles(c.personId)).has('export.approve')) return 0;
    return prepared<[number], { n: number }>(this.d.db, "SELECT count(*) AS n FROM export WHERE state = 'pending_approval' AND IFNULL(maker_id, -1) != ?").get(c.personId)!.n;
  }

  settings(): ExportSettings {
    return this.d.settings.get();
  }

  updateSettings(c: Caller, next: Partial<ExportSettings>): ExportSettings {
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.d.settings.get();
      const after = { ...before, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) } as ExportSettings;
      this.d.settings.put(after);
      tx.audit({ action: 'export.settings_changed', objectType: 'station', objectId: null, before, after });
      return after;
    });
  }

  private row(id: number): ExportRow {
    const row = exportRow(this.d.db, id);
    if (!row) throw new StationError('not_found', `没有编号为 ${exportNo(id)} 的光盘导出。 / There is no export ${exportNo(id)}.`);
    return row;
  }

  private requireState(row: ExportRow, allowed: readonly ExportState[], doing: { zh: string; en: string }): void {
    if (!allowed.includes(row.state)) {
      throw new StationError(
        'invalid_state',
        `${exportNo(row.id)} 当前为“${STATES[row.state].zh}”，不能${doing.zh}。 / ${exportNo(row.id)} is ${STATES[row.state].en.toLowerCase()}: it cannot be ${doing.en}.`,
        { state: row.state },
      );
    }
  }

  /** The clips the input names, checked, in the order given (a case's: by start time). */
  private clipsOf(input: CreateInput): number[] {
    if (input.allOfCase) {
      if (input.caseId === undefined) throw bad('caseId', '导出整个案件须指明案件。 / Name the case to export all of it.');
      if (input.clipIds && input.clipIds.length > 0) throw bad('clipIds', '导出整个案件时不再单独选择录像。 / Exporting a whole case names no single clips.');
      const ids = prepared<[number], { id: number }>(
        this.d.db,
        'SELECT k.id FROM case_clip cc JOIN clip k ON k.id = cc.clip_id WHERE cc.case_id = ? ORDER BY k.start_at, k.id',
      )
        .all(input.caseId)
        .map((r) => r.id);
      if (ids.length === 0) throw new StationError('invalid_state', '该案件没有录像可导出。 / The case has no recordings to export.', { field: 'caseId' });
      if (ids.length > MAX_EXPORT_CLIPS) {
        throw new StationError('invalid_state', `该案件有 ${ids.length} 个录像，一次导出最多 ${MAX_EXPORT_CLIPS} 个：请分次选择导出。 / The case has ${ids.length} recordings and one export holds at most ${MAX_EXPORT_CLIPS}: export them in parts.`);
      }
      return ids;
    }
    const ids = [...new Set(input.clipIds ?? [])];
    if (ids.length === 0) throw bad('clipIds', '请选择要导出的录像。 / Choose the recordings to export.');
    for (const id of ids) {
      if (!prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM clip WHERE id = ?').get(id)) {
        throw new StationError('not_found', `没有编号为 ${id} 的录像。 / There is no clip ${id}.`, { field: 'clipIds' });
      }
      if (input.caseId !== undefined && !prepared<[number, number], { one: 1 }>(this.d.db, 'SELECT 1 AS one FROM case_clip WHERE case_id = ? AND clip_id = ?').get(input.caseId, id)) {
        throw bad('clipIds', `录像 ${id} 不属于该案件：请先将其加入案件，或不按案件导出。 / Clip ${id} is not in the case: add it to the case first, or export it without the case.`);
      }
    }
    return ids;
  }

  /** 第二十条 and 第二十一条: which of the rule's reasons hold for this export. */
  private approvalReasons(input: CreateInput, clipIds: readonly number[]): ApprovalReason[] {
    const reasons: ApprovalReason[] = [];
    const levels = clipConfidentiality(this.d.db, clipIds);
    if ([...levels.values()].some(isSecret)) reasons.push('secret');
    if (input.caseId === undefined) reasons.push('no_case');
    if (input.purpose !== 'evidence') reasons.push('purpose');
    if (this.d.settings.get().requireApprovalForAll) reasons.push('station_setting');
    return reasons;
  }

  create(c: Caller, input: CreateInput): ExportRecord {
    const makerId = needPerson(c);
    if (input.caseId !== undefined && !prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM legal_case WHERE id = ?').get(input.caseId)) {
      throw new StationError('not_found', `没有编号为 ${input.caseId} 的案件。 / There is no case ${input.caseId}.`, { field: 'caseId' });
    }
    if ((input.medium === 'drive') !== (input.driveAddress !== undefined)) {
      throw bad('driveAddress', '按刻录机中的光盘分盘时须选择刻录机，且只在此时选择。 / Choose a drive exactly when splitting for the blank in a drive.');
    }
    const clipIds = this.clipsOf(input);
    const recipient = this.recipientOf(input.recipient, makerId);
    const reasons = this.approvalReasons(input, clipIds);
    const id = this.d.writer.run(c.actor, (tx) => {
      const newId = Number(
        prepared(
          this.d.db,
          `INSERT INTO export (case_id, purpose, note, medium, drive_address, state, group_id, maker_id, maker_label, recipient_person_id, recipient_name,
             recipient_badge, recipient_unit, recipient_id_no, needs_approval, created_at)
           VALUES (@case_id, @purpose, @note, @medium, @drive_address, @state, @group_id, @maker_id, @maker_label, @recipient_person_id, @recipient_name,
             @recipient_badge, @recipient_unit, @recipient_id_no, @needs_approval, @created_at)`,
        ).run({
          case_id: input.caseId ?? null,
          purpose: input.purpose,
          note: input.note ?? null,
          medium: input.medium,
          drive_address: input.driveAddress ?? null,
          state: reasons.length > 0 ? 'pending_approval' : 'approved',
          group_id: randomUUID(),
          maker_id: makerId,
          maker_label: this.personLabel(makerId),
          ...recipient,
          needs_approval: reasons.join(','),
          created_at: tx.at,
        }).lastInsertRowid,
      );
      const add = prepared(this.d.db, 'INSERT INTO export_clip (export_id, position, clip_id) VALUES (?, ?, ?)');
      clipIds.forEach((clipId, i) => add.run(newId, i + 1, clipId));
      tx.audit({
        action: 'export.created',
        objectType: 'export',
        objectId: newId,
        after: { exportNo: exportNo(newId), caseId: input.caseId ?? null, clips: clipIds.length, purpose: input.purpose, medium: input.medium, recipient: recipient.recipient_name, needsApproval: reasons },
      });
      tx.emit('export.changed', { id: newId });
      return newId;
    });
    // Approved by being made (第十七条): the discs are made now, with the 提取人 present.
    if (reasons.length === 0) return this.start(c, id);
    return this.get(id);
  }

  /** A person as the sheet and the register print them (制作人, 批准人): 姓名（警号）. */
  private personLabel(personId: number): string {
    const p = this.d.people.row(personId)!;
    return `${p.name}（${p.badge}）`;
  }

  private recipientOf(r: RecipientInput, makerId: number) {
    if ('personId' in r) {
      const p = this.d.people.row(r.personId);
      if (!p) throw new StationError('not_found', `没有编号为 ${r.personId} 的人员。 / There is no person ${r.personId}.`, { field: 'recipient' });
      if (p.active !== 1) throw new StationError('invalid_state', `${p.name}（${p.badge}）已停用。 / ${p.name} (${p.badge}) is deactivated.`, { field: 'recipient' });
      if (p.id === makerId) throw bad('recipient', '提取人不能是制作人本人。 / The 提取人 (who takes the discs) cannot be the one making them.');
      return { recipient_person_id: p.id, recipient_name: p.name, recipient_badge: p.badge, recipient_unit: null, recipient_id_no: null };
    }
    return { recipient_person_id: null, recipient_name: r.name, recipient_badge: null, recipient_unit: r.unit, recipient_id_no: r.idNo };
  }

  approve(c: Caller, id: number, note: string | undefined): ExportRecord {
    const personId = needPerson(c);
    this.d.writer.run(c.actor, (tx) => {
      const row = this.row(id);
      this.requireState(row, ['pending_approval'], { zh: '批准', en: 'approved' });
      if (row.maker_id === personId) throw new StationError('forbidden', '不能批准本人制作的导出。 / You cannot approve an export you made.');
      prepared(this.d.db, "UPDATE export SET state = 'approved', approved_by = ?, approved_by_id = ?, approved_at = ?, decision_note = ? WHERE id = ?").run(
        this.personLabel(personId),
        personId,
        tx.at,
        note ?? null,
        id,
      );
      tx.audit({ action: 'export.approved', objectType: 'export', objectId: id, before: { state: row.state }, after: { state: 'approved', note: note ?? null } });
      tx.emit('export.changed', { id });
    });
    return this.get(id);
  }

  refuse(c: Caller, id: number, reason: string): ExportRecord {
    const personId = needPerson(c);
    this.d.writer.run(c.actor, (tx) => {
      const row = this.row(id);
      this.requireState(row, ['pending_approval'], { zh: '退回', en: 'refused' });
      if (row.maker_id === personId) throw new StationError('forbidden', '不能审批本人制作的导出。 / You cannot decide an export you made.');
      prepared(this.d.db, "UPDATE export SET state = 'refused', approved_by = ?, approved_by_id = ?, approved_at = ?, decision_note = ? WHERE id = ?").run(
        this.personLabel(personId),
        personId,
        tx.at,
        reason,
        id,
      );
      tx.audit({ action: 'export.refused', objectType: 'export', objectId: id, before: { state: row.state }, after: { state: 'refused', reason } });
      tx.emit('export.changed', { id });
    });
    return this.get(id);
  }

  /**
   * Makes the discs: 提取时间 is now (the 提取人 is there as they are made). Also rebuilds a failed
   * export from its record, its verified discs kept (build.ts).
   */
  start(c: Caller, id: number): ExportRecord {
    needPerson(c);
    this.d.writer.run(c.actor, (tx) => {
      const row = this.row(id);
      this.requireState(row, ['approved', 'failed'], { zh: '制作', en: 'made' });
      // Made again after a failure: every disc anew, so all of them carry this 提取时间 (a resume
      // after a restart keeps the discs already verified, and the time with them: build.ts).
      prepared(this.d.db, 'DELETE FROM export_disc WHERE export_id = ?').run(id);
      prepared(this.d.db, 'UPDATE export_clip SET disc = NULL, disc_path = NULL, sha256 = NULL WHERE export_id = ?').run(id);
      prepared(this.d.db, "UPDATE export SET state = 'building', extracted_at = ?, failure_code = NULL, failure_message = NULL WHERE id = ?").run(tx.at, id);
      tx.audit({ action: 'export.started', objectType: 'export', objectId: id, before: { state: row.state }, after: { state: 'building', extractedAt: tx.at } });
      tx.emit('export.changed', { id });
    });
    this.d.build(id);
    return this.get(id);
  }

  /** The 提取人 has the discs: the images leave the station (the register keeps their hashes). */
  async handOver(c: Caller, id: number): Promise<ExportRecord> {
    needPerson(c);
    this.d.writer.run(c.actor, (tx) => {
      const row = this.row(id);
      this.requireState(row, ['ready'], { zh: '交付', en: 'handed over' });
      prepared(this.d.db, "UPDATE export SET state = 'handed_over', handed_over_at = ? WHERE id = ?").run(tx.at, id);
      tx.audit({ action: 'export.handed_over', objectType: 'export', objectId: id, before: { state: row.state }, after: { state: 'handed_over', recipient: row.recipient_name } });
      tx.emit('export.changed', { id });
    });
    await this.d.discard(id);
    return this.get(id);
  }

  async cancel(c: Caller, id: number, reason: string): Promise<ExportRecord> {
    needPerson(c);
    this.d.writer.run(c.actor, (tx) => {
      const row = this.row(id);
      this.requireState(row, ['pending_approval', 'approved', 'building', 'ready', 'failed'], { zh: '取消', en: 'cancelled' });
      prepared(this.d.db, "UPDATE export SET state = 'cancelled', failure_code = NULL, failure_message = NULL WHERE id = ?").run(id);
      tx.audit({ action: 'export.cancelled', objectType: 'export', objectId: id, before: { state: row.state }, after: { state: 'cancelled', reason } });
      tx.emit('export.changed', { id });
    });
    await this.d.discard(id);
    return this.get(id);
  }
}
