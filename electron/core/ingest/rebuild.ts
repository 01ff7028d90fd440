import { stationActor } from '../audit/actor.js';
import type { Writer } from '../db/writer.js';
import type { DeviceRepository } from '../devices/repository.js';
import type { PeopleRepository } from '../people/repository.js';
import type { IngestRepository } from './repository.js';
import type { Sidecar, Vault } from './vault.js';
import { clipFromSidecar } from './vault.js';

export interface RebuildReport {
  /** Sidecars found in the vault. */
  scanned: number;
  /** Clip rows written from sidecars. */
  restored: number;
  /** Clips already in the index (the same camera file, at the same vault path with the same hash). */
  present: number;
  /** Cameras registered because a sidecar named a serial the registry did not know. */
  devicesCreated: string[];
  /** The index holds that camera file under another vault path or hash: left alone, listed for a person to look at. */
  conflicts: Array<{ vaultPath: string; indexHash: string; sidecarHash: string }>;
}

/**
 * `station rebuild-index`: puts every clip of the vault back in the index from
 * its sidecar alone. Existing rows are never changed or removed (evidence is
 * never deleted from the index); a camera the registry lacks is registered,
 * audited, with a note saying where it came from.
 */
export async function rebuildIndex(deps: {
  vault: Vault;
  repo: IngestRepository;
  devices: DeviceRepository;
  people: PeopleRepository;
  writer: Writer;
}): Promise<RebuildReport> {
  const report: RebuildReport = { scanned: 0, restored: 0, present: 0, devicesCreated: [], conflicts: [] };
  const batch: Sidecar[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    deps.writer.run({ ...stationActor, label: 'rebuild-index' }, (tx) => {
      for (const s of batch.splice(0)) {
        let device = deps.devices.findBySerial(s.device.serial);
        // A clip is one file of one camera (migration 0060): found by that identity, then compared.
        const existing = device && deps.repo.clipByIdentity(device.id, s.original.path, s.original.size, s.original.mtimeMs);
        if (existing) {
          if (existing.hash === s.hash.value && existing.vault_path === s.vaultPath) report.present++;
          else report.conflicts.push({ vaultPath: s.vaultPath, indexHash: existing.hash, sidecarHash: s.hash.value });
          continue;
        }
        if (!device) {
          const id = deps.devices.insert({ serial: s.device.serial, model: s.device.model, note: '由证据库重建索引时登记 / registered when the index was rebuilt from the vault', at: tx.at });
          device = deps.devices.find(id)!;
          report.devicesCreated.push(s.device.serial);
          tx.audit({ action: 'device.registered', objectType: 'device', objectId: id, after: { serial: s.device.serial, model: s.device.model, from: 'vault' } });
        }
        const officer = s.officer.badge ? deps.people.rowByBadge(s.officer.badge) : undefined;
        const clipId = deps.repo.insertClip(clipFromSidecar(s, { deviceId: device.id, dockSessionId: null, officerId: officer?.id ?? null }));
        // The paths the file was later found moved to on the camera: still this clip (guarantee 4).
        for (const m of s.moved ?? []) {
          deps.repo.addMoved({ clipId, deviceId: device.id, originalPath: m.path, size: s.original.size, mtimeMs: s.original.mtimeMs, dockSessionId: null, at: m.at });
        }
        tx.audit({ action: 'clip.restored', objectType: 'clip', objectId: clipId, after: { vaultPath: s.vaultPath, hash: s.hash.value } });
        report.restored++;
      }
    });
  };
  for await (const s of deps.vault.sidecars()) {
    report.scanned++;
    batch.push(s);
    if (batch.length >= 500) flush();
  }
  flush();
  return report;
}
