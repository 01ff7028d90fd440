// Checkout (领用) and return (归还) at the custodian's counter: who takes which
// camera, whether it may go out (第七条), by when its footage must be
// offloaded (第十五条), and what came back. Permissions are checked by the
// dispatcher; the two decisions reserved for 综合处 (overriding a failed
// check, an exception declared after the deadline) arrive here as flags the
// handler computed from the caller's roles.
import type {
  CameraAvailability,
  CameraCustodyStatus,
  CheckoutDetail,
  CheckoutProposal,
  CheckoutView,
  ConfirmableCheck,
  CustodySettings,
  DeviceRef,
  LateOffload,
  NoRecordingRecord,
  OffloadException,
  OutsideRecording,
  OverdueCheckout,
  PreShiftCheck,
  WorkType,
} from '../../../shared/custody.js';
import type { Device } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Actor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import type { PeopleRepository, PersonRow } from '../people/repository.js';
import { evaluateChecks, settleChecks } from './checks.js';
import { DAY_MS, exceptionDeadline, localDateTimeToUtc, overdueMs, sameDayDeadline } from './deadline.js';
import type { FaultRepository, FaultService } from './faults.js';
import type { NoRecordingRepository } from './no-recording.js';
import type { SupervisionRecords } from './records.js';
import type { CheckoutFilter, CheckoutRow, CustodyRepository } from './repository.js';
import type { CustodySettingsStore } from './settings.js';

/** How far ahead an expected end or a declared return may lie. */
const MAX_AHEAD_MS = 31 * DAY_MS;

export interface CustodyDeps {
  repo: CustodyRepository;
  records: SupervisionRecords;
  faults: FaultRepository;
  faultService: FaultService;
  noRecordings: NoRecordingRepository;
  settings: CustodySettingsStore;
  devices: DeviceRepository;
  people: PeopleRepository;
  writer: Writer;
  clock: Clock;
  timeZone: string;
}

const badTime = (field: string, message: string) =>
  new StationError('invalid_input', message, { issues: [{ path: field, message }] });

const deviceRef = (d: Device): DeviceRef => ({ id: d.id, serial: d.serial, model: d.model, keeper: d.keeper });

const who = (actor: Actor) => ({ by: actor.label, byId: actor.kind === 'person' ? actor.id : null });

export class CustodyService {
  constructor(private readonly d: CustodyDeps) {}

  // ---- settings ----

  settings(): CustodySettings {
    return this.d.settings.get();
  }

  updateSettings(actor: Actor, changes: Partial<CustodySettings>): CustodySettings {
    return this.d.writer.run(actor, (tx) => {
      const before = this.d.settings.get();
      const after = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as CustodySettings;
      this.d.settings.put(after);
      // Deadlines already set keep their cut-off: a rule is judged by what held when the camera went out.
      tx.audit({ action: 'custody.settings_changed', objectType: 'settings', objectId: 'custody', before, after });
      return after;
    });
  }

  // ---- checks and proposal ----

  /** The pre-shift checks of 第七条 for one camera, as they stand now. */
  checksFor(deviceId: number): PreShiftCheck[] {
    this.d.devices.require(deviceId);
    const fault = this.d.faults.openOf(deviceId)[0];
    return evaluateChecks({
      settings: this.d.settings.get(),
      lastDock: this.d.repo.lastDock(deviceId),
      openFault: fault ? { id: fault.id } : null,
      unoffloadedCheckoutId: this.d.repo.unoffloadedOfDevice(deviceId)?.id ?? null,
    });
  }

  private availability(device: Device): CameraAvailability {
    const because =
      device.status === 'retired'
        ? 'retired'
        : device.status === 'out_of_service'
          ? 'out_of_service'
          : this.d.repo.openOfDevice(device.id)
            ? 'checked_out'
            : this.d.faults.openOf(device.id).length > 0
              ? 'open_fault'
              : null;
    return { device: deviceRef(device), available: because === null, unavailableBecause: because };
  }

  private requireOfficer(row: PersonRow | undefined, asked: string): PersonRow {
    if (!row) throw new StationError('not_found', `没有警号为 ${asked} 的人员。 / No one has badge number ${asked}.`, { field: 'badge' });
    if (row.active !== 1) {
      throw new StationError('invalid_state', `${row.name}（${row.badge}）已停用。 / ${row.name} (${row.badge}) is deactivated.`, { field: 'officerId' });
    }
    if (!this.d.people.roles(row.id).includes('officer')) {
      throw new StationError(
        'invalid_state',
        `${row.name}（${row.badge}）不是执法人员，不能领用执法记录仪。 / ${row.name} (${row.badge}) is not an enforcement officer and cannot take a camera.`,
        { field: 'officerId' },
      );
    }
    return row;
  }

  /** Whether the officer may take one more camera, and if not, why not. */
  private holdingLimit(officerId: number): { may: boolean; holding: CheckoutRow[] } {
    const holding = this.d.repo.openOfOfficer(officerId);
    const max = this.d.settings.get().officerMayHoldTwo ? 2 : 1;
    return { may: holding.length < max, holding };
  }

  /**
   * Who is at the counter (badge scanned, or picked from a search) and which
   * camera to hand out: the officer's own (定人管理) when it can go out, else
   * the readiest free camera, preferring ones nobody keeps and the one idle longest.
   */
  propose(input: { badge?: string | undefined; officerId?: number | undefined }): CheckoutProposal {
    if ((input.badge === undefined) === (input.officerId === undefined)) {
      throw new StationError('invalid_input', '请刷警号，或选择一位执法人员。 / Scan a badge or pick an officer.', {
        issues: [{ path: 'badge', message: 'give badge or officerId' }],
      });
    }
    const officer = this.requireOfficer(
      input.badge !== undefined ? this.d.people.rowByBadge(input.badge) : this.d.people.row(input.officerId!),
      input.badge ?? `#${input.officerId}`,
    );
    const now = this.d.clock.now();
    const all = this.d.devices.list({});
    const own = all.filter((d) => d.keeper?.id === officer.id && d.status !== 'retired').map((d) => this.availability(d));
    const { may, holding } = this.holdingLimit(officer.id);
    let proposed: CheckoutProposal['proposed'] = null;
    const ownFree = own.find((a) => a.available);
    if (ownFree) {
      proposed = { device: ownFree.device, because: 'own_camera', checks: this.checksFor(ownFree.device.id) };
    } else {
      const ready = all
        .filter((d) => d.status === 'in_service')
        .map((d) => ({ d, a: this.availability(d) }))
        .filter(({ a }) => a.available)
        .map(({ d }) => ({ d, checks: this.checksFor(d.id), last: this.d.repo.lastCheckoutAt(d.id) ?? 0 }))
        .filter(({ checks }) => checks.every((c) => c.result !== 'fail'))
        .sort(
          (x, y) =>
            Number(x.d.keeper !== null) - Number(y.d.keeper !== null) ||
            x.checks.filter((c) => c.result !== 'pass').length - y.checks.filter((c) => c.result !== 'pass').length ||
            x.last - y.last ||
            x.d.id - y.d.id,
        )[0];
      if (ready) proposed = { device: deviceRef(ready.d), because: 'ready_camera', checks: ready.checks };
    }
    return {
      officer: { id: officer.id, badge: officer.badge, name: officer.name, unit: officer.unit },
      ownCameras: own,
      proposed,
      openCheckouts: holding.map((c) => this.d.repo.view(c.id, now)),
      mayTakeAnother: may,
    };
  }

  // ---- checkout ----

  checkout(
    actor: Actor,
    mayOverride: boolean,
    input: {
      officerId: number;
      deviceId: number;
      workType: WorkType;
      expectedEnd: string;
      note?: string | undefined;
      confirmed?: ConfirmableCheck[] | undefined;
      exception?: { kind: OffloadException; reason: string; declaredReturn: string } | undefined;
      override?: { reason: string } | undefined;
    },
  ): CheckoutDetail {
    if (input.override && !mayOverride) {
      throw new StationError('forbidden', '只有综合处可以在检查未通过时放行。 / Only the general office can let a camera out despite a failed check.', {
        permission: 'custody.override',
      });
    }
    const now = this.d.clock.now();
    const expectedEndAt = localDateTimeToUtc(input.expectedEnd, this.d.timeZone);
    if (expectedEndAt === null) throw badTime('expectedEnd', '预计结束时间无效。 / The expected end is not a real time.');
    if (expectedEndAt <= now || expectedEndAt > now + MAX_AHEAD_MS) {
      throw badTime('expectedEnd', '预计结束时间须晚于现在，且在 31 天之内。 / The expected end must be after now and within 31 days.');
    }
    const declaredReturnAt = input.exception ? localDateTimeToUtc(input.exception.declaredReturn, this.d.timeZone) : null;
    if (input.exception && (declaredReturnAt === null || declaredReturnAt < now || declaredReturnAt > now + MAX_AHEAD_MS)) {
      throw badTime('exception.declaredReturn', '预计返回单位时间须不早于现在，且在 31 天之内。 / The declared return must be from now on and within 31 days.');
    }
    const id = this.d.writer.run(actor, (tx) => {
      const officer = this.requireOfficer(this.d.people.row(input.officerId), `#${input.officerId}`);
      const device = this.d.devices.require(input.deviceId);
      if (device.status !== 'in_service') {
        throw new StationError(
          'invalid_state',
          device.status === 'retired'
            ? `执法记录仪 ${device.serial} 已报废。 / Camera ${device.serial} is retired.`
            : `执法记录仪 ${device.serial} 已停用（${device.statusReason ?? ''}），不能领用。 / Camera ${device.serial} is out of service and cannot go out.`,
          { field: 'deviceId', status: device.status },
        );
      }
      const open = this.d.repo.openOfDevice(device.id);
      if (open) {
        const holder = this.d.people.ref(open.officer_id);
        throw new StationError(
          'conflict',
          `执法记录仪 ${device.serial} 已由 ${holder.name}（${holder.badge}）领用，尚未归还。 / Camera ${device.serial} is out with ${holder.name} (${holder.badge}).`,
          { field: 'deviceId', checkoutId: open.id },
        );
      }
      const limit = this.holdingLimit(officer.id);
      if (!limit.may) {
        throw new StationError(
          'conflict',
          limit.holding.length >= 2
            ? `${officer.name} 已持有两台执法记录仪。 / ${officer.name} already holds two cameras.`
            : `${officer.name} 已持有一台执法记录仪，须先归还。 / ${officer.name} already holds a camera; it must come back first.`,
          { field: 'officerId', checkoutIds: limit.holding.map((c) => c.id) },
        );
      }
      const checks = this.checksFor(device.id);
      const { recorded, blocking } = settleChecks(checks, new Set(input.confirmed ?? []), Boolean(input.override));
      if (blocking.length > 0) {
        const names = blocking.map((c) => c.check).join(', ');
        const hard = blocking.some((c) => !c.overridable);
        throw new StationError(
          'invalid_state',
          hard
            ? `领用前检查未通过（${names}）：该执法记录仪有未关闭的故障，须先维修。 / Pre-shift checks failed (${names}): the camera has an open fault and must be repaired first.`
            : `领用前检查未通过（${names}）：请处理后重试，或由综合处说明理由后放行。 / Pre-shift checks failed (${names}): fix them and try again, or have the general office override with a reason.`,
          { checks, blocking: blocking.map((c) => c.check) },
        );
      }
      const overridden = recorded.filter((c) => c.resolution === 'overridden');
      const settings = this.d.settings.get();
      const sameDay = sameDayDeadline(expectedEndAt, settings.offloadCutoff, this.d.timeZone);
      const deadlineAt = declaredReturnAt === null ? sameDay : exceptionDeadline(declaredReturnAt, sameDay);
      const id = this.d.repo.insertCheckout({
        device_id: device.id,
        officer_id: officer.id,
        work_type: input.workType,
        note: input.note?.trim() || null,
        checked_out_at: tx.at,
        issued_by: actor.label,
        issued_by_id: who(actor).byId,
        expected_end_at: expectedEndAt,
        same_day_deadline_at: sameDay,
        deadline_at: deadlineAt,
        deadline_rule: input.exception ? 'exception' : 'same_day',
        exception_kind: input.exception?.kind ?? null,
        exception_reason: input.exception?.reason ?? null,
        exception_return_at: declaredReturnAt,
        exception_declared_at: input.exception ? tx.at : null,
        exception_declared_by: input.exception ? actor.label : null,
        override_reason: overridden.length > 0 ? input.override!.reason : null,
        override_by: overridden.length > 0 ? actor.label : null,
        override_by_id: overridden.length > 0 ? who(actor).byId : null,
      });
      this.d.repo.insertChecks(id, recorded);
      tx.audit({
        action: 'checkout.opened',
        objectType: 'checkout',
        objectId: id,
        // serial, badge and name: the audit viewer names the row by them.
        after: {
          serial: device.serial,
          badge: officer.badge,
          name: officer.name,
          workType: input.workType,
          expectedEndAt,
          deadlineAt,
          deadlineRule: input.exception ? 'exception' : 'same_day',
          exception: input.exception ? { kind: input.exception.kind, reason: input.exception.reason, declaredReturnAt } : null,
          checks: recorded.map((c) => ({ check: c.check, result: c.result, value: c.value, limit: c.limit, resolution: c.resolution })),
        },
      });
      if (overridden.length > 0) {
        tx.audit({
          action: 'checkout.checks_overridden',
          objectType: 'checkout',
          objectId: id,
          after: { reason: input.override!.reason, checks: overridden.map((c) => ({ check: c.check, result: c.result, reason: c.reason, value: c.value })) },
        });
      }
      tx.emit('custody.changed', { checkoutId: id, deviceId: device.id });
      return id;
    });
    return this.get(id);
  }

  /**
   * 第十五条's exception: continuous work, work away from the unit, or a remote
   * area; the footage is due 24 hours after the declared return. Once the
   * deadline has passed only 综合处 may record one (a late excuse is theirs to weigh).
   */
  declareException(
    actor: Actor,
    mayAfterDeadline: boolean,
    input: { checkoutId: number; kind: OffloadException; reason: string; declaredReturn: string },
  ): CheckoutDetail {
    const now = this.d.clock.now();
    const declaredReturnAt = localDateTimeToUtc(input.declaredReturn, this.d.timeZone);
    if (declaredReturnAt === null) throw badTime('declaredReturn', '预计返回单位时间无效。 / The declared return is not a real time.');
    this.d.writer.run(actor, (tx) => {
      const c = this.d.repo.require(input.checkoutId);
      if (c.offloaded_at !== null) {
        throw new StationError('invalid_state', '该领用的音视频资料已导出保存，无需再申报。 / This checkout is already offloaded; no exception is needed.');
      }
      if (now > c.deadline_at && !mayAfterDeadline) {
        throw new StationError(
          'forbidden',
          '导出期限已过；逾期后的情况说明须由综合处登记。 / The deadline has passed; only the general office can record an exception now.',
          { permission: 'custody.override' },
        );
      }
      if (declaredReturnAt < c.checked_out_at || declaredReturnAt > now + MAX_AHEAD_MS) {
        throw badTime('declaredReturn', '返回单位时间须在领用之后，且在 31 天之内。 / The return must be after the checkout and within 31 days.');
      }
      const deadlineAt = exceptionDeadline(declaredReturnAt, c.same_day_deadline_at);
      this.d.repo.setException(c.id, { kind: input.kind, reason: input.reason, returnAt: declaredReturnAt, declaredAt: tx.at, declaredBy: actor.label, deadlineAt });
      tx.audit({
        action: 'checkout.exception_declared',
        objectType: 'checkout',
        objectId: c.id,
        before: { deadlineAt: c.deadline_at, deadlineRule: c.deadline_rule, exceptionKind: c.exception_kind },
        after: { deadlineAt, deadlineRule: 'exception', exceptionKind: input.kind, reason: input.reason, declaredReturnAt },
      });
      tx.emit('custody.changed', { checkoutId: c.id, deviceId: c.device_id });
    });
    return this.get(input.checkoutId);
  }

  // ---- return ----

  /**
   * The custodian takes the camera back and notes its condition. A camera
   * whose footage is not yet offloaded is docked first; only one that cannot
   * be docked because it is damaged is received before that (its fault is
   * opened and its deadline keeps running until the footage is recovered).
   */
  receive(
    actor: Actor,
    input: { checkoutId: number; condition: 'good' | 'damaged'; damage?: string | undefined; outOfService?: boolean | undefined; note?: string | undefined },
  ): CheckoutDetail {
    if (input.condition === 'damaged' && !input.damage) {
      throw new StationError('invalid_input', '请写明损坏情况。 / Describe the damage.', { issues: [{ path: 'damage', message: 'required when damaged' }] });
    }
    if (input.condition === 'good' && input.damage) {
      throw new StationError('invalid_input', '完好归还时不填写损坏情况。 / A camera returned in good condition has no damage to describe.', {
        issues: [{ path: 'damage', message: 'only when damaged' }],
      });
    }
    this.d.writer.run(actor, (tx) => {
      const c = this.d.repo.require(input.checkoutId);
      if (c.status === 'returned') throw new StationError('invalid_state', '该执法记录仪已归还。 / This camera has already been returned.');
      if (c.offloaded_at === null && input.condition === 'good') {
        throw new StationError(
          'invalid_state',
          '该执法记录仪的音视频资料尚未导出保存：请先接入采集站，待显示“可以取走”后再归还。 / The footage is not offloaded yet: dock the camera, wait for “safe to remove”, then receive it.',
          { field: 'checkoutId' },
        );
      }
      const faultId =
        input.condition === 'damaged'
          ? this.d.faultService.openIn(tx, { deviceId: c.device_id, description: input.damage!, outOfService: input.outOfService ?? false, checkoutId: c.id })
          : null;
      this.d.repo.setReturned(c.id, { at: tx.at, ...who(actor), condition: input.condition, note: input.note?.trim() || null, faultId });
      tx.audit({
        action: 'checkout.returned',
        objectType: 'checkout',
        objectId: c.id,
        before: { status: c.status },
        after: { status: 'returned', condition: input.condition, faultId, note: input.note ?? null, offloaded: c.offloaded_at !== null },
      });
      tx.emit('custody.changed', { checkoutId: c.id, deviceId: c.device_id });
    });
    return this.get(input.checkoutId);
  }

  // ---- reading ----

  get(id: number): CheckoutDetail {
    const now = this.d.clock.now();
    const view = this.d.repo.view(id, now);
    const faultId = this.d.repo.require(id).return_fault_id;
    return {
      ...view,
      checks: this.d.repo.checks(id),
      clipCount: this.d.repo.clipCount(id),
      lateOffloads: this.d.records.lateOffloads({ checkoutId: id }),
      outsideRecordings: this.d.records.outsideList({ checkoutId: id }),
      noRecordings: this.d.noRecordings.list({ checkoutId: id }),
      returnFault: faultId === null ? null : this.d.faults.require(faultId),
    };
  }

  list(filter: CheckoutFilter): { asOf: number; checkouts: CheckoutView[] } {
    const asOf = this.d.clock.now();
    return { asOf, checkouts: this.d.repo.list(filter, asOf) };
  }

  /** Checkouts past their deadline without an offload, most overdue first (第十五条). */
  overdue(): { asOf: number; checkouts: OverdueCheckout[] } {
    const asOf = this.d.clock.now();
    return {
      asOf,
      checkouts: this.d.repo.overdue(asOf).map((c) => ({ ...c, overdueMs: overdueMs(c.deadlineAt, c.offloadedAt, asOf) })),
    };
  }

  /** An officer's own history: their checkouts, no-recording records and late offloads. */
  mine(personId: number, limit = 200): { asOf: number; checkouts: CheckoutView[]; noRecordings: NoRecordingRecord[]; lateOffloads: LateOffload[] } {
    const asOf = this.d.clock.now();
    return {
      asOf,
      checkouts: this.d.repo.list({ officerId: personId, limit }, asOf),
      noRecordings: this.d.noRecordings.list({ officerId: personId, limit }),
      lateOffloads: this.d.records.lateOffloads({ officerId: personId, limit }),
    };
  }

  lateOffloads(filter: { officerId?: number | undefined; beforeId?: number | undefined; limit?: number | undefined }): LateOffload[] {
    return this.d.records.lateOffloads(filter);
  }

  outsideRecordings(filter: { reviewed?: boolean | undefined; beforeId?: number | undefined; limit?: number | undefined }): OutsideRecording[] {
    return this.d.records.outsideList(filter);
  }

  /** 综合处 has looked at footage recorded outside a checkout (第三条) and notes what it found. */
  reviewOutsideRecording(actor: Actor, input: { id: number; note: string }): OutsideRecording {
    this.d.writer.run(actor, (tx) => {
      const record = this.d.records.outside(input.id);
      if (record.reviewedAt !== null) throw new StationError('invalid_state', '该记录已核查。 / This record has already been reviewed.');
      this.d.records.review(input.id, { at: tx.at, ...who(actor), note: input.note });
      tx.audit({ action: 'recording.outside_reviewed', objectType: 'outside_recording', objectId: input.id, after: { note: input.note } });
      tx.emit('custody.outsideRecording', { id: input.id, dockSessionId: record.dockSessionId });
    });
    return this.d.records.outside(input.id);
  }

  /** Every camera with where it is: in service, out with whom since when, docked, faulty. */
  cameras(includeRetired: boolean): { asOf: number; cameras: CameraCustodyStatus[] } {
    const asOf = this.d.clock.now();
    const cameras = this.d.devices
      .list({})
      .filter((d) => includeRetired || d.status !== 'retired')
      .map((d): CameraCustodyStatus => {
        const open = this.d.repo.openOfDevice(d.id);
        const dock = this.d.repo.currentDock(d.id);
        const last = this.d.repo.lastFinishedDock(d.id);
        const faults = this.d.faults.openOf(d.id);
        return {
          device: { ...deviceRef(d), status: d.status },
          checkout: open ? this.d.repo.view(open.id, asOf) : null,
          dock: dock ? { dockSessionId: dock.id, state: dock.state, attachedAt: dock.attached_at } : null,
          openFaults: faults.map((f) => ({ id: f.id, description: f.description, reportedAt: f.reported_at })),
          lastDock: last
            ? { dockSessionId: last.id, at: last.attachedAt, batteryPercent: last.batteryPercent, freeBytes: last.freeBytes, clockSkewMs: last.clockSkewMs }
            : null,
          available: d.status === 'in_service' && !open && faults.length === 0,
        };
      });
    return { asOf, cameras };
  }
}
