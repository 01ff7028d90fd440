// Progress of a build for the export's page: bytes done of the whole build's work (each payload
// byte is written into an image once and read back once), the rate over the last seconds and the
// time left. Measured on the machine's monotonic clock, not the station's (the harness moves that
// one by hand): a rate is a physical fact.
import { performance } from 'node:perf_hooks';
import type { BuildStep, ExportProgress } from '../../../shared/export.js';

/** The rate is taken over this much of the recent past: steady enough to read, quick to follow a change. */
const WINDOW_MS = 5000;
/** Updates are sent at most this often (the issue asks for at least once a second). */
export const PROGRESS_EVERY_MS = 500;

export class ProgressMeter {
  private samples: Array<{ t: number; done: number }> = [];
  private lastSent = -Infinity;
  private current: ExportProgress;

  constructor(
    private readonly total: number,
    private readonly discs: number,
    private readonly send: (p: ExportProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.current = { step: 'plan', disc: 1, discs, done: 0, total, bytesPerSecond: null, etaSeconds: null, at: Date.now() };
  }

  get value(): ExportProgress {
    return this.current;
  }

  /**
   * Sends the current value again if nothing was sent for PROGRESS_EVERY_MS: a step that reports
   * no bytes for a while (writing the sheets, xorriso planning the image) still shows it is alive,
   * and its time left grows honest instead of standing still. The builder calls it on a timer.
   */
  beat(): void {
    if (this.now() - this.lastSent < PROGRESS_EVERY_MS) return;
    this.update(this.current.step, this.current.disc, this.current.done);
  }

  /** `done`: bytes of the whole build's work done so far. A new step or disc is sent at once. */
  update(step: BuildStep, disc: number, done: number): void {
    const t = this.now();
    this.samples.push({ t, done });
    while (this.samples.length > 2 && this.samples[0]!.t < t - WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = (t - first.t) / 1000;
    const rate = span >= 0.5 && done > first.done ? (done - first.done) / span : null;
    const changed = step !== this.current.step || disc !== this.current.disc;
    this.current = {
      step,
      disc,
      discs: this.discs,
      done: Math.min(done, this.total),
      total: this.total,
      bytesPerSecond: rate === null ? null : Math.round(rate),
      etaSeconds: rate === null ? null : Math.ceil(Math.max(0, this.total - done) / rate),
      at: Date.now(),
    };
    if (changed || t - this.lastSent >= PROGRESS_EVERY_MS) {
      this.lastSent = t;
      this.send(this.current);
    }
  }
}
