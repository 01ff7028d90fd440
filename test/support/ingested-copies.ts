// For the `station verify` tests: one emulated camera ingested once per test file, through the
// real dock, and a fresh copy of that station's data folder (database, anchor, vault) for each
// test to alter as it likes, so every test starts from the same untouched station.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ClipRow } from '../../electron/core/ingest/repository.js';
import { undoAfterEach } from './cleanup.js';
import { camera, identify } from './ingest.js';
import { BADGE, clipRows, openStation, SERIAL, stationWithCamera, type FaultStation } from './ingest-faults.js';
import { T0, tempDir } from './station.js';

export interface IngestedCopies {
  /** A fresh copy of the ingested station's data folder, removed after the test. */
  copy(): string;
  /** The station on a copy, closed after the test. */
  open(dataDir: string): FaultStation;
  /** The clip rows of the ingested station, in id order. */
  clips(): ClipRow[];
  /** The emulated camera's volume, as it was ingested (a dock of it again finds its files unchanged). */
  cameraRoot(): string;
}

/** Registers the file's beforeAll (the ingest) and afterAll; call at the top level of a test file. */
export function ingestedCopies(): IngestedCopies {
  const undo = undoAfterEach();
  let original = '';
  let clips: ClipRow[] = [];
  let cameraRoot = '';
  beforeAll(async () => {
    const t = await stationWithCamera();
    const cam = await camera({ serial: SERIAL, badge: BADGE, now: T0 });
    const done = await (await t.station.ingest.dock(await identify(cam.root, t.clock), 'cli')).done!;
    expect(done.state).toBe('done');
    clips = clipRows(t.station);
    expect(clips.length).toBeGreaterThanOrEqual(5);
    await t.close();
    original = t.dataDir;
    cameraRoot = cam.root;
  });
  afterAll(() => {
    fs.rmSync(original, { recursive: true, force: true });
    fs.rmSync(path.dirname(cameraRoot), { recursive: true, force: true });
  });
  return {
    copy() {
      const dir = tempDir('station-verify-');
      fs.cpSync(original, dir, { recursive: true });
      undo(() => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    open(dataDir) {
      const t = openStation({ dataDir });
      undo(() => t.close());
      return t;
    },
    clips: () => clips,
    cameraRoot: () => cameraRoot,
  };
}
