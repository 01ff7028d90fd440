// The emulated vendor library (test/fixtures/vendor-sdk/zfy-emu.c) and the
// emulated cameras it talks to.
//
// vendorSdkLibrary() compiles the C file once per test run with gcc into the
// run's temporary folder (test/support/temp-root.ts sets TMPDIR for every
// worker), named by the source's hash; test files running in parallel build
// into a name of their own and rename it into place, so neither sees half a
// library.
//
// makeSdkCamera() makes the folder the library reads as "the camera" through
// ZFY_EMU_DEVICE: .zfy/device.ini and a .zfy/disk/ that SetMSDC moves into the
// folder (the card appearing).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VendorDockReading, VendorDockResult } from '../../electron/core/docking/vendor/index.js';

const SOURCE = path.resolve(import.meta.dirname, '../fixtures/vendor-sdk/zfy-emu.c');

let built: string | null = null;

/** Absolute path of the built libzfy-emu.so; throws saying what is missing when gcc is not there. */
export function vendorSdkLibrary(): string {
  if (built && fs.existsSync(built)) return built;
  const source = fs.readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `vendor-sdk-${hash}`);
  const lib = path.join(dir, 'libzfy-emu.so');
  if (!fs.existsSync(lib)) {
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, `libzfy-emu.${process.pid}.${Date.now()}.so`);
    try {
      execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Wno-format-truncation', '-o', partial, SOURCE], { stdio: 'pipe' });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
      if (e.code === 'ENOENT') {
        throw new Error(
          '没有 gcc，无法编译测试用的厂商库 test/fixtures/vendor-sdk/zfy-emu.c（Debian：apt-get install gcc libc6-dev） / ' +
            'gcc is not installed: the test vendor library test/fixtures/vendor-sdk/zfy-emu.c cannot be built (Debian: apt-get install gcc libc6-dev)',
          { cause: err },
        );
      }
      throw new Error(`gcc failed to build ${SOURCE}:\n${e.stderr?.toString() ?? e.message}`, { cause: err });
    }
    fs.renameSync(partial, lib);
  }
  built = lib;
  return lib;
}

export interface SdkCameraSpec {
  serial?: string;
  badge?: string;
  name?: string;
  unitId?: string;
  unitName?: string;
  battery?: number;
  password?: string;
  /** A frozen clock, `yyyy-MM-dd HH:mm:ss`. */
  clock?: string;
  /** Seconds the clock runs ahead (negative: behind) of the real local time. */
  clockOffset?: number;
  idCode?: string;
  /** Every call of the library takes this long (a slow USB link). */
  delayMs?: number;
  /** `<function>:<crash|hang|garbage>`. */
  fault?: string;
  /** Files on the card, by path relative to the card's root: they appear in the folder after SetMSDC. */
  disk?: Record<string, string | Buffer>;
  /** A `.usb-device` descriptor (`VVVV:PPPP`) in the folder, as the watched-folder source reads it. */
  usb?: string;
}

export interface SdkCamera {
  /** The folder: ZFY_EMU_DEVICE, and the volume once in disk mode. */
  root: string;
  ini: string;
  /** device.ini as key → value, read now. */
  read(): Record<string, string>;
  /** Changes keys of device.ini (undefined removes one). */
  set(values: Record<string, string | number | undefined>): void;
}

export const SDK_CAMERA_DEFAULTS = {
  serial: '1234567',
  badge: '012345',
  name: '张三',
  unitId: '110100000000',
  unitName: '北京市公安局东城分局',
  battery: 87,
  password: 'Pw#7391',
} as const;

function readIni(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function writeIni(file: string, values: Record<string, string>): void {
  fs.writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
}

/** Makes an emulated camera in `root` (created). */
export function makeSdkCamera(root: string, spec: SdkCameraSpec = {}): SdkCamera {
  const zfy = path.join(root, '.zfy');
  fs.mkdirSync(path.join(zfy, 'disk'), { recursive: true });
  const ini = path.join(zfy, 'device.ini');
  const { disk, usb, ...fields } = { ...SDK_CAMERA_DEFAULTS, ...spec };
  writeIni(ini, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])));
  for (const [rel, contents] of Object.entries(disk ?? {})) {
    const file = path.join(zfy, 'disk', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  if (usb !== undefined) fs.writeFileSync(path.join(root, '.usb-device'), `${usb}\n`);
  return {
    root,
    ini,
    read: () => readIni(ini),
    set(values) {
      const now = readIni(ini);
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined) delete now[k];
        else now[k] = String(v);
      }
      writeIni(ini, now);
    },
  };
}

/** The reading, or the test fails with the library's own code and words. */
export function okReading(r: VendorDockResult): VendorDockReading {
  if (!r.ok) throw new Error(`the reading failed: ${r.error.code}: ${r.error.message}`);
  return r;
}

/** Whether a process still exists (signal 0 checks without sending anything). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
