// Viewing under approval (issue 20), built once by the station's composition root.
import type { Clock, Random } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import type { ConnectionId } from '../events.js';
import type { ProxyClip, ProxyHandle } from '../media/proxy.js';
import type { PeopleRepository } from '../people/repository.js';
import { ViewingService } from './service.js';
import { ViewSessions } from './sessions.js';
import { ViewingSettingsStore } from './settings.js';

export { grantedClipIds, mayListSecret, mayView } from './access.js';

export interface Viewing {
  service: ViewingService;
  /** For the media endpoint: open, read ranges under the grant, close. */
  sessions: ViewSessions;
  settings: ViewingSettingsStore;
}

export function createViewing(d: {
  db: Db;
  writer: Writer;
  people: PeopleRepository;
  clock: Clock;
  random: Random;
  timeZone: string;
  absolute(vaultPath: string): string;
  vaultReady(): boolean;
  holds(connection: ConnectionId, personId: number): boolean;
  touch(connection: ConnectionId): void;
  proxyFor(clip: ProxyClip, toDisk: boolean): ProxyHandle;
}): Viewing {
  const settings = new ViewingSettingsStore(d.db);
  const service = new ViewingService({ db: d.db, writer: d.writer, people: d.people, settings, clock: d.clock, timeZone: d.timeZone });
  const sessions = new ViewSessions({ ...d, settings });
  sessions.closeInterrupted();
  return { service, sessions, settings };
}
