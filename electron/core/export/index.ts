// Evidence discs (issue 21), built once by the station's composition root: the export record and
// its rules (service.ts), the build (build.ts), saving an image (downloads.ts), burning (burn.ts),
// the paper sheet and the register.
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import { exportNo, type ExportRecord } from '../../../shared/export.js';
import type { AlarmRepository } from '../alarms/repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import type { Writer } from '../db/writer.js';
import type { ConnectionId, EventBus } from '../events.js';
import type { Copier } from '../ingest/copier.js';
import type { PeopleRepository } from '../people/repository.js';
import type { Caller } from '../viewing/service.js';
import { ExportBuilder } from './build.js';
import { burnImage, listDrives, type OpticalDrive } from './burn.js';
import { ExportDownloads } from './downloads.js';
import { readBack } from './readback.js';
import { exportRegisterCsv } from './register-csv.js';
import { exportRegisterPdf } from './register-pdf.js';
import { exportRegisterXlsx } from './register-xlsx.js';
import { ProgressMeter } from './progress.js';
import { ExportService, type CreateInput } from './service.js';
import { ExportSettingsStore } from './settings.js';

export interface ExportDeps {
  db: Db;
  writer: Writer;
  events: EventBus;
  alarms: AlarmRepository;
  people: PeopleRepository;
  copier: Pick<Copier, 'hash'>;
  clock: Clock;
  dataDir: string;
  stationName: string;
  timeZone: string;
  font: { file?: string; face?: string };
  absolute(vaultPath: string): string;
  vaultReady(): boolean;
  holds(connection: ConnectionId, personId: number): boolean;
  /** Addresses a burn may also go to besides the drives xorriso finds: tests' file-backed pseudo drives ('stdio:/…'). */
  extraBurnAddresses?: readonly string[];
  xorriso?: string;
  log(message: string, error?: unknown): void;
}

export interface Exports {
  service: ExportService;
  builder: ExportBuilder;
  downloads: ExportDownloads;
  download(c: Caller, connection: ConnectionId, id: number, disc: number): { downloadId: string; fileName: string; bytes: number };
  drives(): Promise<OpticalDrive[]>;
  create(c: Caller, input: CreateInput): Promise<ExportRecord>;
  burn(c: Caller, id: number, disc: number, address: string): Promise<void>;
  sheet(c: Caller, id: number, disc: number): Promise<{ fileName: string; base64: string; reprint: boolean }>;
  registerCsv(c: Caller, filter: { from?: number | undefined; to?: number | undefined }): { fileName: string; csv: string; rows: number };
  /** The register printed (A4 landscape, as the view register), dated and signed by who printed it. */
  registerPdf(c: Caller, filter: { from?: number | undefined; to?: number | undefined }): Promise<{ fileName: string; base64: string; rows: number }>;
  registerXlsx(c: Caller, filter: { from?: number | undefined; to?: number | undefined }): { fileName: string; base64: string; rows: number };
  close(): Promise<void>;
}

export function createExports(d: ExportDeps): Exports {
  const settings = new ExportSettingsStore(d.db);
  const builder = new ExportBuilder({ ...d, exportsDir: path.join(d.dataDir, 'exports') });
  const state = (id: number) => prepared<[number], { state: string }>(d.db, 'SELECT state FROM export WHERE id = ?').get(id)?.state;
  const downloads = new ExportDownloads({ now: () => d.clock.now(), holds: d.holds, stillReady: (id) => state(id) === 'ready' });
  const service = new ExportService({
    db: d.db,
    writer: d.writer,
    people: d.people,
    settings,
    progress: (id) => builder.progress(id),
    build: (id) => builder.start(id),
    discard: async (id) => {
      downloads.dropFor(id);
      await builder.discard(id);
    },
  });

  const readyDisc = (id: number, disc: number) => {
    const record = service.get(id);
    if (record.state !== 'ready') {
      throw new StationError('invalid_state', `${record.exportNo} 尚未制作完成，或已交付、已取消。 / ${record.exportNo} is not ready, or was handed over or cancelled.`, { state: record.state });
    }
    const found = record.discs.find((x) => x.disc === disc);
    if (!found || found.verifiedAt === null || found.imageBytes === null) throw new StationError('not_found', `${record.exportNo} 没有第 ${disc} 张光盘。 / ${record.exportNo} has no disc ${disc}.`);
    return { record, found, image: builder.imageOf(id, disc, record.discs.length) };
  };

  /**
   * The drives xorriso finds, and the pseudo drives the config names (tests, the harness: a file
   * the image is "burned" into, as there is no drive here).
   */
  const drives = async (): Promise<OpticalDrive[]> => [
    ...(await listDrives(d.xorriso)),
    ...(d.extraBurnAddresses ?? []).map((address) => ({ address, vendor: '文件 / file', model: '模拟刻录机 / pseudo drive' })),
  ];
  /** Only a drive the station found: never a device or path the window names. */
  const requireDrive = async (address: string) => {
    if (!(await drives()).some((x) => x.address === address)) throw new StationError('not_found', `没有找到刻录机 ${address}。 / There is no drive ${address}.`, { field: 'address' });
  };

  const needPerson = (c: Caller) => {
    if (c.personId === null) throw new StationError('forbidden', '光盘导出须由本人登录办理。 / Evidence discs are made by a person logged in at the station.');
    return c.personId;
  };

  return {
    service,
    builder,
    downloads,
    download(c, connection, id, disc) {
      const personId = needPerson(c);
      const { record, found, image } = readyDisc(id, disc);
      const fileName = path.basename(image);
      const downloadId = downloads.add({ file: image, fileName, bytes: found.imageBytes!, connection, personId, exportId: id });
      d.writer.run(c.actor, (tx) =>
        tx.audit({ action: 'export.image_saved', objectType: 'export', objectId: id, after: { exportNo: record.exportNo, disc, imageSha256: found.imageSha256 } }),
      );
      return { downloadId, fileName, bytes: found.imageBytes! };
    },
    drives,
    async create(c, input) {
      if (input.driveAddress !== undefined) await requireDrive(input.driveAddress);
      return service.create(c, input);
    },
    async burn(c, id, disc, address) {
      needPerson(c);
      const { record, found, image } = readyDisc(id, disc);
      await requireDrive(address);
      const x = d.xorriso ? { xorriso: d.xorriso } : {};
      // Progress as for a build: the burn, then the disc's read-back, each the image's size.
      const total = found.imageBytes!;
      const meter = new ProgressMeter(total * 2, record.discs.length, (p) => d.events.emit('export.progress', { id, progress: p }));
      meter.update('burn', disc, 0);
      await burnImage({ ...x, address, image, onProgress: (bytes) => meter.update('burn', disc, Math.min(bytes, total)) });
      // The disc as burned is read back like its image: the same files, the same hashes.
      const expect = prepared<[number, number], { disc_path: string; size: number; sha256: string }>(
        d.db,
        'SELECT x.disc_path, k.size, x.sha256 FROM export_clip x JOIN clip k ON k.id = x.clip_id WHERE x.export_id = ? AND x.disc = ?',
      ).all(id, disc);
      const result = await readBack({
        ...x,
        image: address,
        expect: expect.map((e) => ({ discPath: `data/${e.disc_path}`, size: e.size, sha256: e.sha256 })),
        onProgress: (read, all) => meter.update('readback', disc, total + Math.floor((read / Math.max(all, 1)) * total)),
      });
      meter.update('done', disc, total * 2);
      // The tag files are not in `expect` (their hashes are in the image's, which must be equal).
      const ok = result.md5.ok && result.imageSha256 === found.imageSha256 && result.files.every((f) => f.ok || f.problem === 'unexpected');
      d.writer.run(c.actor, (tx) => {
        if (ok) prepared(d.db, 'UPDATE export_disc SET burned_at = ?, burned_to = ? WHERE export_id = ? AND disc = ?').run(tx.at, address, id, disc);
        tx.audit({ action: ok ? 'export.burned' : 'export.burn_failed', objectType: 'export', objectId: id, after: { exportNo: record.exportNo, disc, address, imageSha256: result.imageSha256 } });
        tx.emit('export.changed', { id });
      });
      if (!ok) {
        throw new StationError('invalid_state', '刻录后的光盘读回校验不符：请换一张空白光盘重新刻录。 / The burned disc did not read back equal: burn it again on another blank.', {
          reason: 'burn_mismatch',
        });
      }
    },
    async sheet(c, id, disc) {
      const by = c.actor.label;
      // Printed for the case file when the discs are made, and again (补打) later, after the hand-over too.
      const record = service.get(id);
      if (record.state !== 'ready' && record.state !== 'handed_over') {
        throw new StationError('invalid_state', `${record.exportNo} 尚未制作完成。 / ${record.exportNo} is not made yet.`, { state: record.state });
      }
      const prints = prepared<[number, number], { n: number }>(d.db, 'SELECT sheet_prints AS n FROM export_disc WHERE export_id = ? AND disc = ?').get(id, disc)!.n;
      const reprint = prints > 0 ? { at: d.clock.now(), by } : null;
      const pdf = await builder.sheetPdf(id, disc, reprint);
      d.writer.run(c.actor, (tx) => {
        prepared(d.db, 'UPDATE export_disc SET sheet_prints = sheet_prints + 1 WHERE export_id = ? AND disc = ?').run(id, disc);
        tx.audit({ action: reprint ? 'export.sheet_reprinted' : 'export.sheet_printed', objectType: 'export', objectId: id, after: { exportNo: record.exportNo, disc, print: prints + 1 } });
      });
      return { fileName: `${exportNo(id)}-${disc}-说明${reprint ? '-补打' : ''}.pdf`, base64: pdf.toString('base64'), reprint: reprint !== null };
    },
    registerCsv: (c, filter) => exportRegisterCsv(d, c, filter),
    registerPdf: (c, filter) => exportRegisterPdf(d, c, filter, d.clock.now()),
    registerXlsx: (c, filter) => exportRegisterXlsx(d, c, filter, d.clock.now()),
    async close() {
      await builder.close();
    },
  };
}
