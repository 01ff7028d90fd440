// ffprobe checks that each stored recording plays (guarantee 3); it is a separate program
// (ffmpeg's), and a station can lack it: not installed, removed by an update, not on the PATH
// the app was started with. Footage is then still offloaded, verified and stored whole, since
// holding it on the camera would put the offload deadline at risk for a check of its format;
// but each file stored meanwhile is marked "not checked" (damageKind probe_failed). So the
// custodian must hear of it before the first dock, not from 详情 after a shift's docks:
// a probe_unavailable alarm is open while ffprobe does not run. It is checked when the station
// starts, seen by every probe a dock runs, and checked again on the station's timer while the
// alarm is open, which resolves it once ffprobe runs. The clips stored meanwhile are then checked
// (probe-recheck.ts).
import { settleCondition } from '../alarms/condition.js';
import type { AlarmRepository } from '../alarms/repository.js';
import type { Writer } from '../db/writer.js';
import { ffprobeUnavailable, type ProbeResult } from './probe.js';

interface ProbeGuardDeps {
  /** The ffprobe to run: a path, or a name looked up on PATH. */
  ffprobe: string;
  alarms: AlarmRepository;
  writer: Writer;
  log(message: string, error?: unknown): void;
  /** Told each time ffprobe is found not running, and each time it is found running (probe-recheck.ts marks and checks the clips stored meanwhile). */
  onUnavailable?(): void;
  onRuns?(): void;
}

const ENDED = { resolution: '检测程序 ffprobe 已可运行 / ffprobe runs again', audited: 'ffprobe runs' };

export class ProbeGuard {
  /** Each check or observation is numbered when it starts; an older one that ends later does not undo a newer one's finding. */
  private started = 0;
  private settled = 0;

  constructor(private readonly d: ProbeGuardDeps) {}

  get ffprobe(): string {
    return this.d.ffprobe;
  }

  /** Runs `ffprobe -version` and raises or resolves the alarm by what it finds; null when ffprobe runs. */
  async check(): Promise<string | null> {
    const turn = ++this.started;
    const reason = await ffprobeUnavailable(this.d.ffprobe);
    this.settle(turn, reason);
    return reason;
  }

  /** Whether the alarm is open: the station's timer checks again only then. */
  isOpen(): boolean {
    return this.d.alarms.openFor('probe_unavailable', null) !== undefined;
  }

  /**
   * What one probe of a stored file showed: ffprobe not started at all raises the alarm, a file it
   * read as playable resolves it. Other outcomes (a damaged file, a zero-length one it never ran
   * on, a timeout, a verdict reached in process without ffprobe: a whole JPEG) say nothing either
   * way; the timer's check settles those.
   */
  observe(result: ProbeResult): void {
    try {
      // Worded as the check words it, so the alarm's reason does not change with who found it.
      if (result.notRun) this.settle(++this.started, `${this.d.ffprobe}: ${result.notRun}`);
      else if (result.ok && !result.inProcess) this.settle(++this.started, null);
    } catch (e) {
      // Called while a clip is committed: failing to record the alarm (the database busy) must not
      // fail the evidence. The next probe, or the next start, records it.
      this.d.log('recording the ffprobe alarm failed', e);
    }
  }

  private settle(turn: number, reason: string | null): void {
    if (turn < this.settled) return;
    this.settled = turn;
    if (reason !== null) this.d.onUnavailable?.();
    settleCondition(this.d, 'probe_unavailable', reason === null ? null : { ffprobe: this.d.ffprobe, reason }, ENDED);
    if (reason === null) this.d.onRuns?.();
  }
}
