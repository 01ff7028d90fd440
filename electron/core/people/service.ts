import { newPinSchema } from '../../../shared/contract.js';
import type { Person, RoleGrant } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import type { Actor } from '../audit/actor.js';
import type { Random } from '../clock.js';
import type { Writer } from '../db/writer.js';
import type { RoleGrants } from './grants.js';
import type { PeopleRepository } from './repository.js';
import { checkNewPassword, checkNewPin, hashSecret, oneTimePin } from './secrets.js';

/** What an audit row keeps of a person: never a secret or its hash. */
const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

const snapshot = (p: Person) => ({ badge: p.badge, name: p.name, unit: p.unit, roles: p.roles, active: p.active });

export interface PeopleDeps {
  people: PeopleRepository;
  grants: RoleGrants;
  writer: Writer;
  random: Random;
  scryptCost: number;
  /** Ends the sessions of a person who was just deactivated, or lost a role. */
  endSessionsOf(personId: number, reason: 'deactivated' | 'roles_changed'): void;
}

export class PeopleService {
  constructor(private readonly d: PeopleDeps) {}

  isInitialized(): boolean {
    return this.d.people.count() > 0;
  }

  /** First run: the administrator, with the password they chose. No built-in account exists. */
  async setup(
    actorFor: (p: Person) => Actor,
    input: { badge: string; name: string; unit?: string | undefined; password: string },
  ): Promise<Person> {
    if (this.isInitialized()) {
      throw new StationError('already_initialized', '本站已完成初始设置，请直接登录。 / The station is already set up; log in instead.');
    }
    checkNewPassword(input.password, input.badge);
    const passwordHash = await hashSecret(input.password, this.d.scryptCost, this.d.random);
    // The count is re-checked inside the transaction: two setups racing cannot both win.
    return this.d.writer.run({ kind: 'station', id: null, label: 'setup' }, (tx) => {
      if (this.isInitialized()) {
        throw new StationError('already_initialized', '本站已完成初始设置，请直接登录。 / The station is already set up; log in instead.');
      }
      const person = this.d.people.create({
        badge: input.badge,
        name: input.name,
        unit: input.unit?.trim() || null,
        roles: ['administrator'],
        passwordHash,
        pinHash: null,
        mustChangePin: false,
        at: tx.at,
      });
      // The row names its real actor: the new administrator, or the OS user of `station init`.
      tx.audit({ action: 'station.setup', objectType: 'person', objectId: person.id, after: snapshot(person) }, actorFor(person));
      tx.emit('people.changed', { id: person.id });
      return person;
    });
  }

  async create(
    actor: Actor,
    input: { badge: string; name: string; unit?: string | undefined; roles: Role[] },
  ): Promise<{ person: Person; oneTimePin: string }> {
    const pin = oneTimePin(this.d.random);
    const pinHash = await hashSecret(pin, this.d.scryptCost, this.d.random);
    const person = this.d.writer.run(actor, (tx) => {
      const created = this.d.people.create({
        badge: input.badge,
        name: input.name,
        unit: input.unit?.trim() || null,
        roles: [],
        passwordHash: null,
        pinHash,
        mustChangePin: true,
        at: tx.at,
      });
      // 系统管理员, 综合处 and 部门负责人 may wait for a second person (grants.ts).
      const { roles, held } = this.d.grants.hold(tx, created.id, [], input.roles);
      this.d.people.update(created.id, { roles }, tx.at);
      const p = this.d.people.get(created.id);
      tx.audit({ action: 'person.created', objectType: 'person', objectId: p.id, after: snapshot(p) });
      this.d.grants.audit(tx, p.id, held);
      tx.emit('people.changed', { id: p.id });
      return p;
    });
    return { person, oneTimePin: pin };
  }

  update(actor: Actor, input: { id: number; name?: string | undefined; unit?: string | undefined; roles?: Role[] | undefined }): Person {
    return this.d.writer.run(actor, (tx) => {
      const before = this.d.people.get(input.id);
      // Nobody changes their own roles: an administrator granting itself 综合处 could override the
      // pre-shift checks and supervise itself. Another person with people.manage does it.
      if (input.roles && actor.kind === 'person' && actor.id === input.id && !sameRoles(input.roles, before.roles)) {
        throw new StationError('forbidden', '不能更改自己的角色，请由另一位管理员办理。 / You cannot change your own roles; another administrator does it.', {
          field: 'roles',
        });
      }
      const grant = input.roles ? this.d.grants.hold(tx, input.id, before.roles, input.roles) : { roles: undefined, held: [] };
      this.d.people.update(
        input.id,
        { name: input.name, unit: input.unit === undefined ? undefined : input.unit.trim() || null, roles: grant.roles },
        tx.at,
      );
      this.assertAnAdministratorRemains();
      const after = this.d.people.get(input.id);
      tx.audit({ action: 'person.updated', objectType: 'person', objectId: input.id, before: snapshot(before), after: snapshot(after) });
      this.d.grants.audit(tx, input.id, grant.held);
      tx.emit('people.changed', { id: input.id });
      return after;
    });
  }

  setActive(actor: Actor, id: number, active: boolean): Person {
    if (!active && actor.kind === 'person' && actor.id === id) {
      throw new StationError('invalid_state', '不能停用自己的账户。 / You cannot deactivate your own account.');
    }
    const person = this.d.writer.run(actor, (tx) => {
      const before = this.d.people.get(id);
      if (before.active === active) return before;
      this.d.people.setActive(id, active, tx.at);
      this.assertAnAdministratorRemains();
      const after = this.d.people.get(id);
      tx.audit({
        action: active ? 'person.activated' : 'person.deactivated',
        objectType: 'person',
        objectId: id,
        before: snapshot(before),
        after: snapshot(after),
      });
      tx.emit('people.changed', { id });
      return after;
    });
    if (!active) this.d.endSessionsOf(id, 'deactivated');
    return person;
  }

  async resetPin(actor: Actor, id: number): Promise<{ person: Person; oneTimePin: string }> {
    this.d.people.require(id);
    const pin = oneTimePin(this.d.random);
    const pinHash = await hashSecret(pin, this.d.scryptCost, this.d.random);
    const person = this.d.writer.run(actor, (tx) => {
      this.d.people.setPin(id, pinHash, true, tx.at);
      tx.audit({ action: 'person.pin_reset', objectType: 'person', objectId: id });
      tx.emit('people.changed', { id });
      return this.d.people.get(id);
    });
    return { person, oneTimePin: pin };
  }

  /**
   * For `station users add --pin-stdin` only, never a contract call: an operator
   * at the station's own OS account hands over a PIN they chose (e.g. sealed in
   * an envelope). No window may set a PIN it knows for someone else. The PIN
   * obeys the same rules as a self-chosen one and is still one-time: the person
   * must replace it at first login.
   */
  async setChosenPin(actor: Actor, id: number, pin: string): Promise<Person> {
    const row = this.d.people.require(id);
    if (!newPinSchema.safeParse(pin).success) {
      throw new StationError('invalid_input', 'PIN 须为 6–12 位数字。 / The PIN must be 6–12 digits.', {
        issues: [{ path: 'pin', message: 'PIN: 6–12 digits' }],
      });
    }
    checkNewPin(pin, row.badge);
    const pinHash = await hashSecret(pin, this.d.scryptCost, this.d.random);
    return this.d.writer.run(actor, (tx) => {
      this.d.people.setPin(id, pinHash, true, tx.at);
      tx.audit({ action: 'person.pin_set', objectType: 'person', objectId: id });
      tx.emit('people.changed', { id });
      return this.d.people.get(id);
    });
  }

  confirmGrant(actor: Actor, id: number): RoleGrant {
    return this.d.writer.run(actor, (tx) => this.d.grants.confirm(tx, id));
  }

  /** A refused grant that was in effect takes the role away: the person's sessions end, as on deactivation. */
  refuseGrant(actor: Actor, id: number, reason: string): RoleGrant {
    const { grant, roleRemoved } = this.d.writer.run(actor, (tx) => {
      const out = this.d.grants.refuse(tx, id, reason);
      this.assertAnAdministratorRemains();
      return out;
    });
    if (roleRemoved) this.d.endSessionsOf(grant.person.id, 'roles_changed');
    return grant;
  }

  private assertAnAdministratorRemains(): void {
    if (this.d.people.activeAdministrators() === 0) {
      throw new StationError(
        'invalid_state',
        '至少要保留一名在用的系统管理员。 / At least one active administrator must remain.',
      );
    }
  }
}
