import type { CallName, CallOutput, ParsedInput } from '../../shared/contract.js';
import { StationError } from '../../shared/errors.js';
import type { Permission } from '../../shared/roles.js';
import { permissionsOf } from '../../shared/roles.js';
import { personActor } from './audit/actor.js';
import type { AuditLog } from './audit/log.js';
import type { AuthService } from './auth/service.js';
import type { ResolvedConfig } from './config.js';
import type { CallContext } from './context.js';
import { schemaVersion } from './db/migrate.js';
import type { Db } from './db/open.js';
import type { DeviceRepository } from './devices/repository.js';
import type { DeviceService } from './devices/service.js';
import type { RoleGrants } from './people/grants.js';
import type { PeopleRepository } from './people/repository.js';
import type { PeopleService } from './people/service.js';
import type { IngestService } from './ingest/service.js';
import type { Custody } from './custody/index.js';
import type { SealService } from './audit/seal.js';
import type { Viewing } from './viewing/index.js';
import type { Library } from './library/index.js';
import { clipDetail } from './library/clip-detail.js';
import { viewerOf } from './library/viewer.js';
import { grantedClipIds, mayView } from './viewing/access.js';
import type { Media } from './media/index.js';
import type { Exports } from './export/index.js';
import { exportRegisterPdf } from './viewing/register-pdf.js';
import { exportRegisterXlsx } from './viewing/register-xlsx.js';
import { STATION_VERSION } from './version.js';

export type Handler<K extends CallName> = (
  input: ParsedInput<K>,
  ctx: CallContext,
) => CallOutput<K> | Promise<CallOutput<K>>;

/** Exactly one handler per contract call: a missing or extra name fails the type check. */
export type Handlers = { [K in CallName]: Handler<K> };

export interface Services {
  config: ResolvedConfig;
  db: Db;
  audit: AuditLog;
  auth: AuthService;
  people: PeopleService;
  peopleRepo: PeopleRepository;
  roleGrants: RoleGrants;
  devices: DeviceService;
  deviceRepo: DeviceRepository;
  ingest: IngestService;
  custody: Custody;
  seals: SealService;
  viewing: Viewing;
  library: Library;
  media: Media;
  exports: Exports;
}

/** The viewing rules' caller: a person, or the CLI (personId null), which may read but not decide. */
const viewingCaller = (ctx: CallContext) => ({ actor: ctx.actor, personId: ctx.session?.personId ?? null });

function requireSession(ctx: CallContext) {
  if (!ctx.session) throw new StationError('unauthenticated', '请先登录。 / Log in first.');
  return ctx.session;
}

/**
 * Whether the caller holds a permission beyond the one that let the call in
 * (a custodian's checkout that asks for 综合处's override). The CLI acts with
 * every permission, as the dispatcher grants it.
 */
function holds(s: Services, ctx: CallContext, permission: Permission): boolean {
  if (ctx.actor.kind === 'os') return true;
  return ctx.session !== undefined && permissionsOf(s.peopleRepo.roles(ctx.session.personId)).has(permission);
}

export function createHandlers(s: Services): Handlers {
  const filer = (ctx: CallContext) => ({
    actor: ctx.actor,
    personId: ctx.session?.personId ?? null,
    mayFileForOthers: holds(s, ctx, 'custody.operate'),
  });
  // Who is reading the library: what they may see listed is decided in the core (library/viewer.ts).
  // Secret clips show to whoever a department head's grant in force covers (viewing/access.ts).
  const viewer = (ctx: CallContext) =>
    viewerOf(
      ctx,
      (id) => s.peopleRepo.roles(id),
      (id) => grantedClipIds(s.db, id, s.config.clock.now()),
    );
  // The station, its zone, its Chinese font and the moment: what a printed or exported register states.
  const registerPrint = () => ({ stationName: s.config.stationName, timeZone: s.config.timeZone, font: s.config.sealFont, printedAt: s.config.clock.now() });
  return {
    'station.status': () => ({
      initialized: s.people.isInitialized(),
      version: STATION_VERSION,
      timeZone: s.config.timeZone,
      schemaVersion: schemaVersion(s.db),
      stationName: s.config.stationName,
    }),
    'station.setup': async (input, ctx) => {
      const fromCli = ctx.actor.kind === 'os';
      const person = await s.people.setup((p) => (fromCli ? ctx.actor : personActor(p)), input);
      if (fromCli) return { person, permissions: [], locked: false, mustChangePin: false, idleLockMs: s.config.idleLockMs, startedAt: 0 };
      // The person who set the station up is logged in on this window straight away.
      return s.auth.login(ctx.connection, person.badge, input.password, 'password');
    },

    'auth.loginPassword': (input, ctx) => s.auth.login(ctx.connection, input.badge, input.password, 'password'),
    'auth.loginBadge': (input, ctx) => s.auth.login(ctx.connection, input.badge, input.pin, 'pin'),
    'auth.logout': (_input, ctx) => {
      s.auth.logout(ctx.connection);
      return null;
    },
    'auth.session': (_input, ctx) => s.auth.sessionInfo(ctx.connection),
    'auth.unlock': (input, ctx) => s.auth.unlock(ctx.connection, input.secret),
    'auth.changePin': (input, ctx) => s.auth.changePin(ctx.connection, requireSession(ctx), input.currentPin, input.newPin),
    'auth.changePassword': (input, ctx) =>
      s.auth.changePassword(ctx.connection, ctx.actor, requireSession(ctx).personId, input.currentPassword, input.newPassword),

    'people.list': (input) => s.peopleRepo.list(input),
    'people.create': (input, ctx) => s.people.create(ctx.actor, input),
    'people.update': (input, ctx) => s.people.update(ctx.actor, input),
    'people.setActive': (input, ctx) => s.people.setActive(ctx.actor, input.id, input.active),
    'people.resetPin': (input, ctx) => s.people.resetPin(ctx.actor, input.id),
    'people.grants': (input, ctx) => s.roleGrants.list(ctx.actor, input),
    'people.confirmGrant': (input, ctx) => s.people.confirmGrant(ctx.actor, input.id),
    'people.refuseGrant': (input, ctx) => s.people.refuseGrant(ctx.actor, input.id, input.reason),

    'devices.list': (input) => s.deviceRepo.list(input),
    'devices.get': (input) => s.deviceRepo.detail(input.id),
    'devices.register': (input, ctx) => s.devices.register(ctx.actor, input),
    'devices.update': (input, ctx) => s.devices.update(ctx.actor, input),
    'devices.setStatus': (input, ctx) => s.devices.setStatus(ctx.actor, input),

    'dock.board': () => s.ingest.board(),
    'dock.lobby': () => s.ingest.lobby(),
    'dock.get': (input) => s.ingest.detail(input.id),
    'dock.history': (input) => s.ingest.history(input.deviceId, input.before, input.limit),
    'dock.retry': (input, ctx) => s.ingest.retry(ctx.actor, input.id),
    'ingest.pause': (input, ctx) => {
      s.ingest.pause(ctx.actor, input.dockSessionId);
      return null;
    },
    'ingest.resume': (input, ctx) => {
      s.ingest.resume(ctx.actor, input.dockSessionId);
      return null;
    },
    'ingest.cancel': (input, ctx) => {
      s.ingest.cancel(ctx.actor, input.dockSessionId);
      return null;
    },
    'alarms.resolve': (input, ctx) => s.ingest.resolveAlarm(ctx.actor, input.id, input.resolution, (p) => holds(s, ctx, p)),

    'custody.settings': () => s.custody.service.settings(),
    'custody.updateSettings': (input, ctx) => s.custody.service.updateSettings(ctx.actor, input),
    'custody.propose': (input) => s.custody.service.propose(input),
    'custody.checks': (input) => s.custody.service.checksFor(input.deviceId),
    'custody.checkout': (input, ctx) => {
      const detail = s.custody.service.checkout(ctx.actor, holds(s, ctx, 'custody.override'), input);
      // A camera on the dock whose model's library can take it gets the officer written onto it (audited; never in the way).
      void s.ingest.writeOfficerToCamera(input.deviceId, input.officerId);
      return detail;
    },
    'custody.declareException': (input, ctx) => s.custody.service.declareException(ctx.actor, holds(s, ctx, 'custody.override'), input),
    'custody.receive': (input, ctx) => s.custody.service.receive(ctx.actor, input),
    'custody.get': (input) => s.custody.service.get(input.id),
    'custody.list': (input) => s.custody.service.list(input),
    'custody.overdue': () => s.custody.service.overdue(),
    'custody.cameras': (input) => s.custody.service.cameras(input.includeRetired ?? false),
    'custody.mine': (_input, ctx) => s.custody.service.mine(requireSession(ctx).personId),
    'custody.lateOffloads': (input) => s.custody.service.lateOffloads(input),
    'custody.outsideRecordings': (input) => s.custody.service.outsideRecordings(input),
    'custody.reviewOutsideRecording': (input, ctx) => s.custody.service.reviewOutsideRecording(ctx.actor, input),

    'faults.list': (input) => s.custody.faultRepo.list(input),
    'faults.report': (input, ctx) => s.custody.faults.report(ctx.actor, input),
    'faults.logMaintenance': (input, ctx) => s.custody.faults.logMaintenance(ctx.actor, input),
    'faults.maintenance': (input) => s.custody.faultRepo.routineMaintenance(input),
    'faults.close': (input, ctx) => s.custody.faults.close(ctx.actor, input),

    'norecord.heads': () => s.custody.noRecordingRepo.heads(),
    'norecord.file': (input, ctx) => s.custody.noRecording.file(filer(ctx), input),
    'norecord.acknowledge': (input, ctx) => s.custody.noRecording.acknowledge(filer(ctx), input),
    'norecord.list': (input, ctx) =>
      s.custody.noRecordingRepo.list({ ...input, headId: input.toMe ? requireSession(ctx).personId : undefined }),

    'audit.list': (input) => s.audit.list(input),
    'audit.verify': () => s.audit.verify(),
    'audit.seals': (input) => s.seals.list(input.beforeRow, input.limit ?? 20),
    'audit.seal.make': (_input, ctx) => s.seals.makeNow(ctx.actor),
    'audit.seal.verify': (input) => s.seals.verify(input.seal),
    'audit.seal.sheet': (input) => s.seals.sheet(input.number),
    'audit.seal.pdf': async (input) => {
      const { fileName, pdf } = await s.seals.pdf(input.number);
      return { fileName, pdfBase64: pdf.toString('base64') };
    },

    'viewing.request': (input, ctx) => s.viewing.service.request(viewingCaller(ctx), input),
    'viewing.requests': (input, ctx) => s.viewing.service.requests(viewingCaller(ctx), input),
    'viewing.approve': (input, ctx) => s.viewing.service.approve(viewingCaller(ctx), input),
    'viewing.refuse': (input, ctx) => s.viewing.service.refuse(viewingCaller(ctx), input),
    'viewing.withdraw': (input, ctx) => s.viewing.service.withdraw(viewingCaller(ctx), input.id),
    'viewing.grant': (input, ctx) => s.viewing.service.grantStanding(viewingCaller(ctx), input),
    'viewing.revoke': (input, ctx) => s.viewing.service.revoke(viewingCaller(ctx), input),
    'viewing.grants': (input, ctx) => s.viewing.service.grants(viewingCaller(ctx), input),
    'viewing.open': async (input, ctx) => {
      const session = requireSession(ctx);
      const options = { connection: ctx.connection, ...(input.proxy ? { proxy: true } : {}) };
      let sheet: string | undefined;
      // The sheet is made (ffmpeg) only for someone who may see it; a refusal is openView's to audit.
      if (input.contactSheet && mayView(s.db, s.viewing.settings.get(), session.personId, input.clipId, s.config.clock.now()).allowed) {
        sheet = (await s.media.contactSheet(input.clipId)) ?? undefined;
        if (sheet === undefined) throw new StationError('not_found', `录像 ${input.clipId} 没有缩略图（不是视频，或无法解码）。 / Clip ${input.clipId} has no contact sheet (not a video, or it cannot be decoded).`);
      }
      const viewId = s.viewing.sessions.openView(session.personId, input.clipId, { ...options, ...(sheet !== undefined ? { contactSheet: sheet } : {}) });
      return s.viewing.sessions.describe(viewId)!;
    },
    'viewing.close': (input, ctx) => {
      const session = requireSession(ctx);
      // Someone else's view is as unknown as one that never was.
      if (!s.viewing.sessions.ownedBy(input.viewId, session.personId)) {
        return { wasOpen: false, because: s.viewing.sessions.endedBecause(input.viewId) };
      }
      s.viewing.sessions.closeView(input.viewId);
      return { wasOpen: true, because: 'closed' as const };
    },
    'viewing.register': (input) => s.viewing.service.register(input),
    'viewing.registerCsv': (input, ctx) => s.viewing.service.registerCsv(viewingCaller(ctx), input),
    'viewing.registerPdf': (input, ctx) => exportRegisterPdf(s.viewing.service, viewingCaller(ctx), input, registerPrint()),
    'viewing.registerXlsx': (input, ctx) => exportRegisterXlsx(s.viewing.service, viewingCaller(ctx), input, registerPrint()),
    'viewing.settings': () => s.viewing.service.settings(),
    'viewing.updateSettings': (input, ctx) => s.viewing.service.updateSettings(viewingCaller(ctx), input),

    'exports.create': (input, ctx) => s.exports.create(viewingCaller(ctx), input),
    'exports.list': (input, ctx) => {
      const { beforeId, limit, ...filter } = input;
      return { exports: s.exports.service.list({ ...filter, beforeId, limit }), pendingForMe: s.exports.service.pendingFor(viewingCaller(ctx)) };
    },
    'exports.get': (input) => s.exports.service.get(input.id),
    'exports.approve': (input, ctx) => s.exports.service.approve(viewingCaller(ctx), input.id, input.note),
    'exports.refuse': (input, ctx) => s.exports.service.refuse(viewingCaller(ctx), input.id, input.reason),
    'exports.start': (input, ctx) => s.exports.service.start(viewingCaller(ctx), input.id),
    'exports.handOver': (input, ctx) => s.exports.service.handOver(viewingCaller(ctx), input.id),
    'exports.cancel': (input, ctx) => s.exports.service.cancel(viewingCaller(ctx), input.id, input.reason),
    'exports.download': (input, ctx) => s.exports.download(viewingCaller(ctx), ctx.connection, input.id, input.disc),
    'exports.drives': async () => ({ drives: await s.exports.drives() }),
    'exports.burn': async (input, ctx) => {
      await s.exports.burn(viewingCaller(ctx), input.id, input.disc, input.address);
      return s.exports.service.get(input.id);
    },
    'exports.sheet': (input, ctx) => s.exports.sheet(viewingCaller(ctx), input.id, input.disc),
    'exports.registerCsv': (input, ctx) => s.exports.registerCsv(viewingCaller(ctx), input),
    'exports.registerPdf': (input, ctx) => s.exports.registerPdf(viewingCaller(ctx), input),
    'exports.registerXlsx': (input, ctx) => s.exports.registerXlsx(viewingCaller(ctx), input),
    'exports.settings': () => s.exports.service.settings(),
    'exports.updateSettings': (input, ctx) => s.exports.service.updateSettings(viewingCaller(ctx), input),

    'library.search': (input, ctx) => {
      const { after, limit, ...filter } = input;
      return s.library.search.search(viewer(ctx), { filter, after, limit });
    },
    'library.clip': (input, ctx) => clipDetail(s.db, viewer(ctx), input),
    'library.classify': (input, ctx) => s.library.classifier.classify(ctx.actor, viewer(ctx), input),
    'cases.list': (input, ctx) => s.library.cases.list(viewer(ctx), input),
    'cases.get': (input, ctx) => s.library.cases.get(viewer(ctx), input),
    'cases.create': (input, ctx) => s.library.cases.create(ctx.actor, input),
    'cases.update': (input, ctx) => s.library.cases.update(ctx.actor, viewer(ctx), input),
    'cases.addClips': (input, ctx) => s.library.cases.addClips(ctx.actor, input),
    'cases.removeClips': (input, ctx) => s.library.cases.removeClips(ctx.actor, viewer(ctx), input),
  };
}

