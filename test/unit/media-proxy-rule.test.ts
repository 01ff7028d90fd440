// Which clips play from a proxy (media/proxy-rule.ts): H.264 with AAC, MP3 or no sound in
// MP4/MOV plays in Chromium as it is; anything else needs one.
import { describe, expect, it } from 'vitest';
import { needsProxy, type PlayFacts } from '../../electron/core/media/proxy-rule.js';

const video = (original_path: string, video_codec: string | null, audio_codec: string | null): PlayFacts => ({ kind: 'video', original_path, video_codec, audio_codec });

describe('needsProxy', () => {
  it('plays H.264 in MP4 and MOV natively, with AAC, MP3 or no sound, whatever the case of the name', () => {
    expect(needsProxy(video('RECORD/A_0001.MP4', 'h264', 'aac'))).toBe(false);
    expect(needsProxy(video('RECORD/a_0001.mov', 'h264', null))).toBe(false);
    expect(needsProxy(video('RECORD/a.m4v', 'H264', 'mp3'))).toBe(false);
  });

  it('proxies HEVC, MJPEG, AVI and other containers, sound Chromium cannot decode, and codecs the probe could not name', () => {
    expect(needsProxy(video('RECORD/A_0001.MP4', 'hevc', 'aac'))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001.AVI', 'mjpeg', 'pcm_s16le'))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001.AVI', 'h264', 'aac'))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001.TS', 'h264', 'aac'))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001.MP4', 'h264', 'pcm_mulaw'))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001.MP4', null, null))).toBe(true);
    expect(needsProxy(video('RECORD/A_0001', 'h264', 'aac'))).toBe(true);
  });

  it('never proxies audio or photos: they have their own viewers', () => {
    expect(needsProxy({ kind: 'audio', original_path: 'AUDIO/a.wav', video_codec: null, audio_codec: 'pcm_s16le' })).toBe(false);
    expect(needsProxy({ kind: 'photo', original_path: 'PHOTO/a.jpg', video_codec: 'mjpeg', audio_codec: null })).toBe(false);
  });
});
