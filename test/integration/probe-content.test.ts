// Whether a stored file's content is what its name on the camera says (issue 17): the probe runs on
// the station's copy (`.incoming/s1-f2.part`, no extension), so it must judge by the recording's
// own name, never guess. Real footage from real ffmpeg (HEVC MP4, MOV, MJPEG AVI, WAV, JPEG, PNG),
// real ffprobe, and files damaged the ways cameras and mix-ups damage them. No damage reason may
// name a path of the station's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile, type ProbeResult } from '../../electron/core/ingest/probe.js';
import { damageKind } from '../../shared/ingest.js';
import { FRAME, makePhoto, makeVideoClip } from '../fixtures/camera/media.js';
import { runTool } from '../fixtures/camera/run-tool.js';
import { removeAfterEach } from '../support/cleanup.js';
import { tempDir } from '../support/station.js';

const removeLater = removeAfterEach();
const FFMPEG = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
const ffmpeg = (...args: string[]) => runTool('ffmpeg', [...FFMPEG, ...args], { timeoutMs: 120_000 });
/** The 22 bytes that were stored as a good photo: ffprobe, told nothing, read them as subtitles. */
const TEXT = '1\n0:0:1,0 --> 0:0:2,0\n';

let media: string;
const file = (name: string) => path.join(media, name);

beforeAll(async () => {
  media = tempDir('probe-media-');
  const testsrc = 'testsrc2=size=320x240:rate=25:duration=1';
  await makePhoto({ file: file('photo.jpg'), resolution: '720p', frame: 3 });
  await makeVideoClip({ file: file('camera.mp4'), seconds: 2, resolution: '720p', toneHz: 440, creationTime: '2026-11-27T09:00:00Z' });
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', file('photo.png'));
  // HEVC, as newer cameras record; libx265 is in Debian's ffmpeg.
  await ffmpeg('-f', 'lavfi', '-i', testsrc, '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-f', 'mp4', file('hevc.mp4'));
  await ffmpeg('-f', 'lavfi', '-i', testsrc, '-f', 'lavfi', '-i', 'sine=frequency=500:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', '-f', 'mov', file('clip.mov'));
  await ffmpeg('-f', 'lavfi', '-i', testsrc, '-c:v', 'mjpeg', '-q:v', '5', '-f', 'avi', file('mjpeg.avi'));
  await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=600:sample_rate=16000:duration=1', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav', file('tone.wav'));
  fs.writeFileSync(file('text'), TEXT);
  return () => fs.rmSync(media, { recursive: true, force: true });
}, 180_000);

/** A station: the recording's bytes copied to its incoming folder under a name that says nothing, as a dock copies them. */
function stationCopy(bytes: Buffer): { part: string; station: string } {
  const station = tempDir('probe-station-');
  removeLater(station);
  const incoming = path.join(station, 'vault', '.incoming');
  fs.mkdirSync(incoming, { recursive: true });
  const part = path.join(incoming, 's1-f2.part');
  fs.writeFileSync(part, bytes);
  return { part, station };
}

async function probe(bytes: Buffer, kind: 'video' | 'audio' | 'photo', name: string, ffprobe?: string): Promise<ProbeResult> {
  const { part, station } = stationCopy(bytes);
  const r = await probeFile(part, kind, { name, size: bytes.length, ...(ffprobe ? { ffprobe } : {}) });
  // Never a path of the station's in what the clip's record keeps.
  for (const s of [station, media, '.incoming', '.part', 's1-f2']) expect(r.message ?? '').not.toContain(s);
  return r;
}

/** Where the top-level box `type` starts in an MP4: cameras write moov last. */
function boxAt(bytes: Buffer, type: string): number {
  for (let pos = 0; pos + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(pos);
    if (bytes.toString('latin1', pos + 4, pos + 8) === type) return pos;
    pos += size === 1 ? Number(bytes.readBigUInt64BE(pos + 8)) : size;
  }
  throw new Error(`no ${type} box`);
}

const read = (name: string) => fs.readFileSync(file(name));
const MISSING_FFPROBE = '/nonexistent/ffprobe';

describe('a file whose content is not what its name says is damaged', () => {
  it('a 22-byte text file named .JPG is not a photo, judged without ffprobe', async () => {
    // What the issue saw: ffprobe on the extension-less copy, told nothing, finds a subtitle track.
    const { part } = stationCopy(Buffer.from(TEXT));
    const told = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '--', part], { encoding: 'utf8' })) as {
      streams: Array<{ codec_type: string }>;
    };
    expect(told.streams.map((s) => s.codec_type)).toEqual(['subtitle']);

    const r = await probe(Buffer.from(TEXT), 'photo', 'IMG_0001.JPG', MISSING_FFPROBE);
    expect(r).toMatchObject({ ok: false, inProcess: true, width: null, videoCodec: null });
    expect(TEXT.length).toBe(22);
    expect(r.message).toBe('not a JPEG image: it starts with 31 0a 30 3a 30 3a 31 2c, not ff d8 ff (start-of-image)');
    expect(r.notRun).toBeUndefined();
    expect(damageKind(r.message)).toBe('unrecognised');
  });

  it('the same text named as a video or an audio recording is not one either', async () => {
    for (const [name, kind] of [['V.MP4', 'video'], ['V.MOV', 'video'], ['V.AVI', 'video'], ['A.WAV', 'audio'], ['A.M4A', 'audio']] as const) {
      const r = await probe(Buffer.from(TEXT), kind, name, MISSING_FFPROBE);
      expect(r, name).toMatchObject({ ok: false, inProcess: true });
      expect(damageKind(r.message), `${name}: ${r.message}`).toBe('unrecognised');
    }
    // A format with no check in process: ffprobe, told the format, says why in its words, with the file's own name.
    const ts = await probe(Buffer.from(TEXT), 'video', 'CLIP_0001.TS');
    expect(ts.ok).toBe(false);
    expect(ts.message).toMatch(/^CLIP_0001\.TS: /);
    // An extension the probe does not know: ffprobe finds the format, and the kind's stream is required.
    const heic = await probe(Buffer.from(TEXT), 'photo', 'IMG_0001.HEIC');
    expect(heic).toMatchObject({ ok: false, message: 'no video stream' });
    // A real photo named as a video.
    expect(damageKind((await probe(read('photo.jpg'), 'video', 'V.MP4')).message)).toBe('unrecognised');
  });

  it('a JPEG cut short is damaged', async () => {
    const photo = read('photo.jpg');
    const r = await probe(photo.subarray(0, Math.floor(photo.length / 2)), 'photo', 'IMG_0002.JPG', MISSING_FFPROBE);
    expect(r).toMatchObject({ ok: false, inProcess: true });
    expect(r.message).toMatch(/^JPEG image cut short: its scan at byte \d+ runs to the end, and the file ends at byte \d+ without an end-of-image marker \(ff d9\)$/);
    const png = read('photo.png');
    expect((await probe(png.subarray(0, png.length - 20), 'photo', 'IMG_0003.PNG', MISSING_FFPROBE)).message).toMatch(/^PNG image cut short: /);
  });

  it('an MP4 without its moov, with its moov cut short, or cut in its media data is incomplete, judged without ffprobe', async () => {
    const clip = read('camera.mp4');
    const moov = boxAt(clip, 'moov');
    expect(moov).toBeGreaterThan(boxAt(clip, 'mdat'));
    const noMoov = await probe(clip.subarray(0, moov), 'video', 'VID_0001.MP4', MISSING_FFPROBE);
    expect(noMoov).toMatchObject({ ok: false, inProcess: true });
    expect(noMoov.message).toMatch(/^moov atom not found/);
    expect(damageKind(noMoov.message)).toBe('incomplete');

    const moovCut = await probe(clip.subarray(0, clip.length - 100), 'video', 'VID_0001.MP4', MISSING_FFPROBE);
    expect(moovCut.message).toMatch(/^moov atom cut short: box 'moov' at byte \d+ needs \d+ bytes, and the file ends at byte \d+$/);
    expect(damageKind(moovCut.message)).toBe('incomplete');

    const dataCut = await probe(clip.subarray(0, Math.floor(moov / 2)), 'video', 'VID_0001.MP4', MISSING_FFPROBE);
    expect(dataCut.message).toMatch(/^moov atom not found: the file is cut short: box 'mdat'/);
    expect(damageKind(dataCut.message)).toBe('incomplete');

    // Real ffprobe agrees: it cannot read the file without its moov.
    const { part } = stationCopy(clip.subarray(0, moov));
    expect(() => execFileSync('ffprobe', ['-v', 'error', '-f', 'mov', '--', part], { stdio: 'pipe' })).toThrow(/moov atom not found/);
  });
});

describe('a file whose content is what its name says plays, with its media facts', () => {
  it('a JPEG photo: codec and size, without spawning ffprobe', async () => {
    const r = await probe(read('photo.jpg'), 'photo', 'IMG_0001.JPG', MISSING_FFPROBE);
    expect(r).toEqual({
      ok: true,
      message: null,
      durationMs: null,
      videoCodec: 'mjpeg',
      audioCodec: null,
      width: FRAME['720p'].width,
      height: FRAME['720p'].height,
      embeddedCreatedAt: null,
      inProcess: true,
    });
    expect(await probe(read('photo.png'), 'photo', 'IMG_0001.png', MISSING_FFPROBE)).toMatchObject({ ok: true, videoCodec: 'png', width: 320, height: 240, inProcess: true });
  });

  it('an HEVC MP4, a MOV, an MJPEG AVI, a camera MP4 and a WAV', async () => {
    expect(await probe(read('hevc.mp4'), 'video', 'VID_0002.MP4')).toMatchObject({ ok: true, message: null, videoCodec: 'hevc', audioCodec: null, width: 320, height: 240, durationMs: 1000 });
    expect(await probe(read('clip.mov'), 'video', 'VID_0003.MOV')).toMatchObject({ ok: true, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 240 });
    expect(await probe(read('mjpeg.avi'), 'video', 'VID_0004.AVI')).toMatchObject({ ok: true, videoCodec: 'mjpeg', width: 320, height: 240, durationMs: 1000 });
    expect(await probe(read('camera.mp4'), 'video', 'DSJ_0001.MP4')).toMatchObject({
      ok: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 1280,
      height: 720,
      durationMs: 2000,
      embeddedCreatedAt: Date.parse('2026-11-27T09:00:00Z'),
    });
    expect(await probe(read('tone.wav'), 'audio', 'REC_0001.WAV')).toMatchObject({ ok: true, audioCodec: 'pcm_s16le', videoCodec: null, durationMs: 1000 });
    for (const r of await Promise.all([probe(read('hevc.mp4'), 'video', 'V.MP4'), probe(read('tone.wav'), 'audio', 'A.WAV')])) expect(r.inProcess).toBeUndefined();
  });

  it('a whole MP4 still needs ffprobe for its duration and codecs: without it, it is "not checked", not damaged', async () => {
    const r = await probe(read('hevc.mp4'), 'video', 'VID_0002.MP4', MISSING_FFPROBE);
    expect(r).toMatchObject({ ok: false, notRun: `spawn ${MISSING_FFPROBE} ENOENT` });
    expect(damageKind(r.message)).toBe('probe_failed');
  });
});
