// Four eyes on the powerful roles (issue 19). An administrator alone must not be able to make
// itself or a friend 综合处 (override and supervise), 部门负责人 (approve) or another administrator:
// such a grant waits until a second person, an active administrator or department head who is
// neither the requester nor the grantee, confirms it. A new station has nobody to ask, so there
// the grant takes effect at once and waits, in effect, for the first such person to review it.
import type { PersonRef, RoleGrant, RoleGrantState } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { PrivilegedRole, Role } from '../../../shared/roles.js';
import { grantConfirmingRoles, isPrivilegedRole } from '../../../shared/roles.js';
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { WriteTx } from '../db/writer.js';
import type { PeopleRepository } from './repository.js';

interface GrantRow {
  id: number;
  person_id: number;
  role: PrivilegedRole;
  requested_by: number | null;
  requested_label: string;
  requested_at: number;
  state: RoleGrantState;
  decided_by: number | null;
  decided_label: string | null;
  decided_at: number | null;
  reason: string | null;
}

const OPEN = "state IN ('pending', 'unreviewed')";

export interface HeldGrant {
  grantId: number;
  role: PrivilegedRole;
  state: 'pending' | 'unreviewed';
}

export class RoleGrants {
  constructor(
    private readonly db: Db,
    private readonly people: PeopleRepository,
  ) {}

  /**
   * Splits a change of roles into what takes effect now and what waits, writing a grant row for
   * each privileged role added. Called inside the transaction that writes the person, so the grant
   * rows, the roles and the audit agree; the caller audits the person first, then `audit(held)`.
   */
  hold(tx: WriteTx, personId: number, held: readonly Role[], requested: readonly Role[]): { roles: Role[]; held: HeldGrant[] } {
    const added = requested.filter((r): r is PrivilegedRole => isPrivilegedRole(r) && !held.includes(r));
    if (added.length === 0) return { roles: [...requested], held: [] };
    const secondPerson = this.hasSecondPerson(tx.actor, personId);
    const waiting: PrivilegedRole[] = [];
    const out: HeldGrant[] = [];
    for (const role of added) {
      const open = this.openRow(personId, role);
      // Asked again while it waits: the first request stands, nothing doubles.
      if (!open) {
        const state = secondPerson ? 'pending' : 'unreviewed';
        const grantId = Number(
          prepared(
            this.db,
            `INSERT INTO role_grant (person_id, role, requested_by, requested_label, requested_at, state)
             VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(personId, role, tx.actor.kind === 'person' ? tx.actor.id : null, tx.actor.label, tx.at, state).lastInsertRowid,
        );
        out.push({ grantId, role, state });
      }
      if (secondPerson || open?.state === 'pending') waiting.push(role);
    }
    return { roles: requested.filter((r) => !(waiting as Role[]).includes(r)), held: out };
  }

  /** The audit rows of `hold`: one per grant, saying whether it waits or took effect unreviewed. */
  audit(tx: WriteTx, personId: number, held: readonly HeldGrant[]): void {
    for (const g of held) {
      tx.audit({
        action: g.state === 'pending' ? 'role.grant_requested' : 'role.granted_unreviewed',
        objectType: 'person',
        objectId: personId,
        after: g,
      });
    }
  }

  list(viewer: Actor, options: { open?: boolean | undefined; personId?: number | undefined }): RoleGrant[] {
    const rows = prepared<[number | null, number | null], GrantRow>(
      this.db,
      `SELECT * FROM role_grant WHERE (? IS NULL OR person_id = ?) ${options.open ? `AND ${OPEN}` : ''} ORDER BY id DESC LIMIT 200`,
    ).all(options.personId ?? null, options.personId ?? null);
    return rows.map((r) => this.toGrant(r, viewer));
  }

  confirm(tx: WriteTx, id: number): RoleGrant {
    const row = this.decidable(tx.actor, id);
    const before = this.people.roles(row.person_id);
    if (row.state === 'pending' && !before.includes(row.role)) this.people.update(row.person_id, { roles: [...before, row.role] }, tx.at);
    return this.decide(tx, row, before, 'confirmed', null);
  }

  /** Refused: a pending role never takes effect; one in effect unreviewed is taken away. */
  refuse(tx: WriteTx, id: number, reason: string): { grant: RoleGrant; roleRemoved: boolean } {
    const row = this.decidable(tx.actor, id);
    const before = this.people.roles(row.person_id);
    const roleRemoved = row.state === 'unreviewed' && before.includes(row.role);
    if (roleRemoved) this.people.update(row.person_id, { roles: before.filter((r) => r !== row.role) }, tx.at);
    return { grant: this.decide(tx, row, before, 'refused', reason), roleRemoved };
  }

  /** Is there anyone, besides the requester and the grantee, who could confirm a grant now? */
  private hasSecondPerson(actor: Actor, grantee: number): boolean {
    const requester = actor.kind === 'person' ? actor.id : null;
    return this.deciders(requester, grantee) > 0;
  }

  private deciders(requester: number | null, grantee: number): number {
    const placeholders = grantConfirmingRoles.map(() => '?').join(', ');
    return prepared<unknown[], { n: number }>(
      this.db,
      `SELECT count(DISTINCT p.id) AS n FROM person p JOIN person_role r ON r.person_id = p.id
       WHERE p.active = 1 AND r.role IN (${placeholders}) AND p.id != ? AND p.id != ?`,
    ).get(...grantConfirmingRoles, requester ?? -1, grantee)!.n;
  }

  private decidable(actor: Actor, id: number): GrantRow {
    const row = this.require(id);
    if (row.state !== 'pending' && row.state !== 'unreviewed') {
      throw new StationError('invalid_state', '此授权已经处理过。 / This grant has already been decided.', { id, state: row.state });
    }
    const why = this.whyNot(actor, row);
    if (why) throw new StationError('forbidden', why, { id });
    return row;
  }

  /** Why this actor may not decide this grant, or null. */
  private whyNot(actor: Actor, row: GrantRow): string | null {
    // The station's own OS account (the CLI) holds every permission but is nobody's second pair of eyes.
    if (actor.kind !== 'person' || actor.id === null) {
      return '授权须由另一位系统管理员或部门负责人登录后确认。 / A grant is confirmed by another administrator or department head, logged in at the station.';
    }
    if (actor.id === row.person_id) return '不能确认或拒绝授予自己的角色。 / You cannot decide a grant of a role to yourself.';
    if (actor.id === row.requested_by) return '不能确认或拒绝自己提出的授权，须由另一人办理。 / You cannot decide a grant you asked for; another person does it.';
    const roles = this.people.roles(actor.id);
    if (!grantConfirmingRoles.some((r) => roles.includes(r))) {
      return '只有系统管理员或部门负责人可以确认授权。 / Only an administrator or a department head may decide a grant.';
    }
    return null;
  }

  /** Records the decision and audits it with the person's roles before and after. */
  private decide(tx: WriteTx, row: GrantRow, rolesBefore: Role[], state: 'confirmed' | 'refused', reason: string | null): RoleGrant {
    prepared(this.db, 'UPDATE role_grant SET state = ?, decided_by = ?, decided_label = ?, decided_at = ?, reason = ? WHERE id = ?').run(
      state,
      tx.actor.id,
      tx.actor.label,
      tx.at,
      reason,
      row.id,
    );
    const grant = { grantId: row.id, role: row.role };
    tx.audit({
      action: state === 'confirmed' ? 'role.grant_confirmed' : 'role.grant_refused',
      objectType: 'person',
      objectId: row.person_id,
      before: { ...grant, state: row.state, roles: rolesBefore },
      after: { ...grant, state, ...(reason === null ? {} : { reason }), roles: this.people.roles(row.person_id) },
    });
    tx.emit('people.changed', { id: row.person_id });
    return this.toGrant(this.require(row.id), tx.actor);
  }

  private openRow(personId: number, role: PrivilegedRole): GrantRow | undefined {
    return prepared<[number, string], GrantRow>(this.db, `SELECT * FROM role_grant WHERE person_id = ? AND role = ? AND ${OPEN}`).get(personId, role);
  }

  private require(id: number): GrantRow {
    const row = prepared<[number], GrantRow>(this.db, 'SELECT * FROM role_grant WHERE id = ?').get(id);
    if (!row) throw new StationError('not_found', `没有编号为 ${id} 的授权。 / No grant with id ${id}.`, { id });
    return row;
  }

  private toGrant(r: GrantRow, viewer: Actor): RoleGrant {
    const person: PersonRef = this.people.ref(r.person_id);
    const open = r.state === 'pending' || r.state === 'unreviewed';
    return {
      id: r.id,
      person,
      role: r.role,
      state: r.state,
      requestedBy: r.requested_label,
      requestedAt: r.requested_at,
      decidedBy: r.decided_label,
      decidedAt: r.decided_at,
      reason: r.reason,
      mayDecide: open && this.whyNot(viewer, r) === null,
    };
  }
}
