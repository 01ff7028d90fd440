// Vault.restore on its own, with real files: it never writes outside the vault (the vault path
// comes from the index, which a person with the database could edit) and never replaces a file
// that is there. ingest-vault-lost.test.ts covers the restore through real docks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIDECAR_FORMAT, SIDECAR_SUFFIX, Vault, type Sidecar } from '../../electron/core/ingest/vault.js';
import { removeAfterEach } from '../support/cleanup.js';
import { tempDir } from '../support/station.js';

const removeLater = removeAfterEach();

function sidecar(vaultPath: string): Sidecar {
  return {
    format: SIDECAR_FORMAT,
    vaultPath,
    kind: 'video',
    hash: { algorithm: 'sha256', value: 'a'.repeat(64) },
    verification: 'direct-readback',
    device: { serial: 'DSJ-1', model: null },
    officer: { badge: '100001', name: null, unitCode: null, unitName: null },
    original: { path: 'RECORD/A.MP4', size: 4, mtimeMs: 0, cameraStartText: null, cameraStartAt: null, startAt: null },
    media: { important: false, damaged: false, damageReason: null, durationMs: null, videoCodec: null, audioCodec: null, width: null, height: null, embeddedCreatedAt: null },
    dock: null,
    committedAt: 0,
    restored: { at: 1, dockSessionId: 2, verification: 'direct-readback' },
  };
}

async function vaultWithCopy(): Promise<{ vault: Vault; temp: string }> {
  const root = path.join(removeLater(tempDir('vault-restore-')), 'vault');
  const vault = new Vault(root);
  await vault.init();
  const temp = vault.tempPath('restore');
  fs.writeFileSync(temp, 'clip');
  return { vault, temp };
}

describe('Vault.restore', () => {
  it.for(['../outside/A.MP4', '.incoming/A.MP4', '.altered/clip-1/A.MP4', ''])('refuses the vault path %j, writing nothing', async (vaultPath) => {
    const { vault, temp } = await vaultWithCopy();
    await expect(vault.restore(temp, vaultPath, () => sidecar(vaultPath))).rejects.toThrow(/outside the vault/);
    expect(fs.readdirSync(path.dirname(vault.root)).sort()).toEqual(['vault']);
    expect(fs.readdirSync(vault.root)).toEqual(['.incoming']);
    expect(fs.readdirSync(vault.incoming)).toEqual(['restore.part']);
  });

  it('puts a lost clip back read-only with a sidecar written from the index, and leaves one that is there alone', async () => {
    const { vault, temp } = await vaultWithCopy();
    const vaultPath = '2026/11/27/DSJ-1/A.MP4';
    expect(await vault.restore(temp, vaultPath, () => sidecar(vaultPath))).toEqual({ restored: true, sidecar: 'rewritten' });
    const file = vault.absolute(vaultPath);
    expect(fs.readFileSync(file, 'utf8')).toBe('clip');
    expect(fs.statSync(file).mode & 0o222).toBe(0);
    expect(JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8'))).toEqual(sidecar(vaultPath));
    expect(fs.readdirSync(vault.incoming)).toEqual([]);

    // A second copy for a clip that is there: dropped, the clip and its sidecar untouched.
    const second = vault.tempPath('second');
    fs.writeFileSync(second, 'other bytes');
    expect(await vault.restore(second, vaultPath, () => ({ ...sidecar(vaultPath), committedAt: 99 }))).toEqual({ restored: false, sidecar: 'kept' });
    expect(fs.readFileSync(file, 'utf8')).toBe('clip');
    expect(JSON.parse(fs.readFileSync(file + SIDECAR_SUFFIX, 'utf8'))).toEqual(sidecar(vaultPath));
    expect(fs.readdirSync(vault.incoming)).toEqual([]);
  });

  it('sets an altered file aside as it is, read-only, under .altered/, and never over one kept there already', async () => {
    const { vault, temp } = await vaultWithCopy();
    const vaultPath = '2026/11/27/DSJ-1/A.MP4';
    const file = vault.absolute(vaultPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'altered');
    fs.writeFileSync(file + SIDECAR_SUFFIX, JSON.stringify(sidecar(vaultPath)));
    expect(await vault.restore(temp, vaultPath, () => sidecar(vaultPath), { setAside: 'clip-1-20261127T010000Z/A.MP4' })).toEqual({
      restored: true,
      sidecar: 'kept',
      setAside: '.altered/clip-1-20261127T010000Z/A.MP4',
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('clip');
    const kept = path.join(vault.root, '.altered', 'clip-1-20261127T010000Z', 'A.MP4');
    expect(fs.readFileSync(kept, 'utf8')).toBe('altered');
    expect(fs.statSync(kept).mode & 0o222).toBe(0);

    // The same name again (a second alteration within the same second): refused, nothing moved.
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'altered again');
    const second = vault.tempPath('second');
    fs.writeFileSync(second, 'clip');
    await expect(vault.restore(second, vaultPath, () => sidecar(vaultPath), { setAside: 'clip-1-20261127T010000Z/A.MP4' })).rejects.toThrow(/already kept/);
    expect(fs.readFileSync(file, 'utf8')).toBe('altered again');
    expect(fs.readFileSync(kept, 'utf8')).toBe('altered');
    // And a name that would leave .altered/ is refused before anything moves.
    await expect(vault.restore(second, vaultPath, () => sidecar(vaultPath), { setAside: '../../A.MP4' })).rejects.toThrow(/bad name/);
    expect(fs.readFileSync(file, 'utf8')).toBe('altered again');
  });
});
