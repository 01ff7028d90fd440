// The vault running out of room (vault_low_space): one open alarm at a time,
// raised before a dock's copies when they would leave less than the reserve,
// and by the copies themselves when the disk fills anyway (something else
// wrote to it, or the estimate was short). Either way the footage that does
// not fit fails vault_full and stays on the camera.
import fs from 'node:fs';
import type { AlarmRepository } from '../alarms/repository.js';
import { stationActor } from '../audit/actor.js';
import type { Writer } from '../db/writer.js';

interface SpaceDeps {
  alarms: AlarmRepository;
  writer: Writer;
}

/** Raises vault_low_space with these details unless one is open already. */
export function raiseVaultLow(d: SpaceDeps, details: Record<string, unknown>): void {
  if (d.alarms.openFor('vault_low_space', null)) return;
  d.writer.run(stationActor, (tx) => {
    d.alarms.raise({ kind: 'vault_low_space', details, at: tx.at });
    tx.emit('alarm.raised', { kind: 'vault_low_space' });
  });
}

/**
 * Before a dock's files are copied: when they would leave the vault less free space than the
 * reserve, says so while there is still room, rather than only once a copy fails on a full disk.
 * The copy goes ahead. A vault whose free space cannot be read is logged, not alarmed.
 */
export function warnIfVaultLow(
  d: SpaceDeps & { vaultRoot: string; reserveBytes: number; log(message: string, error?: unknown): void },
  neededBytes: number,
): void {
  let freeBytes: number;
  try {
    const s = fs.statfsSync(d.vaultRoot);
    freeBytes = s.bavail * s.bsize;
  } catch (e) {
    d.log("reading the vault's free space failed", e);
    return;
  }
  if (freeBytes - neededBytes >= d.reserveBytes) return;
  raiseVaultLow(d, { vault: d.vaultRoot, freeBytes, neededBytes, reserveBytes: d.reserveBytes });
}
