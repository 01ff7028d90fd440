import type { IngestProgress } from '../../../shared/ingest.js';
import { displayWidth, formatBytes, formatClock, formatRate } from './format.js';

/**
 * One line on a terminal, redrawn in place (`\r`, then erase to the end of
 * the line). Only ever made for a terminal: a log file or a pipe gets no bar,
 * since carriage returns there are noise. ASCII only, so the bar keeps its
 * width in terminals that draw box characters double-wide.
 */
export class ProgressBar {
  private drawn = false;
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  draw(fraction: number, text: string): void {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    // A few redraws a second is all an eye can follow; a million-file `verify` must not write a million lines.
    const now = performance.now();
    if (this.drawn && f < 1 && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const columns = this.stream.columns || 80;
    const width = Math.max(10, Math.min(30, Math.floor(columns / 4)));
    const full = Math.floor(f * width);
    const bar = `[${'='.repeat(full)}${full < width ? '>' : ''}${' '.repeat(Math.max(0, width - full - 1))}]`;
    const line = fit(`${bar} ${String(Math.floor(f * 100)).padStart(3)}%  ${text}`, columns - 1);
    this.stream.write(`\r${line}\u001b[K`);
    this.drawn = true;
  }

  /** Erases the bar, so whatever is printed next starts on a clean line. */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

/** Cuts a line to the terminal's width (by display columns: Chinese names take two). */
function fit(line: string, columns: number): string {
  if (displayWidth(line) <= columns) return line;
  let out = '';
  for (const ch of line) {
    if (displayWidth(out + ch) > columns - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** `文件 files 3/9  12.3 MB/21.5 MB  85.3 MB/s  剩余 ETA 0:07  DCIM/…/clip.MP4` */
export function ingestProgressText(p: IngestProgress): string {
  const parts = [
    `文件 files ${p.filesDone}/${p.filesTotal}`,
    `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`,
    p.bytesPerSecond > 0 ? formatRate(p.bytesPerSecond) : '— MB/s',
    `剩余 ETA ${p.etaSeconds === null ? '—' : formatClock(p.etaSeconds)}`,
  ];
  if (p.current) parts.push(p.current);
  return parts.join('  ');
}

/** The share of the work done: by bytes, or by files when there are no bytes to move (empty files only). */
export const ingestFraction = (p: IngestProgress): number =>
  p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
