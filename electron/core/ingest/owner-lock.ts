import fs from 'node:fs';
import { StationError } from '../../../shared/errors.js';

/**
 * Only one process may ingest into a data folder at a time: the desktop app,
 * or `station ingest`, not both. The owner sweeps the vault's incoming area
 * at start, which would destroy another process's copies in flight. The lock
 * is a file holding the owner's pid; a file left by a process that no longer
 * runs (a crash) is taken over.
 */
export class OwnerLock {
  private held = false;
  constructor(private readonly file: string) {}

  acquire(): void {
    if (this.held) return;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.file, String(process.pid), { flag: 'wx' });
        this.held = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number(fs.readFileSync(this.file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new StationError(
          'invalid_state',
          `另一个采集站程序（进程 ${pid}）正在使用此数据目录导出；请在那里接入记录仪，或先关闭它。 / Another station process (pid ${pid}) is offloading into this data folder; dock the camera there, or close it first.`,
          { pid },
        );
      }
      fs.rmSync(this.file, { force: true }); // stale: its process is gone
    }
    throw new StationError('internal', `cannot take the ingest lock ${this.file}`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (fs.readFileSync(this.file, 'utf8').trim() === String(process.pid)) fs.rmSync(this.file, { force: true });
    } catch {}
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
