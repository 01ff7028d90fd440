// 第七条's pre-shift checks, how they are settled at checkout (passed,
// confirmed by the custodian, overridden by 综合处, or blocking), and how a
// dock's clips are placed in the checkout they were recorded under.
import { describe, expect, it } from 'vitest';
import type { LastDock } from '../../electron/core/custody/checks.js';
import { evaluateChecks, settleChecks } from '../../electron/core/custody/checks.js';
import { checkoutWindows, placeClip, WINDOW_GRACE_MS } from '../../electron/core/custody/offload.js';
import { DEFAULT_CUSTODY_SETTINGS } from '../../electron/core/custody/settings.js';
import type { ConfirmableCheck, PreShiftCheck } from '../../shared/custody.js';

const T = Date.UTC(2026, 10, 27, 1, 0);
const GiB = 1024 ** 3;
const settings = { ...DEFAULT_CUSTODY_SETTINGS, batteryMinPercent: 50, freeSpaceMinBytes: 4 * GiB, clockToleranceSeconds: 60 };

const goodDock: LastDock = {
  id: 7,
  state: 'done',
  attachedAt: T - 3600_000,
  finishedAt: T - 3500_000,
  batteryPercent: 80,
  freeBytes: 20 * GiB,
  clockSkewMs: -2_000,
  filesFailed: 0,
};

const byKind = (checks: PreShiftCheck[]) => Object.fromEntries(checks.map((c) => [c.check, c]));
const run = (lastDock: LastDock | null, extra: { openFault?: { id: number } | null; unoffloaded?: number | null } = {}) =>
  byKind(evaluateChecks({ settings, lastDock, openFault: extra.openFault ?? null, unoffloadedCheckoutId: extra.unoffloaded ?? null }));

describe('pre-shift checks (第七条)', () => {
  it('all pass on a camera whose last dock read well and finished', () => {
    const checks = evaluateChecks({ settings, lastDock: goodDock, openFault: null, unoffloadedCheckoutId: null });
    expect(checks.map((c) => [c.check, c.result])).toEqual([
      ['battery', 'pass'],
      ['free_space', 'pass'],
      ['clock', 'pass'],
      ['footage', 'pass'],
      ['fault', 'pass'],
    ]);
    const c = byKind(checks);
    // Each check records the value it judged, the limit, and where the value came from.
    expect(c.battery).toMatchObject({ value: 80, limit: 50, dockSessionId: 7, readAt: goodDock.attachedAt });
    expect(c.free_space).toMatchObject({ value: 20 * GiB, limit: 4 * GiB });
    expect(c.clock).toMatchObject({ value: -2000, limit: 60_000 });
  });

  it('fails a low battery, too little free space and a clock off by more than the tolerance, at the limit inclusive', () => {
    expect(run({ ...goodDock, batteryPercent: 49 }).battery).toMatchObject({ result: 'fail', reason: 'below_minimum', value: 49 });
    expect(run({ ...goodDock, batteryPercent: 50 }).battery).toMatchObject({ result: 'pass' });
    expect(run({ ...goodDock, freeBytes: 4 * GiB - 1 }).free_space).toMatchObject({ result: 'fail', reason: 'below_minimum' });
    expect(run({ ...goodDock, freeBytes: 4 * GiB }).free_space).toMatchObject({ result: 'pass' });
    expect(run({ ...goodDock, clockSkewMs: -420_000 }).clock).toMatchObject({ result: 'fail', reason: 'skew_too_large', value: -420_000 });
    expect(run({ ...goodDock, clockSkewMs: 60_001 }).clock).toMatchObject({ result: 'fail' });
    expect(run({ ...goodDock, clockSkewMs: 60_000 }).clock).toMatchObject({ result: 'pass' });
  });

  it('leaves a value the camera does not report to the custodian to confirm', () => {
    const c = run({ ...goodDock, batteryPercent: null, freeBytes: null, clockSkewMs: null });
    for (const k of ['battery', 'free_space', 'clock'] as const) {
      expect(c[k]).toMatchObject({ result: 'unknown', reason: 'no_reading', confirmable: true, overridable: true });
    }
  });

  it('knows nothing of a camera never docked, and asks the custodian about its card', () => {
    const c = run(null);
    expect(c.battery).toMatchObject({ result: 'unknown', reason: 'never_docked', dockSessionId: null });
    expect(c.footage).toMatchObject({ result: 'unknown', reason: 'never_docked', confirmable: true });
  });

  it('fails the footage check while an offload runs, after an incomplete one, or when a checkout was never offloaded', () => {
    expect(run({ ...goodDock, state: 'ingesting', finishedAt: null }).footage).toMatchObject({ result: 'fail', reason: 'ingesting' });
    expect(run({ ...goodDock, state: 'failed', filesFailed: 2 }).footage).toMatchObject({ result: 'fail', reason: 'dock_incomplete', value: 2 });
    expect(run({ ...goodDock, state: 'cancelled' }).footage).toMatchObject({ result: 'fail', reason: 'dock_incomplete' });
    expect(run(goodDock, { unoffloaded: 41 }).footage).toMatchObject({ result: 'fail', reason: 'previous_not_offloaded', value: 41 });
    // A camera taken out before it ever docked, and never offloaded since.
    expect(run(null, { unoffloaded: 41 }).footage).toMatchObject({ result: 'fail', reason: 'previous_not_offloaded', confirmable: false });
    // The dock's own trouble first: docking again is the fix.
    expect(run({ ...goodDock, state: 'failed', filesFailed: 1 }, { unoffloaded: 41 }).footage).toMatchObject({ reason: 'dock_incomplete' });
  });

  it('fails on an open fault, and that one cannot be overridden or confirmed', () => {
    expect(run(goodDock, { openFault: { id: 3 } }).fault).toMatchObject({ result: 'fail', reason: 'open_fault', value: 3, overridable: false, confirmable: false });
  });
});

describe('settling the checks at checkout', () => {
  const confirm = (...k: ConfirmableCheck[]) => new Set<ConfirmableCheck>(k);

  it('lets a passing camera out with every check "passed"', () => {
    const s = settleChecks(evaluateChecks({ settings, lastDock: goodDock, openFault: null, unoffloadedCheckoutId: null }), confirm(), false);
    expect(s.blocking).toEqual([]);
    expect(s.recorded.map((c) => c.resolution)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
  });

  it('blocks on a failed check unless overridden; a confirmation does not cover a failure', () => {
    const checks = evaluateChecks({ settings, lastDock: { ...goodDock, batteryPercent: 10 }, openFault: null, unoffloadedCheckoutId: null });
    expect(settleChecks(checks, confirm('battery'), false).blocking.map((c) => c.check)).toEqual(['battery']);
    const overridden = settleChecks(checks, confirm(), true);
    expect(overridden.blocking).toEqual([]);
    expect(overridden.recorded.find((c) => c.check === 'battery')).toMatchObject({ result: 'fail', resolution: 'overridden', value: 10 });
  });

  it('needs a confirmation (or an override) for each value it could not read', () => {
    const checks = evaluateChecks({ settings, lastDock: { ...goodDock, batteryPercent: null, freeBytes: null }, openFault: null, unoffloadedCheckoutId: null });
    expect(settleChecks(checks, confirm(), false).blocking.map((c) => c.check)).toEqual(['battery', 'free_space']);
    expect(settleChecks(checks, confirm('battery'), false).blocking.map((c) => c.check)).toEqual(['free_space']);
    const both = settleChecks(checks, confirm('battery', 'free_space'), false);
    expect(both.blocking).toEqual([]);
    expect(both.recorded.filter((c) => c.resolution === 'confirmed').map((c) => c.check)).toEqual(['battery', 'free_space']);
  });

  it('never lets a camera with an open fault out, override or not', () => {
    const checks = evaluateChecks({ settings, lastDock: goodDock, openFault: { id: 1 }, unoffloadedCheckoutId: null });
    expect(settleChecks(checks, confirm('battery', 'free_space', 'clock', 'footage'), true).blocking.map((c) => c.check)).toEqual(['fault']);
  });
});

describe('placing a dock\'s clips in their checkout', () => {
  const H = 3600_000;
  const docked = T + 10 * H;
  const checkouts = [
    { id: 1, checked_out_at: T - 30 * H, returned_at: T - 20 * H }, // yesterday's shift, returned
    { id: 2, checked_out_at: T, returned_at: null }, // today's, still out
    { id: 3, checked_out_at: T + 11 * H, returned_at: null }, // began after this dock: not a candidate
  ];
  const windows = checkoutWindows(checkouts, docked);

  it('builds one window per checkout that began before the dock, latest first, with the grace either side', () => {
    expect(windows).toEqual([
      { checkoutId: 2, from: T - WINDOW_GRACE_MS, to: docked + WINDOW_GRACE_MS },
      { checkoutId: 1, from: T - 30 * H - WINDOW_GRACE_MS, to: T - 20 * H + WINDOW_GRACE_MS },
    ]);
  });

  it('puts each clip in the checkout that had the camera when it was recorded', () => {
    expect(placeClip(T + 2 * H, windows, 2)).toBe(2);
    expect(placeClip(T - 25 * H, windows, 2)).toBe(1);
    expect(placeClip(T - 60_000, windows, 2)).toBe(2); // switched on at the counter
  });

  it('leaves clips recorded while nobody had the camera outside any checkout (第三条)', () => {
    expect(placeClip(T - 10 * H, windows, 2)).toBeNull();
    expect(placeClip(T - 40 * H, windows, 2)).toBeNull();
    expect(placeClip(T - 10 * H, [], null)).toBeNull();
  });

  it('gives a clip of unknown time to the checkout the dock offloads', () => {
    expect(placeClip(null, windows, 2)).toBe(2);
    expect(placeClip(null, windows, null)).toBeNull();
  });
});
