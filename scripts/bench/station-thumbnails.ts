// bench:ingest's thumbnails group (issue 20): the whole station docking video cameras one after
// another, with posters and contact sheets on and off, to show the background thumbnails leave
// the verified ingest at ≥ 0.95× its pace without them.
//
// The footage is the camera emulator's (test/fixtures/camera): real ffmpeg H.264/AAC clips, here
// 1080p and two minutes long (a key frame a second, so the contact sheet decodes as many key
// frames per gigabyte as a camera's long recordings at 1080p do, within a factor of two), each
// grown to the large-file size by padding its mdat. Each camera also holds the emulator's
// damaged clips, a photo and a voice note, so a dock's work is a real one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Station } from '../../electron/core/station.js';
import { createStation } from '../../electron/core/station.js';
import { makeCamera } from '../../test/fixtures/camera/camera.js';
import { clockFrom, setUpAtRest } from './station-dock.js';
import type { IngestSummary } from '../../shared/ingest.js';

/** Bump when the footage's recipe changes, so --reuse makes it again. */
const RECIPE = 1;

export interface VideoCamera {
  root: string;
  serial: string;
  badge: string;
  officerName: string;
  bytes: number;
  files: number;
  /** Undamaged video clips: each should get a poster and a contact sheet. */
  videos: number;
}

export interface VideoCameras {
  recipe: number;
  clipBytes: number;
  realNowUtcMs: number;
  cameras: VideoCamera[];
  totalBytes: number;
  how: string;
}

export async function makeVideoCameras(options: { dir: string; cameras: number; clipsPerCamera: number; clipBytes: number; seconds: number; reuse: boolean; log: (line: string) => void }): Promise<VideoCameras> {
  const manifestFile = path.join(options.dir, 'thumbnails-manifest.json');
  if (options.reuse && existsSync(manifestFile)) {
    const saved = JSON.parse(readFileSync(manifestFile, 'utf8')) as VideoCameras;
    if (saved.recipe === RECIPE && saved.clipBytes === options.clipBytes && saved.cameras.length === options.cameras && saved.cameras.every((c) => existsSync(c.root))) return saved;
  }
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  const realNowUtcMs = Date.now();
  const cameras: VideoCamera[] = [];
  for (let i = 0; i < options.cameras; i++) {
    const serial = `THUMB${String(i + 1).padStart(4, '0')}`;
    const badge = String(200001 + i);
    options.log(`camera ${i + 1}/${options.cameras}: ${options.clipsPerCamera} × ${options.seconds} s of 1080p …`);
    const manifest = await makeCamera({
      out: path.join(options.dir, `camera-${i + 1}`),
      serial,
      badge,
      clips: options.clipsPerCamera,
      clipBytes: options.clipBytes,
      seconds: options.seconds,
      resolution: '1080p',
      now: realNowUtcMs,
    });
    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    cameras.push({
      root: manifest.root,
      serial,
      badge,
      officerName: manifest.binding.name,
      bytes: footage.reduce((n, f) => n + f.size, 0),
      files: footage.length,
      videos: manifest.files.filter((f) => f.role === 'clip' && f.damage === null).length,
    });
  }
  const totalBytes = cameras.reduce((n, c) => n + c.bytes, 0);
  const saved: VideoCameras = {
    recipe: RECIPE,
    clipBytes: options.clipBytes,
    realNowUtcMs,
    cameras,
    totalBytes,
    how: `camera emulator (test/fixtures/camera): ${options.cameras} cameras, each ${options.clipsPerCamera} ffmpeg H.264/AAC 1080p clips of ${options.seconds} s (a key frame a second) grown to ${options.clipBytes / 1024 / 1024} MiB, plus its damaged clips, a photo and a voice note; docked one after another`,
  };
  writeFileSync(manifestFile, JSON.stringify(saved, null, 1));
  return saved;
}


export interface ThumbnailStation {
  station: Station;
  /** The timed part: every camera docked as `station ingest` docks it, one after another, until the last dock ends. */
  dockAll(): Promise<IngestSummary[]>;
  /** Untimed: waits for the posters still being made after the last dock; returns how long that took (ms). */
  thumbnailsDone(): Promise<number>;
  /** Checks every dock stored every file, and (thumbnails on) that every undamaged video has its poster and sheet. */
  check(summaries: IngestSummary[]): void;
  dispose(): Promise<void>;
}

/**
 * A fresh station with the cameras registered, at rest. `thumbnails`: off, on (the station as
 * shipped: the queue waits while a dock copies), or on without that wait (the lever measured).
 */
export async function thumbnailStation(footage: VideoCameras, dataDir: string, thumbnails: 'off' | 'on' | 'on-no-wait'): Promise<ThumbnailStation> {
  await rm(dataDir, { recursive: true, force: true });
  const station = createStation({ dataDir, clock: clockFrom(footage.realNowUtcMs), scryptCost: 1024, vaultReserveBytes: 0, thumbnails: thumbnails !== 'off' });
  if (thumbnails === 'on-no-wait') {
    // The benchmark's lever only: the queue is told no dock is ever copying.
    Object.defineProperty(station.ingest, 'copying', { get: () => false });
  }
  await setUpAtRest(station, footage.cameras);
  return {
    station,
    async dockAll() {
      const out: IngestSummary[] = [];
      for (const c of footage.cameras) {
        const { summary } = await station.ingestFolder(c.root);
        if (!summary) throw new Error(`the dock of ${c.serial} did not start an ingest`);
        out.push(summary);
      }
      return out;
    },
    async thumbnailsDone() {
      const t0 = performance.now();
      await station.media.thumbnails?.idle();
      return performance.now() - t0;
    },
    check(summaries) {
      summaries.forEach((s, i) => {
        const c = footage.cameras[i]!;
        if (s.state !== 'done' || s.failed !== 0 || s.committed !== c.files) throw new Error(`dock of ${c.serial}: ${JSON.stringify(s)} (expected ${c.files} files)`);
      });
      if (thumbnails === 'off') {
        if (existsSync(path.join(dataDir, 'derived'))) throw new Error('thumbnails off, yet a derived/ folder was made');
        return;
      }
      const videos = station.db.prepare<[], { hash_algorithm: string; hash: string }>("SELECT hash_algorithm, hash FROM clip WHERE kind = 'video' AND damaged = 0").all();
      const wanted = footage.cameras.reduce((n, c) => n + c.videos, 0);
      if (videos.length !== wanted) throw new Error(`${videos.length} undamaged videos in the index, expected ${wanted}`);
      for (const v of videos) {
        for (const name of ['poster.jpg', 'contact.jpg'] as const) {
          if (!station.media.store.has(v, name)) throw new Error(`no ${name} for ${v.hash}`);
        }
      }
    },
    async dispose() {
      await station.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
