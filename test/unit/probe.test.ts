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

  it('requires the stream of the recording\'s kind: a subtitle track is no photo, cover art no video, a picture no audio', () => {
    // What ffprobe, told nothing, made of a 22-byte text file named .JPG (issue 17).
    const subtitles = JSON.stringify({ streams: [{ codec_type: 'subtitle', codec_name: 'subrip' }], format: { format_name: 'srt', duration: '1.0' } });
    expect(interpretProbe('photo', 0, subtitles, '')).toMatchObject({ ok: false, message: 'no video stream' });
    expect(interpretProbe('video', 0, subtitles, '')).toMatchObject({ ok: false, message: 'no video stream' });
    expect(interpretProbe('audio', 0, subtitles, '')).toMatchObject({ ok: false, message: 'no audio stream' });
    const coverArt = JSON.stringify({
      streams: [
        { codec_type: 'audio', codec_name: 'mp3', duration: '3.0' },
        { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
      ],
      format: { duration: '3.0' },
    });
    expect(interpretProbe('video', 0, coverArt, '')).toMatchObject({ ok: false, message: 'no video stream' });
    expect(interpretProbe('audio', 0, coverArt, '')).toMatchObject({ ok: true, audioCodec: 'mp3', durationMs: 3000 });
  });

  it('requires a photo ffprobe reads to be a picture of its format, with a size', () => {
    const context = { label: 'BMP', pictureCodecs: ['bmp'] };
    // Told "-f bmp_pipe", ffprobe answers a text file with exit 0 and a picture of 0x0.
    const noSize = JSON.stringify({ streams: [{ codec_type: 'video', codec_name: 'bmp', width: 0, height: 0 }], format: {} });
    expect(interpretProbe('photo', 0, noSize, '[bmp @ 0x55d0c0a1b2c0] bad magic number\n', context)).toMatchObject({
      ok: false,
      message: 'not a BMP image: ffprobe reads a picture of no size (bad magic number)',
    });
    const gif = JSON.stringify({ streams: [{ codec_type: 'video', codec_name: 'gif', width: 10, height: 10 }], format: {} });
    expect(interpretProbe('photo', 0, gif, '', context)).toMatchObject({ ok: false, message: 'not a BMP image: ffprobe reads a picture of codec gif' });
    const bmp = JSON.stringify({ streams: [{ codec_type: 'video', codec_name: 'bmp', width: 10, height: 20 }], format: {} });
    expect(interpretProbe('photo', 0, bmp, '', context)).toMatchObject({ ok: true, videoCodec: 'bmp', width: 10, height: 20 });
  });

  it('names the file by its own name where ffprobe printed the station\'s path to its copy', () => {
    const file = '/data/vault/.incoming/s1-f2.part';
    const context = { file, name: 'VID_0001.MP4' };
    const r = interpretProbe('video', 1, '', `${file}: Invalid data found when processing input\n`, context);
    expect(r).toMatchObject({ ok: false, message: 'VID_0001.MP4: Invalid data found when processing input' });
    expect(damageKind(r.message)).toBe('unrecognised');
    // Any other mention of the station's folder goes too.
    const other = interpretProbe('video', 1, '', `Could not open /data/vault/.incoming/other.part\n`, context);
    expect(other.message).toBe('Could not open …/other.part');
    expect(other.message).not.toContain('.incoming');
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

  it('sorts the probe\'s own checks: not the format, broken, cut short, moov missing or cut short', () => {
    expect(damageKind('not a JPEG image: it starts with 68 65 6c 6c 6f 20 74 68, not ff d8 ff (start-of-image)')).toBe('unrecognised');
    expect(damageKind("not an MP4 file: its first box is 'o th' (it starts with 68 65 6c 6c 6f 20 74 68), not 'ftyp'")).toBe('unrecognised');
    expect(damageKind('not a WAV file: it starts with 68 65 6c 6c, not RIFF and the form type \'WAVE\'')).toBe('unrecognised');
    expect(damageKind('broken JPEG structure: segment ff e0 at byte 2 gives length 1')).toBe('unrecognised');
    expect(damageKind("broken MP4 structure: box 'trak' at byte 60 (500 bytes) runs past the end of its parent 'moov' at byte 200")).toBe('unrecognised');
    expect(damageKind('moov atom not found: the file ends after its media data (mdat at byte 36) without the index')).toBe('incomplete');
    expect(damageKind("moov atom not found: the file is cut short: box 'mdat' at byte 36 needs 29407 bytes, and the file ends at byte 20000")).toBe('incomplete');
    expect(damageKind("moov atom cut short: box 'moov' at byte 29443 needs 3544 bytes, and the file ends at byte 31000")).toBe('incomplete');
    expect(damageKind("file cut short after its moov atom: box 'mdat' at byte 3600 needs 29407 bytes, and the file ends at byte 20000")).toBe('incomplete');
    expect(damageKind('no audio stream')).toBe('unrecognised');
    // A photo that stops does not display; "incomplete" is worded on the screens as an MP4 without its moov.
    expect(damageKind('JPEG image cut short: its scan at byte 623 runs to the end, and the file ends at byte 2000 without an end-of-image marker (ff d9)')).toBe('other');
    expect(damageKind('media check failed: EIO')).toBe('probe_failed');
    expect(damageKind('media check stopped (aborted)')).toBe('probe_failed');
  });

  it('does not read a file name in ffprobe\'s message as the message', () => {
    // ffprobe's messages now carry the recording's own name where they named the station's copy.
    expect(damageKind('cut short.mp4: End of file')).toBe('other');
    expect(damageKind('not a JPEG image.ts: End of file')).toBe('other');
    expect(damageKind('broken MP4 structure.ts: End of file')).toBe('other');
    expect(damageKind('no video stream.ts: End of file')).toBe('other');
    expect(damageKind('ffprobe exit 1.ts: End of file')).toBe('other');
    expect(damageKind('ffprobe stopped (SIGKILL).ts: End of file')).toBe('other');
    expect(damageKind('ffprobe output unreadable.ts: End of file')).toBe('other');
    expect(damageKind('media check failed.ts: End of file')).toBe('other');
    expect(damageKind('ffprobe exit 1')).toBe('probe_failed');
  });

  it('says "does not play" for anything else, and never guesses from a file name', () => {
    expect(damageKind(message('photo', 1, '', '[mjpeg @ 0x562e460d1940] No JPEG data found in image\n'))).toBe('other');
    expect(damageKind(null)).toBe('other');
    // A path that happens to contain the words is not the message.
    expect(damageKind('/RECORD/ffprobe stopped/x.mp4: Error while decoding stream')).toBe('other');
  });
});
