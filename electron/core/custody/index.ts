// The custody domain, built once by the station's composition root.
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import type { EventBus } from '../events.js';
import type { PeopleRepository } from '../people/repository.js';
import { FaultRepository, FaultService } from './faults.js';
import { NoRecordingRepository, NoRecordingService } from './no-recording.js';
import { OffloadTracker } from './offload.js';
import { SupervisionRecords } from './records.js';
import { CustodyRepository } from './repository.js';
import { CustodyService } from './service.js';
import type { CustodySettingsStore } from './settings.js';

export interface Custody {
  service: CustodyService;
  faults: FaultService;
  faultRepo: FaultRepository;
  noRecording: NoRecordingService;
  noRecordingRepo: NoRecordingRepository;
  offload: OffloadTracker;
}

export function createCustody(d: {
  db: Db;
  writer: Writer;
  events: EventBus;
  devices: DeviceRepository;
  people: PeopleRepository;
  clock: Clock;
  timeZone: string;
  /** Built by the station: the ingest reads the vault reserve from it too. */
  settings: CustodySettingsStore;
  log(message: string, error?: unknown): void;
}): Custody {
  const repo = new CustodyRepository(d.db);
  const records = new SupervisionRecords(d.db);
  const faultRepo = new FaultRepository(d.db);
  const faults = new FaultService(faultRepo, d.devices, d.writer);
  const noRecordingRepo = new NoRecordingRepository(d.db);
  const service = new CustodyService({
    repo,
    records,
    faults: faultRepo,
    faultService: faults,
    noRecordings: noRecordingRepo,
    settings: d.settings,
    devices: d.devices,
    people: d.people,
    writer: d.writer,
    clock: d.clock,
    timeZone: d.timeZone,
  });
  const noRecording = new NoRecordingService({ records: noRecordingRepo, checkouts: repo, people: d.people, writer: d.writer, clock: d.clock, timeZone: d.timeZone });
  const offload = new OffloadTracker({ repo, records, writer: d.writer, events: d.events, clock: d.clock, log: d.log });
  return { service, faults, faultRepo, noRecording, noRecordingRepo, offload };
}
