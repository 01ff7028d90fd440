// The rule for "damaged" (guarantee 3), on ffprobe's answers as it gives them:
// a recording that does not play whole is flagged with a message a person can read.
import { describe, expect, it } from 'vitest';
import { interpretProbe } from '../../electron/core/ingest/probe.js';
import { damageKind } from '../../shared/ingest.js';

const goodVideo = JSON.stringify({
  streams: [
    { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, duration: '10.010' },
    { codec_type: 'audio', codec_name: 'aac', duration: '10.000' },
  ],
  format: { duration: '10.010000', tags: { creation_time: '2026-11-27T09:00:00.000000Z' } },
});

describe('interpretProbe', () => {
  it('reads a whole recording: codecs, size, duration and the embedded creation time', () => {
    expect(interpretProbe('video', 0, goodVideo, '')).toEqual({
      ok: true,
      message: null,
      durationMs: 10_010,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 1920,
      height: 1080,
      embeddedCreatedAt: Date.parse('2026-11-27T09:00:00Z'),
    });
  });

  it('flags a failed probe with its first message, without ffmpeg\'s component address', () => {
    const stderr = '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55ae9f708180] moov atom not found\n/vault/incoming/x.part: Invalid data found when processing input\n';
    expect(interpretProbe('video', 1, '', stderr)).toMatchObject({ ok: false, message: 'moov atom not found', durationMs: null });
    expect(interpretProbe('video', 1, '', '')).toMatchObject({ ok: false, message: 'ffprobe exit 1' });
  });

  it('flags output it cannot read, a file with no streams, a video without a picture and a recording without a duration', () => {
    expect(interpretProbe('video', 0, 'not json', '')).toMatchObject({ ok: false, message: 'ffprobe output unreadable' });
    expect(interpretProbe('audio', 0, JSON.stringify({ streams: [], format: {} }), '')).toMatchObject({ ok: false, message: 'no media streams' });
    const audioOnly = JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'aac', duration: '3.0' }], format: { duration: '3.0' } });
    expect(interpretProbe('video', 0, audioOnly, '')).toMatchObject({ ok: false, message: 'no video stream', audioCodec: 'aac' });
    expect(interpretProbe('audio', 0, audioOnly, '')).toMatchObject({ ok: true, durationMs: 3000 });
    const noDuration = JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'pcm_s16le' }], format: {} });
    expect(interpretProbe('audio', 0, noDuration, '')).toMatchObject({ ok: false, message: 'no duration' });
  });

  it('takes a photo, which has no duration, as whole', () => {
    const photo = JSON.stringify({ streams: [{ codec_type: 'video', codec_name: 'mjpeg', width: 1280, height: 720 }], format: {} });
    expect(interpretProbe('photo', 0, photo, '')).toMatchObject({ ok: true, durationMs: null, videoCodec: 'mjpeg', width: 1280 });
  });
});

describe('damageKind: what the screens say about a damaged recording', () => {
  const message = (kind: 'video' | 'audio' | 'photo', code: number | null, stdout: string, stderr: string) => interpretProbe(kind, code, stdout, stderr).message;

  it('sorts the messages the probe really gives', () => {
    // A camera switched off mid-recording: the MP4 has no moov atom.
    expect(damageKind(message('video', 1, '', '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55ae9f708180] moov atom not found\nx.part: Invalid data found when processing input\n'))).toBe('incomplete');
    expect(damageKind('zero-length file')).toBe('empty');
    expect(damageKind(message('audio', 1, '', 'x.part: Invalid data found when processing input\n'))).toBe('unrecognised');
    expect(damageKind(message('audio', 0, JSON.stringify({ streams: [], format: {} }), ''))).toBe('unrecognised');
    const audioOnly = JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'aac', duration: '3.0' }], format: { duration: '3.0' } });
    expect(damageKind(message('video', 0, audioOnly, ''))).toBe('unrecognised');
    expect(damageKind(message('audio', 0, JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'pcm_s16le' }], format: {} }), ''))).toBe('unrecognised');
  });

  it('tells a checker that gave no verdict from a damaged file', () => {
    expect(damageKind(message('video', 0, 'not json', ''))).toBe('probe_failed');
    expect(damageKind(message('video', 1, '', ''))).toBe('probe_failed');
    expect(damageKind('ffprobe stopped (SIGKILL)')).toBe('probe_failed');
    expect(damageKind('ffprobe: spawn ffprobe ENOENT')).toBe('probe_failed');
  });

  it('says "does not play" for anything else, and never guesses from a file name', () => {
    expect(damageKind(message('photo', 1, '', '[mjpeg @ 0x562e460d1940] No JPEG data found in image\n'))).toBe('other');
    expect(damageKind(null)).toBe('other');
    // A path that happens to contain the words is not the message.
    expect(damageKind('/RECORD/ffprobe stopped/x.mp4: Error while decoding stream')).toBe('other');
  });
});
