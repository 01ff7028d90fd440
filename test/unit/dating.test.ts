// ingest/dating.ts: which times of a recording can be believed, and where it is filed.
import { describe, expect, it } from 'vitest';
import { dateRecording, EARLIEST_PLAUSIBLE_MS, plausibleTime, recordingFolder } from '../../electron/core/ingest/dating.js';

const NOW = Date.UTC(2026, 10, 27, 1, 0, 0);
const DAY = 86_400_000;

describe('plausibleTime', () => {
  it('is from 2000 to a day after the station clock', () => {
    expect(plausibleTime(EARLIEST_PLAUSIBLE_MS, NOW)).toBe(true);
    expect(plausibleTime(EARLIEST_PLAUSIBLE_MS - 1, NOW)).toBe(false);
    expect(plausibleTime(Date.UTC(1980, 0, 1), NOW)).toBe(false);
    expect(plausibleTime(NOW + DAY, NOW)).toBe(true);
    expect(plausibleTime(NOW + DAY + 1, NOW)).toBe(false);
    expect(plausibleTime(Date.UTC(2031, 0, 1), NOW)).toBe(false);
  });
});

describe('dateRecording', () => {
  const good = NOW - 3_600_000;
  it('dates by the name corrected by the skew, and flags nothing when every time is plausible', () => {
    expect(dateRecording({ cameraStartAt: good + 5000, clockSkewMs: 5000, embeddedCreatedAt: good - 99, mtimeMs: good + 60_000 }, NOW)).toEqual({
      startAt: good,
      datedBy: 'name',
      clockWrong: false,
    });
  });
  it('flags a file time that cannot be true, and still dates by the name', () => {
    expect(dateRecording({ cameraStartAt: good, clockSkewMs: 0, embeddedCreatedAt: null, mtimeMs: Date.UTC(1980, 0, 1) }, NOW)).toEqual({ startAt: good, datedBy: 'name', clockWrong: true });
    expect(dateRecording({ cameraStartAt: good, clockSkewMs: 0, embeddedCreatedAt: null, mtimeMs: Date.UTC(2031, 0, 1) }, NOW)).toMatchObject({ clockWrong: true });
  });
  it('takes a reset clock corrected by the skew measured at dock when that puts it right', () => {
    // The camera's clock was reset to 2000 and ran since: its skew at dock is the same error.
    const skew = Date.UTC(2000, 0, 2) - NOW;
    expect(dateRecording({ cameraStartAt: good + skew, clockSkewMs: skew, embeddedCreatedAt: null, mtimeMs: good + skew }, NOW)).toEqual({ startAt: good, datedBy: 'name', clockWrong: false });
    const reset = Date.UTC(1980, 0, 1);
    expect(dateRecording({ cameraStartAt: reset, clockSkewMs: reset - NOW, embeddedCreatedAt: null, mtimeMs: reset }, NOW)).toEqual({ startAt: NOW, datedBy: 'name', clockWrong: true });
  });
  it('falls back to the container time, then to undated', () => {
    expect(dateRecording({ cameraStartAt: Date.UTC(1980, 0, 1), clockSkewMs: null, embeddedCreatedAt: good, mtimeMs: good }, NOW)).toEqual({ startAt: good, datedBy: 'embedded', clockWrong: true });
    expect(dateRecording({ cameraStartAt: null, clockSkewMs: null, embeddedCreatedAt: Date.UTC(1904, 0, 1), mtimeMs: Date.UTC(2031, 0, 1) }, NOW)).toEqual({ startAt: null, datedBy: null, clockWrong: true });
    expect(dateRecording({ cameraStartAt: null, clockSkewMs: null, embeddedCreatedAt: null, mtimeMs: good }, NOW)).toEqual({ startAt: null, datedBy: null, clockWrong: false });
  });
});

describe('recordingFolder', () => {
  it('files a dated recording by its day, an undated one under undated/ by the day of its dock', () => {
    expect(recordingFolder(Date.UTC(2026, 10, 26, 17, 0, 0), NOW, 'DSJ-1', 'Asia/Shanghai')).toBe('2026/11/27/DSJ-1');
    expect(recordingFolder(null, NOW, 'DSJ-1', 'Asia/Shanghai')).toBe('undated/2026/11/27/DSJ-1');
    expect(recordingFolder(null, NOW, 'A/B', 'Asia/Shanghai')).toBe('undated/2026/11/27/A_B');
  });
});
