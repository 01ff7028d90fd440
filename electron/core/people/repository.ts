import type { Person, PersonRef } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import { roles as allRoles } from '../../../shared/roles.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';

export interface PersonRow {
  id: number;
  badge: string;
  name: string;
  unit: string | null;
  active: number;
  password_hash: string | null;
  pin_hash: string | null;
  must_change_pin: number;
  failed_attempts: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface NewPerson {
  badge: string;
  name: string;
  unit: string | null;
  roles: Role[];
  passwordHash: string | null;
  pinHash: string | null;
  mustChangePin: boolean;
  at: number;
}

/** Roles in the table's canonical order, so before/after snapshots compare. */
const sortRoles = (rs: Iterable<Role>): Role[] => {
  const set = new Set(rs);
  return allRoles.filter((r) => set.has(r));
};

export class PeopleRepository {
  private readonly byId;
  private readonly byBadge;
  private readonly rolesOf;
  private readonly insert;
  private readonly insertRole;
  private readonly deleteRoles;
  private readonly countAll;

  /** `now` hides a lockout that has run out, so every screen agrees with the core's clock. */
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.byId = db.prepare<[number], PersonRow>('SELECT * FROM person WHERE id = ?');
    this.byBadge = db.prepare<[string], PersonRow>('SELECT * FROM person WHERE badge = ?');
    this.rolesOf = db.prepare<[number], { role: Role }>('SELECT role FROM person_role WHERE person_id = ?');
    this.insert = db.prepare(
      `INSERT INTO person (badge, name, unit, password_hash, pin_hash, must_change_pin, created_at, updated_at)
       VALUES (@badge, @name, @unit, @passwordHash, @pinHash, @mustChangePin, @at, @at)`,
    );
    this.insertRole = db.prepare('INSERT INTO person_role (person_id, role) VALUES (?, ?)');
    this.deleteRoles = db.prepare('DELETE FROM person_role WHERE person_id = ?');
    this.countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM person');
  }

  count(): number {
    return this.countAll.get()!.n;
  }

  row(id: number): PersonRow | undefined {
    return this.byId.get(id);
  }

  rowByBadge(badge: string): PersonRow | undefined {
    return this.byBadge.get(badge);
  }

  require(id: number): PersonRow {
    const row = this.row(id);
    if (!row) throw new StationError('not_found', `没有编号为 ${id} 的人员。 / No person with id ${id}.`, { id });
    return row;
  }

  roles(id: number): Role[] {
    return sortRoles(this.rolesOf.all(id).map((r) => r.role));
  }

  toPerson(row: PersonRow): Person {
    return {
      id: row.id,
      badge: row.badge,
      name: row.name,
      unit: row.unit,
      roles: this.roles(row.id),
      active: row.active === 1,
      hasPassword: row.password_hash !== null,
      hasPin: row.pin_hash !== null,
      mustChangePin: row.must_change_pin === 1,
      lockedUntil: row.locked_until !== null && row.locked_until > this.now() ? row.locked_until : null,
      createdAt: row.created_at,
    };
  }

  get(id: number): Person {
    return this.toPerson(this.require(id));
  }

  ref(id: number): PersonRef {
    const r = this.require(id);
    return { id: r.id, badge: r.badge, name: r.name };
  }

  list(options: { query?: string; includeInactive?: boolean }): Person[] {
    const q = options.query?.trim() ? `%${options.query.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
    const rows = prepared<[number, string | null, string | null, string | null], PersonRow>(
        this.db,
        `SELECT * FROM person
         WHERE (? = 1 OR active = 1)
           AND (? IS NULL OR badge LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')
         ORDER BY badge LIMIT 1000`,
      )
      .all(options.includeInactive ? 1 : 0, q, q, q);
    return rows.map((r) => this.toPerson(r));
  }

  create(p: NewPerson): Person {
    if (this.rowByBadge(p.badge)) {
      throw new StationError('conflict', `警号 ${p.badge} 已被登记。 / Badge number ${p.badge} is already registered.`, {
        field: 'badge',
      });
    }
    const info = this.insert.run({ ...p, mustChangePin: p.mustChangePin ? 1 : 0 });
    const id = Number(info.lastInsertRowid);
    for (const role of sortRoles(p.roles)) this.insertRole.run(id, role);
    return this.get(id);
  }

  update(id: number, fields: { name?: string; unit?: string | null; roles?: Role[] }, at: number): void {
    const row = this.require(id);
    prepared(this.db, 'UPDATE person SET name = ?, unit = ?, updated_at = ? WHERE id = ?')
      .run(fields.name ?? row.name, fields.unit === undefined ? row.unit : fields.unit, at, id);
    if (fields.roles) {
      this.deleteRoles.run(id);
      for (const role of sortRoles(fields.roles)) this.insertRole.run(id, role);
    }
  }

  setActive(id: number, active: boolean, at: number): void {
    prepared(this.db, 'UPDATE person SET active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, at, id);
  }

  setPin(id: number, pinHash: string, mustChange: boolean, at: number): void {
    prepared(this.db, 
        'UPDATE person SET pin_hash = ?, must_change_pin = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
      )
      .run(pinHash, mustChange ? 1 : 0, at, id);
  }

  setPassword(id: number, passwordHash: string, at: number): void {
    prepared(this.db, 'UPDATE person SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, id);
  }

  /**
   * One more wrong secret, counted and locked in one statement: the count and the lock are read and
   * written by SQLite together, so attempts in flight at once cannot undo each other, and a lock
   * already in force is never cleared or extended by a failure that arrives while it holds (the
   * attempt it belongs to was already refused). The state after it: a lock set by this very
   * failure has `lockedNow`.
   */
  recordFailure(id: number, now: number, maxAttempts: number, lockMs: number): { failedAttempts: number; lockedUntil: number | null; lockedNow: boolean } {
    const before = this.require(id);
    prepared<[{ now: number; max: number; lockMs: number; id: number }]>(
      this.db,
      `UPDATE person SET
         failed_attempts = CASE WHEN locked_until > @now THEN failed_attempts
                                WHEN failed_attempts + 1 >= @max THEN 0
                                ELSE failed_attempts + 1 END,
         locked_until    = CASE WHEN locked_until > @now THEN locked_until
                                WHEN failed_attempts + 1 >= @max THEN @now + @lockMs
                                ELSE locked_until END
       WHERE id = @id`,
    ).run({ now, max: maxAttempts, lockMs, id });
    const after = this.require(id);
    const lockedUntil = after.locked_until !== null && after.locked_until > now ? after.locked_until : null;
    const wasLocked = before.locked_until !== null && before.locked_until > now;
    return { failedAttempts: after.failed_attempts, lockedUntil, lockedNow: lockedUntil !== null && !wasLocked };
  }

  /** After the right secret: failures forgotten, unless a lock set meanwhile (by attempts in flight) holds. */
  clearFailuresUnlessLocked(id: number, now: number): boolean {
    const r = prepared<[{ id: number; now: number }]>(this.db, 'UPDATE person SET failed_attempts = 0, locked_until = NULL WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now)').run({ id, now });
    return r.changes === 1;
  }

  clearFailures(id: number): void {
    prepared(this.db, 'UPDATE person SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  /** Administrators who are active: the station must never be left without one. */
  activeAdministrators(): number {
    return prepared<[], { n: number }>(
        this.db,
        `SELECT count(*) AS n FROM person p JOIN person_role r ON r.person_id = p.id
         WHERE p.active = 1 AND r.role = 'administrator'`,
      )
      .get()!.n;
  }
}
