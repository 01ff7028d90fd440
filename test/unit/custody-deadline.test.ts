// 第十五条's deadline rules as pure functions of instants and a zone: the
// same-day cut-off across midnight, month, leap-day and year ends, the
// configurable cut-off, the 24-hour exception, and a zone with daylight saving.
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  EXCEPTION_WINDOW_MS,
  exceptionDeadline,
  lateness,
  localDateTimeToUtc,
  overdueMs,
  parseCutoff,
  sameDayDeadline,
} from '../../electron/core/custody/deadline.js';
import { utcToWallClock, wallClockToIso } from '../../electron/core/docking/wall-clock.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

/** A local time in a zone as a UTC instant; fails the test on a typo. */
function at(local: string, zone = SH): number {
  const t = localDateTimeToUtc(local, zone);
  if (t === null) throw new Error(`not a time: ${local}`);
  return t;
}
const local = (utc: number, zone = SH) => wallClockToIso(utcToWallClock(utc, zone));

describe('same-day deadline (第十五条 当天)', () => {
  it('is the cut-off on the local day the work ends', () => {
    const d = sameDayDeadline(at('2026-11-27T18:00'), '23:59', SH);
    expect(local(d)).toBe('2026-11-27T23:59:00');
    expect(d).toBe(Date.UTC(2026, 10, 27, 15, 59));
  });

  it('uses the local day, not the UTC day, for work ending just after local midnight', () => {
    // 00:30 on the 28th in Shanghai is still the 27th in UTC.
    const end = at('2026-11-28T00:30');
    expect(new Date(end).getUTCDate()).toBe(27);
    expect(local(sameDayDeadline(end, '23:59', SH))).toBe('2026-11-28T23:59:00');
  });

  it('moves to the next day when the work ends at or after the cut-off', () => {
    expect(local(sameDayDeadline(at('2026-11-27T23:59'), '23:59', SH))).toBe('2026-11-28T23:59:00');
    expect(local(sameDayDeadline(at('2026-11-27T23:59:30'), '23:59', SH))).toBe('2026-11-28T23:59:00');
    expect(local(sameDayDeadline(at('2026-11-27T23:58:59'), '23:59', SH))).toBe('2026-11-27T23:59:00');
  });

  it('follows the configured cut-off', () => {
    expect(local(sameDayDeadline(at('2026-11-27T16:00'), '17:30', SH))).toBe('2026-11-27T17:30:00');
    expect(local(sameDayDeadline(at('2026-11-27T20:00'), '17:30', SH))).toBe('2026-11-28T17:30:00');
    expect(local(sameDayDeadline(at('2026-11-27T00:00'), '00:00', SH))).toBe('2026-11-28T00:00:00');
  });

  it('rolls over month ends, February in common and leap years, and the year end', () => {
    expect(local(sameDayDeadline(at('2026-01-31T20:00'), '18:00', SH))).toBe('2026-02-01T18:00:00');
    expect(local(sameDayDeadline(at('2026-02-28T19:00'), '18:00', SH))).toBe('2026-03-01T18:00:00');
    expect(local(sameDayDeadline(at('2028-02-28T19:00'), '18:00', SH))).toBe('2028-02-29T18:00:00');
    expect(local(sameDayDeadline(at('2026-04-30T23:59:30'), '23:59', SH))).toBe('2026-05-01T23:59:00');
    expect(local(sameDayDeadline(at('2026-12-31T23:59:30'), '23:59', SH))).toBe('2027-01-01T23:59:00');
    expect(local(sameDayDeadline(at('2026-12-31T22:00'), '23:59', SH))).toBe('2026-12-31T23:59:00');
  });

  it('never falls at or before the end of the work', () => {
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const end = at('2026-12-31T00:00') + minute * 60_000;
      for (const cutoff of ['00:00', '08:30', '18:00', '23:59']) {
        const d = sameDayDeadline(end, cutoff, SH);
        expect(d).toBeGreaterThan(end);
        expect(d - end).toBeLessThanOrEqual(DAY_MS);
      }
    }
  });

  it('holds in a zone with daylight saving (America/New_York)', () => {
    // 8 March 2026: clocks jump from 02:00 to 03:00. 23:59 that day is EDT (UTC−4).
    expect(sameDayDeadline(at('2026-03-08T12:00', NY), '23:59', NY)).toBe(Date.UTC(2026, 2, 9, 3, 59));
    // A cut-off inside the skipped hour falls an hour later on the wall clock, never earlier.
    const skipped = sameDayDeadline(at('2026-03-08T01:00', NY), '02:30', NY);
    expect(skipped).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(local(skipped, NY)).toBe('2026-03-08T03:30:00');
    // 1 November 2026: 01:00–02:00 happens twice; the earlier one (EDT) is the deadline.
    expect(sameDayDeadline(at('2026-11-01T00:10', NY), '01:30', NY)).toBe(Date.UTC(2026, 10, 1, 5, 30));
    // After the change, 23:59 is EST (UTC−5).
    expect(sameDayDeadline(at('2026-11-01T20:00', NY), '23:59', NY)).toBe(Date.UTC(2026, 10, 2, 4, 59));
  });
});

describe('exception deadline (返回单位后24小时内)', () => {
  it('is 24 hours after the declared return to the unit', () => {
    const sameDay = sameDayDeadline(at('2026-11-27T18:00'), '23:59', SH);
    const d = exceptionDeadline(at('2026-11-29T10:00'), sameDay);
    expect(local(d)).toBe('2026-11-30T10:00:00');
    expect(EXCEPTION_WINDOW_MS).toBe(24 * 3600_000);
  });

  it('crosses month and year ends', () => {
    expect(local(exceptionDeadline(at('2026-12-31T21:00'), 0))).toBe('2027-01-01T21:00:00');
    expect(local(exceptionDeadline(at('2026-02-28T08:00'), 0))).toBe('2026-03-01T08:00:00');
  });

  it('never brings the deadline forward', () => {
    const sameDay = sameDayDeadline(at('2026-11-27T18:00'), '23:59', SH);
    // A return declared long before the work ends (a mistake, or a very short trip) leaves the same-day rule.
    expect(exceptionDeadline(at('2026-11-26T09:00'), sameDay)).toBe(sameDay);
  });

  it('is 24 elapsed hours across a daylight-saving change, not the same wall time', () => {
    const back = at('2026-03-07T12:00', NY); // EST
    const d = exceptionDeadline(back, 0);
    expect(d - back).toBe(24 * 3600_000);
    expect(local(d, NY)).toBe('2026-03-08T13:00:00'); // EDT
  });
});

describe('overdue and late', () => {
  const deadline = at('2026-11-27T23:59');
  it('is overdue only when not offloaded and past the deadline', () => {
    expect(overdueMs(deadline, null, deadline)).toBe(0);
    expect(overdueMs(deadline, null, deadline + 1)).toBe(1);
    expect(overdueMs(deadline, null, deadline + 3 * 3600_000)).toBe(3 * 3600_000);
    expect(overdueMs(deadline, deadline + 10, deadline + 3 * 3600_000)).toBe(0);
  });
  it('measures lateness from the deadline to the dock', () => {
    expect(lateness(deadline, deadline - 1)).toBe(0);
    expect(lateness(deadline, deadline)).toBe(0);
    expect(lateness(deadline, deadline + 90 * 60_000)).toBe(90 * 60_000);
  });
});

describe('local times and cut-offs', () => {
  it('reads a wall-clock time in the zone, with or without seconds', () => {
    expect(localDateTimeToUtc('2026-11-27T09:00', SH)).toBe(Date.UTC(2026, 10, 27, 1, 0));
    expect(localDateTimeToUtc('2026-11-27T09:00:30', SH)).toBe(Date.UTC(2026, 10, 27, 1, 0, 30));
    expect(localDateTimeToUtc('2026-07-01T09:00', NY)).toBe(Date.UTC(2026, 6, 1, 13, 0));
  });
  it('refuses times that do not exist on a calendar', () => {
    for (const bad of ['2026-02-29T10:00', '2026-04-31T10:00', '2026-11-27T24:00', '2026-11-27T10:60', '2026-13-01T10:00', '2026-11-27 10:00', '']) {
      expect({ bad, t: localDateTimeToUtc(bad, SH) }).toEqual({ bad, t: null });
    }
  });
  it('parses HH:mm cut-offs and refuses anything else', () => {
    expect(parseCutoff('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseCutoff('00:00')).toEqual({ hour: 0, minute: 0 });
    for (const bad of ['24:00', '7:30', '12:60', '12-30', '']) expect(() => parseCutoff(bad)).toThrow(/HH:mm/);
  });
});
