// The in-process checks of a recording's bytes (electron/core/ingest/media-check), on files built
// byte by byte here: whole ones, ones cut short, and hostile ones (box sizes 0, 1 and huge, boxes
// smaller than their header, a flood of tiny boxes, endless fill bytes). Each verdict's message is
// sorted by damageKind as the screens will show it.
import { describe, expect, it } from 'vitest';
import { checkIsoBmff, MAX_BOXES, readBoxHeader } from '../../electron/core/ingest/media-check/isobmff.js';
import { checkJpeg } from '../../electron/core/ingest/media-check/jpeg.js';
import { checkPng } from '../../electron/core/ingest/media-check/png.js';
import { AVI, checkRiff, WAVE } from '../../electron/core/ingest/media-check/riff.js';
import { extensionOf, mediaCheckFor } from '../../electron/core/ingest/media-check/index.js';
import { bufferSource } from '../../electron/core/ingest/media-check/source.js';
import type { Verdict } from '../../electron/core/ingest/media-check/verdict.js';
import { damageKind } from '../../shared/ingest.js';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

// --- ISO-BMFF ---------------------------------------------------------------------------------

/** A box with its 32-bit size. */
function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}
/** A box with size 1 and a 64-bit size after its type. */
function largeBox(type: string, body: Buffer, claimed?: bigint): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(claimed ?? BigInt(16 + body.length));
  return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), size, body]);
}
/** A box header with a size of our choosing and no content. */
const rawHeader = (size: number, type: string) => Buffer.concat([u32(size), Buffer.from(type, 'latin1')]);

const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2avc1mp41'));
const moov = box(
  'moov',
  box('mvhd', Buffer.alloc(100)),
  box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', box('mdhd', Buffer.alloc(24)), box('hdlr', Buffer.alloc(25)), box('minf', box('stbl', box('stsd', Buffer.alloc(8)), box('stco', Buffer.alloc(8)))))),
  box('udta', Buffer.alloc(4)), // QuickTime's zero terminator inside udta: not walked
);
const mdat = (n: number) => box('mdat', Buffer.alloc(n, 0x5a));

const mp4 = (bytes: Buffer, label = 'MP4', quickTime = false) => checkIsoBmff(bufferSource(bytes), { label, quickTime });
const message = (v: Verdict) => (v.verdict === 'damaged' ? v.message : null);

describe('readBoxHeader', () => {
  it('reads a 32-bit size, a 64-bit size (size 1), size 0 (to the end) and a uuid header', async () => {
    const src = bufferSource(Buffer.concat([box('free', Buffer.alloc(4)), largeBox('mdat', Buffer.alloc(10)), rawHeader(0, 'mdat'), Buffer.alloc(12)]));
    expect(await readBoxHeader(src, 0, src.size)).toEqual({ ok: true, box: { type: 'free', start: 0, headerSize: 8, size: 12, end: 12 } });
    expect(await readBoxHeader(src, 12, src.size)).toEqual({ ok: true, box: { type: 'mdat', start: 12, headerSize: 16, size: 26, end: 38 } });
    expect(await readBoxHeader(src, 38, src.size)).toEqual({ ok: true, box: { type: 'mdat', start: 38, headerSize: 8, size: 20, end: 58 } });
    const uuid = bufferSource(box('uuid', Buffer.alloc(16, 1), Buffer.alloc(3)));
    expect(await readBoxHeader(uuid, 0, uuid.size)).toMatchObject({ ok: true, box: { headerSize: 24, size: 27 } });
  });

  it('refuses sizes smaller than a header, a 64-bit size below 16 or past 2^53, and types that are no text', async () => {
    for (const size of [2, 7]) {
      const src = bufferSource(Buffer.concat([rawHeader(size, 'free'), Buffer.alloc(8)]));
      expect(await readBoxHeader(src, 0, src.size)).toMatchObject({ ok: false, problem: 'invalid' });
    }
    for (const claimed of [0n, 15n, 2n ** 63n, 2n ** 64n - 1n]) {
      const src = bufferSource(largeBox('mdat', Buffer.alloc(8), claimed));
      expect(await readBoxHeader(src, 0, src.size)).toMatchObject({ ok: false, problem: 'invalid' });
    }
    const binary = bufferSource(Buffer.from([0, 0, 0, 16, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(await readBoxHeader(binary, 0, binary.size)).toMatchObject({ ok: false, problem: 'invalid' });
    // A uuid box too small for its extended type.
    const uuid = bufferSource(Buffer.concat([rawHeader(20, 'uuid'), Buffer.alloc(12)]));
    expect(await readBoxHeader(uuid, 0, uuid.size)).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('says a header cut off by the limit is truncated, not invalid', async () => {
    const src = bufferSource(Buffer.concat([u32(1), Buffer.from('mdat'), Buffer.alloc(4)]));
    expect(await readBoxHeader(src, 0, src.size)).toMatchObject({ ok: false, problem: 'truncated' });
    expect(await readBoxHeader(src, 6, src.size)).toMatchObject({ ok: false, problem: 'truncated' });
  });
});

describe('checkIsoBmff', () => {
  it('passes a camera layout (ftyp, free, mdat, moov last) and a fast-start one, reading only box headers', async () => {
    const big = mdat(4_000_000);
    const camera = bufferSource(Buffer.concat([ftyp, box('free', Buffer.alloc(0)), big, moov]));
    expect(await checkIsoBmff(camera, { label: 'MP4', quickTime: false })).toEqual({ verdict: 'sound' });
    // About twenty headers of at most 16 bytes: never the media data.
    expect(camera.reads).toBeLessThan(30);
    expect(camera.bytesRead).toBeLessThan(30 * 16);
    expect(await mp4(Buffer.concat([ftyp, moov, mdat(100)]))).toEqual({ verdict: 'sound' });
  });

  it('takes a 64-bit mdat size and a last mdat of size 0 (to the end of the file)', async () => {
    expect(await mp4(Buffer.concat([ftyp, largeBox('mdat', Buffer.alloc(1000)), moov]))).toEqual({ verdict: 'sound' });
    expect(await mp4(Buffer.concat([ftyp, moov, rawHeader(0, 'mdat'), Buffer.alloc(1000)]))).toEqual({ verdict: 'sound' });
  });

  it('says "moov atom not found" for a recording whose camera lost power: no moov, or an mdat running past the end', async () => {
    const noMoov = message(await mp4(Buffer.concat([ftyp, mdat(1000)])))!;
    expect(noMoov).toMatch(/^moov atom not found/);
    expect(damageKind(noMoov)).toBe('incomplete');
    // The mdat's size was written when recording began (or its 64-bit size): the file stops inside it.
    const cut = Buffer.concat([ftyp, mdat(1000)]).subarray(0, 500);
    expect(message(await mp4(cut))).toMatch(/^moov atom not found: the file is cut short: box 'mdat' at byte 32 needs 1008 bytes, and the file ends at byte 500$/);
    const cutLarge = Buffer.concat([ftyp, largeBox('mdat', Buffer.alloc(1000))]).subarray(0, 600);
    expect(damageKind(message(await mp4(cutLarge)))).toBe('incomplete');
    // An mdat of size 0 runs to the end, and no moov follows.
    expect(damageKind(message(await mp4(Buffer.concat([ftyp, rawHeader(0, 'mdat'), Buffer.alloc(100)]))))).toBe('incomplete');
    expect(message(await mp4(ftyp))).toBe('moov atom not found');
  });

  it('says a moov cut short, and a file cut short after its moov, are incomplete', async () => {
    const whole = Buffer.concat([ftyp, mdat(1000), moov]);
    const moovCut = message(await mp4(whole.subarray(0, whole.length - 10)))!;
    expect(moovCut).toMatch(/^moov atom cut short: box 'moov' at byte 1040 needs \d+ bytes, and the file ends at byte \d+$/);
    expect(damageKind(moovCut)).toBe('incomplete');
    // Cut inside the moov's header.
    expect(damageKind(message(await mp4(whole.subarray(0, 1040 + 5))))).toBe('incomplete');
    const fastStart = Buffer.concat([ftyp, moov, mdat(1000)]);
    const dataCut = message(await mp4(fastStart.subarray(0, fastStart.length - 1)))!;
    expect(dataCut).toMatch(/^file cut short after its moov atom: box 'mdat'/);
    expect(damageKind(dataCut)).toBe('incomplete');
  });

  it('says bytes that are no ISO file are not the format: text, a JPEG, a first box that is not ftyp', async () => {
    const text = message(await mp4(Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nhello\n')))!;
    expect(text).toMatch(/^not an MP4 file: /);
    expect(damageKind(text)).toBe('unrecognised');
    const jpeg = message(await mp4(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1])))!;
    expect(jpeg).toBe('not an MP4 file: it starts with ff d8 ff e0 00 10 4a 46, not a box');
    expect(damageKind(message(await mp4(Buffer.from('tiny'))))).toBe('unrecognised');
    const noFtyp = message(await mp4(Buffer.concat([mdat(10), moov])))!;
    expect(noFtyp).toMatch(/^not an MP4 file: its first box is 'mdat' \(it starts with [0-9a-f ]+\), not 'ftyp'$/);
    expect(message(await mp4(Buffer.concat([mdat(10), moov]), '3GP'))).toMatch(/^not a 3GP file: /);
    // A QuickTime movie may begin without ftyp; a .mov that begins with text may not.
    expect(await mp4(Buffer.concat([box('wide', Buffer.alloc(0)), mdat(10), moov]), 'MOV', true)).toEqual({ verdict: 'sound' });
    expect(damageKind(message(await mp4(Buffer.from('hello, this is text'), 'MOV', true)))).toBe('unrecognised');
  });

  it('says boxes that do not nest or add up are a broken structure', async () => {
    // A box inside moov running past moov's end.
    const trakTooLong = Buffer.concat([u32(500), Buffer.from('trak'), Buffer.alloc(20)]);
    const badMoov = box('moov', box('mvhd', Buffer.alloc(100)), trakTooLong);
    const broken = message(await mp4(Buffer.concat([ftyp, mdat(10), badMoov])))!;
    expect(broken).toMatch(/^broken MP4 structure: box 'trak' at byte \d+ \(500 bytes\) runs past the end of its parent 'moov'/);
    expect(damageKind(broken)).toBe('unrecognised');
    // Deeper: inside stbl.
    const deep = box('moov', box('trak', box('mdia', box('minf', box('stbl', Buffer.concat([u32(3), Buffer.from('stsd')]))))));
    expect(message(await mp4(Buffer.concat([ftyp, mdat(10), deep])))).toMatch(/^broken MP4 structure: inside 'stbl' at byte \d+: box 'stsd' at byte \d+ gives size 3, less than its header$/);
    // Size 2..7 or a 64-bit size below 16 between top-level boxes, before the index.
    for (const bad of [rawHeader(4, 'free'), largeBox('free', Buffer.alloc(0), 8n), largeBox('mdat', Buffer.alloc(0), 2n ** 62n)]) {
      expect(damageKind(message(await mp4(Buffer.concat([ftyp, bad, Buffer.alloc(32), moov]))))).toBe('unrecognised');
    }
  });

  it('leaves bytes after a whole moov and mdat alone, as players do; zero padding at the end of moov too', async () => {
    expect(await mp4(Buffer.concat([ftyp, mdat(10), moov, Buffer.alloc(4096)]))).toEqual({ verdict: 'sound' });
    expect(await mp4(Buffer.concat([ftyp, mdat(10), moov, Buffer.from([1, 2, 3])]))).toEqual({ verdict: 'sound' });
    const padded = box('moov', box('mvhd', Buffer.alloc(100)), Buffer.alloc(4));
    expect(await mp4(Buffer.concat([ftyp, mdat(10), padded]))).toEqual({ verdict: 'sound' });
  });

  it('ends on hostile files: a flood of tiny boxes is left to ffprobe, nesting is walked only so deep', async () => {
    const flood = Buffer.concat([ftyp, Buffer.concat(Array.from({ length: MAX_BOXES + 10 }, () => rawHeader(8, 'free')))]);
    expect(await mp4(flood)).toMatchObject({ verdict: 'unjudged' });
    let nested = box('stbl', Buffer.alloc(0));
    for (let i = 0; i < 500; i++) nested = box('trak', nested);
    const src = bufferSource(Buffer.concat([ftyp, mdat(10), box('moov', nested)]));
    expect(await checkIsoBmff(src, { label: 'MP4', quickTime: false })).toEqual({ verdict: 'sound' });
    expect(src.reads).toBeLessThan(20);
    // A first box that claims the whole of a 64-bit range.
    expect(damageKind(message(await mp4(largeBox('ftyp', Buffer.alloc(16), 2n ** 64n - 1n))))).toBe('unrecognised');
    // A first box of size 0: the whole file is ftyp, and no moov.
    expect(message(await mp4(Buffer.concat([rawHeader(0, 'ftyp'), Buffer.alloc(100)])))).toBe('moov atom not found');
  });
});

// --- JPEG -------------------------------------------------------------------------------------

const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
const app0 = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
const dqt = segment(0xdb, Buffer.alloc(65));
const sof = (marker: number, width: number, height: number) => segment(marker, Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([1, 1, 0x11, 0])]));
const dht = segment(0xc4, Buffer.alloc(29));
const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
/** Entropy-coded data with a stuffed FF 00 and a restart marker in it, as encoders write. */
const scanData = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a]);
const jpeg = (...parts: Buffer[]) => checkJpeg(bufferSource(Buffer.concat(parts)));
const goodJpeg = [SOI, app0, dqt, sof(0xc0, 1920, 1080), dht, sos, scanData, EOI];

describe('checkJpeg', () => {
  it('reads a whole JPEG to its end-of-image marker, with the picture size from its frame header', async () => {
    expect(await jpeg(...goodJpeg)).toEqual({ verdict: 'whole', picture: { codec: 'mjpeg', width: 1920, height: 1080 } });
    // Progressive (SOF2): scans with tables between; fill bytes before markers; a trailer after EOI.
    const progressive = [SOI, sof(0xc2, 640, 480), dht, sos, scanData, Buffer.from([0xff, 0xff, 0xff]), dht, sos, scanData, EOI, Buffer.from('maker trailer')];
    expect(await jpeg(...progressive)).toEqual({ verdict: 'whole', picture: { codec: 'mjpeg', width: 640, height: 480 } });
  });

  it('skips an EXIF segment with a thumbnail JPEG inside (its own markers are not the photo\'s)', async () => {
    const thumbnail = Buffer.concat([SOI, sof(0xc0, 160, 120), sos, scanData, EOI]);
    const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumbnail]));
    expect(await jpeg(SOI, exif, sof(0xc0, 4000, 3000), sos, scanData, EOI)).toMatchObject({ picture: { width: 4000, height: 3000 } });
  });

  it('finds the end of a long scan across its read chunks, an FF on the boundary included', async () => {
    for (const at of [256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1]) {
      const data = Buffer.alloc(600_000, 0x11);
      const start = Buffer.concat([SOI, sof(0xc0, 8, 8), sos]).length;
      data[at - start] = 0xff;
      data[at - start + 1] = 0x00;
      expect(await jpeg(SOI, sof(0xc0, 8, 8), sos, data, EOI)).toMatchObject({ verdict: 'whole' });
    }
  });

  it('says text, or anything not starting FF D8 FF, is not a JPEG image', async () => {
    const text = message(await jpeg(Buffer.from('This is not a picture\n')))!;
    expect(text).toBe('not a JPEG image: it starts with 54 68 69 73 20 69 73 20, not ff d8 ff (start-of-image)');
    expect(damageKind(text)).toBe('unrecognised');
    expect(message(await jpeg(Buffer.from([0x89, 0x50, 0x4e, 0x47])))).toMatch(/^not a JPEG image: it starts with 89 50 4e 47,/);
    expect(message(await jpeg(Buffer.from([0xff])))).toMatch(/^JPEG image cut short/);
    expect(message(await jpeg(SOI))).toMatch(/^JPEG image cut short/);
  });

  it('says a JPEG cut short where it stops: in its scan, in a segment, in a length, in a marker', async () => {
    const whole = Buffer.concat(goodJpeg);
    const inScan = message(await checkJpeg(bufferSource(whole.subarray(0, whole.length - 2))))!;
    expect(inScan).toMatch(/^JPEG image cut short: its scan at byte \d+ runs to the end, and the file ends at byte \d+ without an end-of-image marker \(ff d9\)$/);
    // Not "incomplete": the screens word that as an MP4 without its moov; a photo that stops does not display.
    expect(damageKind(inScan)).toBe('other');
    for (const cut of [30, 100, app0.length + 3, app0.length + 4, whole.length - 1]) {
      expect(message(await checkJpeg(bufferSource(whole.subarray(0, cut))))).toMatch(/^JPEG image cut short: /);
    }
    // Ends in a scan whose last byte is FF.
    expect(message(await jpeg(SOI, sof(0xc0, 8, 8), sos, Buffer.from([1, 2, 0xff])))).toMatch(/^JPEG image cut short: /);
  });

  it('says a JPEG whose markers do not go on as JPEG is broken', async () => {
    const broken = async (...parts: Buffer[]) => {
      const m = message(await jpeg(...parts))!;
      expect(m).toMatch(/^broken JPEG structure: /);
      expect(damageKind(m)).toBe('unrecognised');
      return m;
    };
    expect(await broken(SOI, EOI)).toBe('broken JPEG structure: its end-of-image marker at byte 2 comes before any image data');
    expect(await broken(SOI, sos, scanData, EOI)).toMatch(/has no frame header \(SOFn\) before it$/);
    expect(await broken(SOI, Buffer.from([0xff, 0xe0, 0, 1]), EOI)).toBe('broken JPEG structure: segment ff e0 at byte 2 gives length 1');
    expect(await broken(SOI, Buffer.from([0xff, 0xe0, 0, 0]), EOI)).toBe('broken JPEG structure: segment ff e0 at byte 2 gives length 0');
    expect(await broken(SOI, app0, Buffer.from('garbage'), EOI)).toMatch(/^broken JPEG structure: no marker at byte \d+ \(found 67\)$/);
    expect(await broken(SOI, sof(0xc0, 0, 1080), sos, scanData, EOI)).toMatch(/gives a picture of 0x1080$/);
    expect(await broken(SOI, segment(0xc0, Buffer.alloc(3)), sos, scanData, EOI)).toMatch(/^broken JPEG structure: frame header at byte 2 gives length 5$/);
    expect(await broken(SOI, SOI, EOI)).toMatch(/found ff d8/);
  });

  it('ends on hostile bytes: endless fill bytes, restart markers outside a scan', async () => {
    expect(message(await jpeg(SOI, Buffer.alloc(100_000, 0xff)))).toMatch(/^JPEG image cut short: /);
    expect(message(await jpeg(SOI, Buffer.alloc(100_000, 0xff), EOI))).toMatch(/^broken JPEG structure: its end-of-image/);
    const rst = Buffer.concat(Array.from({ length: 10_000 }, () => Buffer.from([0xff, 0xd3])));
    expect(message(await jpeg(SOI, rst))).toMatch(/^JPEG image cut short: /);
  });
});

// --- PNG, RIFF ----------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const chunk = (type: string, data: Buffer, length = data.length) => Buffer.concat([u32(length), Buffer.from(type, 'latin1'), data, u32(0)]);
const ihdr = (w: number, h: number) => chunk('IHDR', Buffer.concat([u32(w), u32(h), Buffer.from([8, 2, 0, 0, 0])]));
const png = (...parts: Buffer[]) => checkPng(bufferSource(Buffer.concat(parts)));

describe('checkPng', () => {
  it('reads a whole PNG to IEND, with the size from IHDR', async () => {
    expect(await png(PNG_SIGNATURE, ihdr(800, 600), chunk('IDAT', Buffer.alloc(300)), chunk('IEND', Buffer.alloc(0)))).toEqual({
      verdict: 'whole',
      picture: { codec: 'png', width: 800, height: 600 },
    });
  });

  it('says not a PNG, cut short, or broken', async () => {
    expect(damageKind(message(await png(Buffer.from('hello world, no picture'))))).toBe('unrecognised');
    const whole = Buffer.concat([PNG_SIGNATURE, ihdr(8, 8), chunk('IDAT', Buffer.alloc(300)), chunk('IEND', Buffer.alloc(0))]);
    for (const cut of [4, 8, 20, 100, whole.length - 12, whole.length - 1]) {
      expect(message(await checkPng(bufferSource(whole.subarray(0, cut))))).toMatch(/^PNG image cut short: /);
    }
    expect(message(await png(PNG_SIGNATURE, chunk('IDAT', Buffer.alloc(3)), chunk('IEND', Buffer.alloc(0))))).toBe('broken PNG structure: its first chunk is IDAT of 3 bytes, not IHDR of 13');
    expect(message(await png(PNG_SIGNATURE, ihdr(0, 8), chunk('IEND', Buffer.alloc(0))))).toBe('broken PNG structure: IHDR gives a picture of 0x8');
    expect(message(await png(PNG_SIGNATURE, ihdr(8, 8), chunk('ID@T', Buffer.alloc(0))))).toMatch(/^broken PNG structure: no chunk at byte 33/);
    expect(message(await png(PNG_SIGNATURE, ihdr(8, 8), chunk('IDAT', Buffer.alloc(0), 0xffffffff)))).toBe('broken PNG structure: chunk IDAT at byte 33 gives length 4294967295');
  });
});

describe('checkRiff', () => {
  const riff = (form: string, magic = 'RIFF') => Buffer.concat([Buffer.from(magic), u32(100), Buffer.from(form), Buffer.alloc(20)]);
  it('passes a WAV (RIFF, RF64) and an AVI by their signature, and says text is neither', async () => {
    expect(await checkRiff(bufferSource(riff('WAVE')), WAVE)).toEqual({ verdict: 'sound' });
    expect(await checkRiff(bufferSource(riff('WAVE', 'RF64')), WAVE)).toEqual({ verdict: 'sound' });
    expect(await checkRiff(bufferSource(riff('AVI ')), AVI)).toEqual({ verdict: 'sound' });
    const notWav = message(await checkRiff(bufferSource(riff('AVI ')), WAVE))!;
    expect(notWav).toMatch(/^not a WAV file: it starts with 52 49 46 46/);
    expect(damageKind(notWav)).toBe('unrecognised');
    expect(damageKind(message(await checkRiff(bufferSource(Buffer.from('plain text')), AVI)))).toBe('unrecognised');
    expect(message(await checkRiff(bufferSource(Buffer.alloc(0)), AVI))).toMatch(/^not an AVI file: it starts with nothing/);
  });
});

describe('mediaCheckFor: the check and the format by the name on the camera', () => {
  it('chooses by the extension, in any case', () => {
    expect(extensionOf('IMG_0001.JPG')).toBe('jpg');
    expect(extensionOf('DCIM/100/clip.tar.MP4')).toBe('mp4');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('README')).toBe('');
    expect(mediaCheckFor('IMG_0001.JPG')).toMatchObject({ label: 'JPEG', ffprobeFormat: 'jpeg_pipe', pictureCodecs: ['mjpeg'] });
    expect(mediaCheckFor('IMG_0001.JPG').check).not.toBeNull();
    expect(mediaCheckFor('V.mp4')).toMatchObject({ label: 'MP4', ffprobeFormat: 'mov' });
    expect(mediaCheckFor('V.MOV')).toMatchObject({ label: 'MOV', ffprobeFormat: 'mov' });
    expect(mediaCheckFor('A.wav')).toMatchObject({ label: 'WAV', ffprobeFormat: 'wav' });
    expect(mediaCheckFor('V.AVI')).toMatchObject({ label: 'AVI', ffprobeFormat: 'avi' });
    expect(mediaCheckFor('V.ts')).toMatchObject({ label: 'MPEG-TS', ffprobeFormat: 'mpegts', check: null });
    expect(mediaCheckFor('P.bmp')).toMatchObject({ ffprobeFormat: 'bmp_pipe', pictureCodecs: ['bmp'] });
    // Unknown: no check, and ffprobe finds the format (the kind's stream is still required of it).
    expect(mediaCheckFor('P.HEIC')).toMatchObject({ label: 'HEIC', check: null, ffprobeFormat: null });
    // Names that are properties of a plain object are not formats.
    expect(mediaCheckFor('x.constructor')).toMatchObject({ check: null, ffprobeFormat: null });
  });
});
