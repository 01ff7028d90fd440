// The station's optical drives and burning an evidence image onto a blank (issue 21), through
// xorriso's libburn. A drive address is what `xorriso -devices` lists (/dev/sr0); 'stdio:<file>'
// is libburn's file-backed pseudo drive, which is how the tests burn on a machine with no drive.
import { stat } from 'node:fs/promises';
import { runXorriso, XorrisoError } from './xorriso.js';

export interface OpticalDrive {
  address: string;
  vendor: string;
  model: string;
}

// `-devices` lines: `0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'`.
const DEVICE = /^\s*\d+\s+-dev\s+'([^']*)'\s+\S+\s*:\s*'([^']*)'\s+'([^']*)'/;

/** `xorriso -devices` parsed (none on this machine: an empty list, not an error). */
export async function listDrives(xorriso?: string): Promise<OpticalDrive[]> {
  const run = await runXorriso(['-devices'], { xorriso, allowFailure: true });
  const drives = run.stdout
    .split('\n')
    .map((line) => DEVICE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ address: m[1]!, vendor: m[2]!.trim(), model: m[3]!.trim() }));
  // "No drives found" is a SORRY (exit 32): an empty list. Any other failure is one.
  if (run.code !== 0 && drives.length === 0 && !/No drives found/.test(run.stderr)) {
    throw new XorrisoError(`xorriso -devices failed: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`, run.code, run.stderr);
  }
  return drives;
}

/** `xorriso -outdev <address> -tell_media_space`: bytes of the blank in the drive; a clear error if there is no blank medium. */
export async function mediaSpace(address: string, xorriso?: string): Promise<number> {
  const run = await runXorriso(['-outdev', address, '-tell_media_space'], { xorriso, allowFailure: true });
  const status = /Media status : (.*)/.exec(run.stderr)?.[1]?.trim() ?? '';
  const space = /Media space\s*:\s*(\d+)s/.exec(run.stdout);
  if (run.code !== 0 || !space) throw new Error(`no medium to write in ${address}: ${status || run.stderr.trim().split('\n').slice(-2).join(' ')}`);
  // A written, closed disc reports 0 s; an appendable one the space after its sessions, which an
  // evidence disc (one session, closed) never uses: only a blank is a medium to write.
  if (!/is blank/.test(status)) throw new Error(`the medium in ${address} is not blank (${status})`);
  return Number(space[1]) * 2048;
}

/**
 * Burns an image onto the medium at `address` with xorriso's cdrecord emulation: the image is
 * written as it is (its own session, closed, since `-multi` is not given). Progress comes from
 * libburn's "N of M MB written" lines.
 */
export async function burnImage(o: { xorriso?: string; address: string; image: string; eject?: boolean; signal?: AbortSignal; onProgress?: (bytes: number, total: number) => void }): Promise<void> {
  const total = (await stat(o.image)).size;
  const args = ['-as', 'cdrecord', '-v', `dev=${o.address}`, ...(o.eject ? ['-eject'] : []), o.image];
  await runXorriso(args, {
    xorriso: o.xorriso,
    signal: o.signal,
    onStderrLine: (line) => {
      const written = /(\d+) of\s+\d+ MB written/.exec(line);
      if (written) o.onProgress?.(Math.min(total, Number(written[1]) * 1024 * 1024), total);
    },
  });
  o.onProgress?.(total, total);
}
