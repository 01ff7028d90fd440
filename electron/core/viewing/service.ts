// View requests, their decision, grants and the register as people read it (第十八、十九条).
// The dispatcher has checked the permission of each call; here the finer rules: the approver is
// the role the station's setting names, nobody decides their own request, a grant goes only to
// someone who may ask to view, and who sees which requests and grants.
import type { ViewPurpose, ViewScope } from '../../../shared/library.js';
import { StationError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import { permissionsOf } from '../../../shared/roles.js';
import type {
  StandingScope,
  ViewGrant,
  ViewingSettings,
  ViewRegisterEntry,
  ViewRequest,
  ViewRequestState,
} from '../../../shared/viewing.js';
import { MAX_REQUEST_CLIPS } from '../../../shared/viewing.js';
import { zoneFields } from '../../../shared/time.js';
import type { Actor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { PeopleRepository } from '../people/repository.js';
import type { GrantRow } from './access.js';
import { registerCsv } from './register-csv.js';
import type { ViewingSettingsStore } from './settings.js';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const PAGE = 50;
/** The CSV holds at most this many rows; a longer register is exported a date range at a time. */
export const CSV_MAX_ROWS = 100_000;

interface RequestRow {
  id: number;
  requester_id: number;
  reason: string;
  purpose: ViewPurpose;
  scope: ViewScope;
  case_id: number | null;
  checkout_id: number | null;
  hours: number;
  requested_at: number;
  state: ViewRequestState;
  decided_at: number | null;
  decided_by: string | null;
  decided_by_id: number | null;
  decision_note: string | null;
}

interface RegisterRow {
  id: number;
  viewer_id: number;
  viewer: string;
  clip_id: number;
  grant_id: number | null;
  reason: string;
  purpose: ViewPurpose | null;
  approver: string | null;
  opened_at: number;
  closed_at: number | null;
  closed_because: ViewRegisterEntry['closedBecause'];
  bytes_served: number;
}

/** Who is asking: a logged-in person, or the CLI (personId null), which acts with every permission. */
export interface Caller {
  actor: Actor;
  personId: number | null;
}

export interface RegisterFilter {
  personId?: number | undefined;
  clipId?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

export interface ViewingDeps {
  db: Db;
  writer: Writer;
  people: PeopleRepository;
  settings: ViewingSettingsStore;
  clock: Clock;
  timeZone: string;
}

const needPerson = (c: Caller): number => {
  if (c.personId === null) {
    throw new StationError('forbidden', '查阅申请和批准须由本人登录办理。 / Viewing requests and decisions are made by a person logged in at the station.');
  }
  return c.personId;
};

/**
 * `column = @column` for each filter given, so each combination is its own statement and uses its
 * index ("(? IS NULL OR column = ?)" would keep SQLite from it); 1 when none is.
 */
function filterSql(filters: Record<string, string | number | null>): { where: string; params: Record<string, string | number> } {
  const given = Object.entries(filters).filter((e): e is [string, string | number] => e[1] !== null);
  return { where: given.length === 0 ? '1' : given.map(([c]) => `${c} = @${c}`).join(' AND '), params: Object.fromEntries(given) };
}

const bad = (field: string, message: string) => new StationError('invalid_input', message, { issues: [{ path: field, message }] });

export class ViewingService {
  constructor(private readonly d: ViewingDeps) {}

  // ---- who may do what beyond the call's permission ----

  private roles(personId: number): Role[] {
    return this.d.people.roles(personId);
  }

  private isApprover(personId: number): boolean {
    return this.roles(personId).includes(this.d.settings.get().approverRole);
  }

  /** Sees everyone's requests and grants: the approver, the register's readers, the CLI. */
  private seesAll(c: Caller): boolean {
    if (c.personId === null) return true;
    return this.isApprover(c.personId) || permissionsOf(this.roles(c.personId)).has('viewing.register');
  }

  private requireApprover(c: Caller): number {
    const personId = needPerson(c);
    const role = this.d.settings.get().approverRole;
    if (!this.roles(personId).includes(role)) {
      throw new StationError('forbidden', '本站的查阅审批人不是您的角色。 / Your role is not the one this station has approve view requests.', { approverRole: role });
    }
    return personId;
  }

  private requireViewer(personId: number, field: string): void {
    const row = this.d.people.row(personId);
    if (!row) throw new StationError('not_found', `没有编号为 ${personId} 的人员。 / There is no person ${personId}.`, { field });
    if (row.active !== 1 || !permissionsOf(this.roles(personId)).has('viewing.request')) {
      throw new StationError('invalid_state', `${row.name}（${row.badge}）不能查阅录像。 / ${row.name} (${row.badge}) may not view recordings.`, { field });
    }
  }

  private requireCase(id: number, field: string): void {
    if (!prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM legal_case WHERE id = ?').get(id)) {
      throw new StationError('not_found', `没有编号为 ${id} 的案件。 / There is no case ${id}.`, { field });
    }
  }

  private requireCheckout(id: number, field: string): void {
    if (!prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM checkout WHERE id = ?').get(id)) {
      throw new StationError('not_found', `没有编号为 ${id} 的领用记录。 / There is no checkout ${id}.`, { field });
    }
  }

  // ---- requests ----

  request(
    c: Caller,
    input: { reason: string; purpose: ViewPurpose; scope: ViewScope; clipIds?: number[] | undefined; caseId?: number | undefined; checkoutId?: number | undefined; hours: number },
  ): ViewRequest {
    const requesterId = needPerson(c);
    const clipIds = [...new Set(input.clipIds ?? [])];
    // One scope, and only its own field: a request says plainly what it asks for.
    if (input.scope === 'clips') {
      if (clipIds.length === 0) throw bad('clipIds', '请选择要查阅的录像。 / Choose the clips to view.');
      if (clipIds.length > MAX_REQUEST_CLIPS) throw bad('clipIds', `一次最多申请 ${MAX_REQUEST_CLIPS} 个录像。 / At most ${MAX_REQUEST_CLIPS} clips per request.`);
    } else if (clipIds.length > 0) throw bad('clipIds', '按案件或领用申请时不再单独选择录像。 / A request for a case or a checkout names no single clips.');
    if ((input.scope === 'case') !== (input.caseId !== undefined)) throw bad('caseId', '按案件申请须指明案件，且只在按案件申请时指明。 / Name the case exactly when asking for a case.');
    if ((input.scope === 'checkout') !== (input.checkoutId !== undefined)) {
      throw bad('checkoutId', '按领用申请须指明领用记录，且只在按领用申请时指明。 / Name the checkout exactly when asking for a checkout.');
    }
    if (input.caseId !== undefined) this.requireCase(input.caseId, 'caseId');
    if (input.checkoutId !== undefined) this.requireCheckout(input.checkoutId, 'checkoutId');
    for (const id of clipIds) {
      if (!prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM clip WHERE id = ?').get(id)) {
        throw new StationError('not_found', `没有编号为 ${id} 的录像。 / There is no clip ${id}.`, { field: 'clipIds' });
      }
    }
    return this.d.writer.run(c.actor, (tx) => {
      const id = Number(
        prepared(
          this.d.db,
          `INSERT INTO view_request (requester_id, reason, purpose, scope, case_id, checkout_id, hours, requested_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(requesterId, input.reason, input.purpose, input.scope, input.caseId ?? null, input.checkoutId ?? null, input.hours, tx.at).lastInsertRowid,
      );
      const addClip = prepared(this.d.db, 'INSERT INTO view_request_clip (request_id, clip_id) VALUES (?, ?)');
      for (const clipId of clipIds) addClip.run(id, clipId);
      const after = this.requestById(id);
      tx.audit({ action: 'view.requested', objectType: 'view_request', objectId: id, after });
      return after;
    });
  }

  withdraw(c: Caller, id: number): ViewRequest {
    const personId = needPerson(c);
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.pending(id);
      if (before.requester.id !== personId) {
        throw new StationError('forbidden', '只能撤回自己的查阅申请。 / You can withdraw only your own view requests.');
      }
      this.decide(id, 'withdrawn', tx.at, c.actor, personId, null);
      const after = this.requestById(id);
      tx.audit({ action: 'view.withdrawn', objectType: 'view_request', objectId: id, before, after });
      return after;
    });
  }

  approve(c: Caller, input: { id: number; hours: number; note?: string | undefined }): { request: ViewRequest; grant: ViewGrant } {
    const approverId = this.requireApprover(c);
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.pending(input.id);
      this.notOwn(before, approverId);
      // The requester may have left or lost the role since asking.
      this.requireViewer(before.requester.id, 'id');
      this.decide(input.id, 'approved', tx.at, c.actor, approverId, input.note ?? null);
      const grantId = this.insertGrant({
        granteeId: before.requester.id,
        requestId: input.id,
        purpose: before.purpose,
        reason: before.reason,
        scope: before.scope,
        caseId: before.caseId,
        checkoutId: before.checkoutId,
        at: tx.at,
        by: c.actor.label,
        byId: approverId,
        expiresAt: tx.at + input.hours * HOUR_MS,
      });
      const request = this.requestById(input.id);
      const grant = this.grantById(grantId, tx.at);
      tx.audit({ action: 'view.approved', objectType: 'view_request', objectId: input.id, before, after: { request, grant } });
      return { request, grant };
    });
  }

  refuse(c: Caller, input: { id: number; reason: string }): ViewRequest {
    const approverId = this.requireApprover(c);
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.pending(input.id);
      this.notOwn(before, approverId);
      this.decide(input.id, 'refused', tx.at, c.actor, approverId, input.reason);
      const after = this.requestById(input.id);
      tx.audit({ action: 'view.refused', objectType: 'view_request', objectId: input.id, before, after });
      return after;
    });
  }

  private notOwn(r: ViewRequest, approverId: number): void {
    if (r.requester.id === approverId) {
      throw new StationError('forbidden', '不能审批自己的查阅申请，请由另一位审批人办理。 / You cannot decide your own view request; another approver must.');
    }
  }

  private pending(id: number): ViewRequest {
    const r = this.requestById(id);
    if (r.state !== 'pending') {
      throw new StationError('invalid_state', `查阅申请 ${id} 已处理（${r.state}）。 / View request ${id} has already been decided (${r.state}).`, { state: r.state });
    }
    return r;
  }

  private decide(id: number, state: ViewRequestState, at: number, actor: Actor, byId: number, note: string | null): void {
    prepared(this.d.db, "UPDATE view_request SET state = ?, decided_at = ?, decided_by = ?, decided_by_id = ?, decision_note = ? WHERE id = ? AND state = 'pending'").run(
      state,
      at,
      actor.label,
      byId,
      note,
      id,
    );
  }

  requestById(id: number): ViewRequest {
    const row = prepared<[number], RequestRow>(this.d.db, 'SELECT * FROM view_request WHERE id = ?').get(id);
    if (!row) throw new StationError('not_found', `没有编号为 ${id} 的查阅申请。 / There is no view request ${id}.`, { field: 'id' });
    return this.toRequest(row);
  }

  private toRequest(row: RequestRow): ViewRequest {
    return {
      id: row.id,
      requester: this.d.people.ref(row.requester_id),
      reason: row.reason,
      purpose: row.purpose,
      scope: row.scope,
      clipIds: prepared<[number], { clip_id: number }>(this.d.db, 'SELECT clip_id FROM view_request_clip WHERE request_id = ? ORDER BY clip_id')
        .all(row.id)
        .map((r) => r.clip_id),
      caseId: row.case_id,
      caseNo: row.case_id === null ? null : (prepared<[number], { case_no: string }>(this.d.db, 'SELECT case_no FROM legal_case WHERE id = ?').get(row.case_id)?.case_no ?? null),
      checkoutId: row.checkout_id,
      hours: row.hours,
      requestedAt: row.requested_at,
      state: row.state,
      decidedAt: row.decided_at,
      decidedBy: row.decided_by,
      decisionNote: row.decision_note,
      grantId: prepared<[number], { id: number }>(this.d.db, 'SELECT id FROM view_grant WHERE request_id = ?').get(row.id)?.id ?? null,
    };
  }

  /**
   * Requests newest first. A requester sees their own; the approver and the register's readers
   * see everyone's. `pendingForMe` is the approver's count for their home (never their own).
   */
  requests(
    c: Caller,
    f: { mine?: boolean | undefined; state?: ViewRequestState | undefined; requesterId?: number | undefined; beforeId?: number | undefined; limit?: number | undefined },
  ): { asOf: number; requests: ViewRequest[]; pendingForMe: number } {
    const own = f.mine === true || !this.seesAll(c);
    const requesterId = own ? needPerson(c) : (f.requesterId ?? null);
    const { where, params } = filterSql({ requester_id: requesterId, state: f.state ?? null });
    const rows = prepared<[Record<string, unknown>], RequestRow>(this.d.db, `SELECT * FROM view_request WHERE ${where} AND id < @before ORDER BY id DESC LIMIT @limit`).all({
      ...params,
      before: f.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: f.limit ?? PAGE,
    });
    return { asOf: this.d.clock.now(), requests: rows.map((r) => this.toRequest(r)), pendingForMe: this.pendingFor(c) };
  }

  private pendingFor(c: Caller): number {
    if (c.personId === null || !this.isApprover(c.personId)) return 0;
    return prepared<[number], { n: number }>(this.d.db, "SELECT count(*) AS n FROM view_request WHERE state = 'pending' AND requester_id != ?").get(c.personId)!.n;
  }

  // ---- grants ----

  private insertGrant(g: {
    granteeId: number;
    requestId: number | null;
    purpose: ViewPurpose;
    reason: string;
    scope: 'all' | ViewScope;
    caseId: number | null;
    checkoutId: number | null;
    at: number;
    by: string;
    byId: number;
    expiresAt: number;
  }): number {
    const byHead = this.roles(g.byId).includes('department_head') ? 1 : 0;
    return Number(
      prepared(
        this.d.db,
        `INSERT INTO view_grant (grantee_id, request_id, purpose, reason, scope, case_id, checkout_id, granted_at, granted_by, granted_by_id, by_head, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(g.granteeId, g.requestId, g.purpose, g.reason, g.scope, g.caseId, g.checkoutId, g.at, g.by, g.byId, byHead, g.expiresAt).lastInsertRowid,
    );
  }

  /** A standing grant (第十八条's approval given ahead, e.g. 综合处 for supervision for a month); it never opens a secret clip. */
  grantStanding(
    c: Caller,
    input: { granteeId: number; purpose: ViewPurpose; reason: string; days: number; scope: StandingScope; caseId?: number | undefined; checkoutId?: number | undefined },
  ): ViewGrant {
    const approverId = this.requireApprover(c);
    if (input.granteeId === approverId) {
      throw new StationError('forbidden', '不能给自己批准查阅。 / You cannot grant viewing to yourself.', { field: 'granteeId' });
    }
    this.requireViewer(input.granteeId, 'granteeId');
    if ((input.scope === 'case') !== (input.caseId !== undefined)) throw bad('caseId', '按案件批准须指明案件，且只在按案件批准时指明。 / Name the case exactly when granting a case.');
    if ((input.scope === 'checkout') !== (input.checkoutId !== undefined)) {
      throw bad('checkoutId', '按领用批准须指明领用记录，且只在按领用批准时指明。 / Name the checkout exactly when granting a checkout.');
    }
    if (input.caseId !== undefined) this.requireCase(input.caseId, 'caseId');
    if (input.checkoutId !== undefined) this.requireCheckout(input.checkoutId, 'checkoutId');
    return this.d.writer.run(c.actor, (tx) => {
      const id = this.insertGrant({
        granteeId: input.granteeId,
        requestId: null,
        purpose: input.purpose,
        reason: input.reason,
        scope: input.scope,
        caseId: input.caseId ?? null,
        checkoutId: input.checkoutId ?? null,
        at: tx.at,
        by: c.actor.label,
        byId: approverId,
        expiresAt: tx.at + input.days * DAY_MS,
      });
      const after = this.grantById(id, tx.at);
      tx.audit({ action: 'view.granted', objectType: 'view_grant', objectId: id, after });
      return after;
    });
  }

  /** Ends a grant now: the next byte range of every session under it is refused. */
  revoke(c: Caller, input: { id: number; reason: string }): ViewGrant {
    this.requireApprover(c);
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.grantById(input.id, tx.at);
      if (before.revokedAt !== null) throw new StationError('invalid_state', `查阅批准 ${input.id} 已撤销。 / Grant ${input.id} is already revoked.`);
      prepared(this.d.db, 'UPDATE view_grant SET revoked_at = ?, revoked_by = ?, revoked_by_id = ?, revoke_reason = ? WHERE id = ?').run(
        tx.at,
        c.actor.label,
        c.personId,
        input.reason,
        input.id,
      );
      const after = this.grantById(input.id, tx.at);
      tx.audit({ action: 'view.revoked', objectType: 'view_grant', objectId: input.id, before, after });
      return after;
    });
  }

  grantById(id: number, now: number): ViewGrant {
    const row = prepared<[number], GrantRow>(this.d.db, 'SELECT * FROM view_grant WHERE id = ?').get(id);
    if (!row) throw new StationError('not_found', `没有编号为 ${id} 的查阅批准。 / There is no grant ${id}.`, { field: 'id' });
    return this.toGrant(row, now);
  }

  private toGrant(row: GrantRow, now: number): ViewGrant {
    return {
      id: row.id,
      grantee: this.d.people.ref(row.grantee_id),
      requestId: row.request_id,
      purpose: row.purpose as ViewPurpose,
      reason: row.reason,
      scope: row.scope,
      clipIds:
        row.scope === 'clips' && row.request_id !== null
          ? prepared<[number], { clip_id: number }>(this.d.db, 'SELECT clip_id FROM view_request_clip WHERE request_id = ? ORDER BY clip_id')
              .all(row.request_id)
              .map((r) => r.clip_id)
          : [],
      caseId: row.case_id,
      checkoutId: row.checkout_id,
      grantedAt: row.granted_at,
      grantedBy: row.granted_by,
      byHead: row.by_head === 1,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      revokedBy: row.revoked_by,
      revokeReason: row.revoke_reason,
      active: row.revoked_at === null && row.expires_at > now,
    };
  }

  /** Grants newest first; a viewer sees their own, the approver and the register's readers everyone's. */
  grants(c: Caller, f: { granteeId?: number | undefined; active?: boolean | undefined; beforeId?: number | undefined; limit?: number | undefined }): { asOf: number; grants: ViewGrant[] } {
    const now = this.d.clock.now();
    const granteeId = this.seesAll(c) ? (f.granteeId ?? null) : needPerson(c);
    const { where, params } = filterSql({ grantee_id: granteeId });
    const inForce = f.active === undefined ? '' : ` AND ${f.active ? '' : 'NOT '}(revoked_at IS NULL AND expires_at > @now)`;
    const rows = prepared<[Record<string, unknown>], GrantRow>(this.d.db, `SELECT * FROM view_grant WHERE ${where}${inForce} AND id < @before ORDER BY id DESC LIMIT @limit`).all({
      ...params,
      ...(inForce ? { now } : {}),
      before: f.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: f.limit ?? PAGE,
    });
    return { asOf: now, grants: rows.map((r) => this.toGrant(r, now)) };
  }

  // ---- the register ----

  private registerWhere(f: RegisterFilter): { where: string; params: Record<string, unknown> } {
    const { where, params } = filterSql({ viewer_id: f.personId ?? null, clip_id: f.clipId ?? null });
    const range = [f.from !== undefined ? 'opened_at >= @from' : null, f.to !== undefined ? 'opened_at < @to' : null].filter((x) => x !== null);
    return {
      where: [where, ...range].join(' AND '),
      params: { ...params, ...(f.from !== undefined ? { from: f.from } : {}), ...(f.to !== undefined ? { to: f.to } : {}) },
    };
  }

  private registerRows(f: RegisterFilter, limit: number): RegisterRow[] {
    const { where, params } = this.registerWhere(f);
    return prepared<[Record<string, unknown>], RegisterRow>(this.d.db, `SELECT * FROM view_register WHERE ${where} AND id < @before ORDER BY id DESC LIMIT @limit`).all({
      ...params,
      before: f.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit,
    });
  }

  private toEntry(r: RegisterRow): ViewRegisterEntry {
    const person = this.d.people.ref(r.viewer_id);
    return {
      id: r.id,
      // The name as it was registered: the register reads the same after a person is renamed.
      viewer: { ...person, name: r.viewer },
      clipId: r.clip_id,
      grantId: r.grant_id,
      reason: r.reason,
      purpose: r.purpose,
      approver: r.approver,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      closedBecause: r.closed_because,
      bytesServed: r.bytes_served,
    };
  }

  register(f: RegisterFilter): { entries: ViewRegisterEntry[]; total: number } {
    const { where, params } = this.registerWhere(f);
    const total = prepared<[Record<string, unknown>], { n: number }>(this.d.db, `SELECT count(*) AS n FROM view_register WHERE ${where}`).get(params)!.n;
    return { entries: this.registerRows(f, f.limit ?? PAGE).map((r) => this.toEntry(r)), total };
  }

  /**
   * The register's rows for an export, in any format (the filters of `register`, no paging,
   * newest first), and the day the station's clock shows, which dates the exported file as the
   * printed register would be dated. A register past CSV_MAX_ROWS is exported a range at a time.
   */
  registerForExport(f: Omit<RegisterFilter, 'beforeId' | 'limit'>): { entries: ViewRegisterEntry[]; stamp: string } {
    const entries = this.registerRows(f, CSV_MAX_ROWS + 1).map((r) => this.toEntry(r));
    if (entries.length > CSV_MAX_ROWS) {
      throw new StationError('invalid_state', `查阅登记超过 ${CSV_MAX_ROWS} 条，请按日期分段导出。 / The register has more than ${CSV_MAX_ROWS} rows; export it a date range at a time.`);
    }
    const day = zoneFields(this.d.clock.now(), this.d.timeZone);
    return { entries, stamp: `${day.year}-${day.month}-${day.day}` };
  }

  /** An export of the register leaves an audit row: who, which filter, how many rows, which format. Written once the file is made. */
  registerExported(c: Caller, f: Omit<RegisterFilter, 'beforeId' | 'limit'>, rows: number, format: 'csv' | 'pdf' | 'xlsx'): void {
    this.d.writer.run(c.actor, (tx) =>
      tx.audit({ action: 'view.register_exported', objectType: 'view_register', objectId: null, after: { filter: f, rows, format } }),
    );
  }

  /** The register as CSV (the filters of `register`, no paging); the export itself is audited. */
  registerCsv(c: Caller, f: Omit<RegisterFilter, 'beforeId' | 'limit'>): { fileName: string; csv: string; rows: number } {
    const { entries, stamp } = this.registerForExport(f);
    const csv = registerCsv(entries, this.d.timeZone);
    this.registerExported(c, f, entries.length, 'csv');
    return { fileName: `view-register-${stamp}.csv`, csv, rows: entries.length };
  }

  // ---- settings ----

  settings(): ViewingSettings {
    return this.d.settings.get();
  }

  updateSettings(c: Caller, changes: Partial<ViewingSettings>): ViewingSettings {
    return this.d.writer.run(c.actor, (tx) => {
      const before = this.d.settings.get();
      const after: ViewingSettings = {
        approverRole: changes.approverRole ?? before.approverRole,
        ownFootageDays: changes.ownFootageDays ?? before.ownFootageDays,
      };
      this.d.settings.put(after);
      tx.audit({ action: 'view.settings_changed', objectType: 'settings', objectId: 'viewing', before, after });
      return after;
    });
  }
}
