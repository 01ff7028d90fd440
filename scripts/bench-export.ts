// npm run bench:export [-- --gib G] [--runs N] [--clip-mib M] [--medium dvd_dl|dvd|bd25|bd50] [--dir <folder>]
//
// Issue 21: an evidence export of real clips (4 GiB by default), page cache dropped before each
// run, median of 3: the station's build-and-verify time against a baseline run in the same
// benchmark, and the station's progress updates.
//
// Set up once (untimed): a real station (scripts/bench/export-station.ts: createStation on a
// manual clock, 综合处 logged in, emulated cameras with clips padded to --clip-mib docked through
// Station.ingestFolder, a case holding every clip).
//
// Station run: 综合处's exports.create (the whole case, as evidence, for an outside recipient,
// one medium) until the export is ready: plan, tag files, the ISO image made by xorriso straight
// from the vault, and the read-back (xorriso -check_md5_r alongside one pass hashing every file's
// extents and the whole image), timed from the call to `ready`. Every `export.progress` event is
// timed on arrival (the 综合处 connection's onEvent): the longest gap between two of them, and
// their bytes/s against the rate the events' own `done` counts show. The export is handed over
// after each run (exports.handOver), which deletes its image.
//
// Baseline run: what a clerk's shell does with the same vault files: `cp` into a staging folder
// (data/<camera>/<name>, as on the station's disc), `xorriso` making the image with the station's
// options (ISO 9660 level 3, Joliet, Rock Ridge, MD5s, no padding), `xorriso -osirrox on -extract`
// of the image into a folder (there is no way to read the files out of an image with stock tools
// here without writing them: no iso9660 mount in this VM, and xorriso will not extract to a pipe),
// then `sha256sum` of the extracted files, checked against the vault's record. Timed as a whole
// and per step.
//
// BENCH_EXPORT_GIB=0.5 (or --gib 0.5) for a quick try.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EventName } from '../shared/events.js';
import type { BuildStep, ExportMedium, ExportProgress } from '../shared/export.js';
import { cacheDropPermitted, dropCaches, machineLoad, median, MEMORY_FS, mountOf, settleFreedMemory, sh } from './bench/host.js';
import { exportStation, type ExportFile, type ExportStation } from './bench/export-station.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const { values: opts } = parseArgs({
  options: {
    gib: { type: 'string' },
    runs: { type: 'string' },
    'clip-mib': { type: 'string' },
    medium: { type: 'string' },
    dir: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (opts.help) {
  console.log(`npm run bench:export -- [options]
  --gib G          GiB of clips in the export (default 4; env BENCH_EXPORT_GIB; 0.5 for a quick try)
  --runs N         runs of the station and of the baseline, the median reported (default 3)
  --clip-mib M     size of each padded clip (default 256; smaller for small --gib)
  --medium M       dvd_dl (default: 8.5 GB, one disc for 4 GiB) or dvd (4.7 GB: two discs) or bd25
  --dir <folder>   where the work folder (station-bench-export, deleted afterwards) goes, on the
                   disk the vault would use (default: the OS temp folder, or the repository when
                   that is a memory filesystem)`);
  process.exit(0);
}

const gib = Number(opts.gib ?? process.env.BENCH_EXPORT_GIB ?? 4);
const runs = Number(opts.runs ?? 3);
const medium = (opts.medium ?? 'dvd_dl') as ExportMedium;
if (!(gib > 0 && gib <= 40)) throw new Error('--gib must be a number of GiB above 0 and up to 40');
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
if (!['dvd', 'dvd_dl', 'bd25', 'bd50'].includes(medium)) throw new Error('--medium: dvd_dl, dvd, bd25 or bd50');
const clipMiB = Number(opts['clip-mib'] ?? Math.min(256, Math.max(16, Math.floor((gib * 1024) / 4))));
if (!Number.isInteger(clipMiB) || clipMiB < 1) throw new Error('--clip-mib must be a whole number ≥ 1');
// Four clips a camera, as many cameras as the size needs (the emulator wants at least 2 a camera).
const totalClips = Math.max(2, Math.round((gib * 1024) / clipMiB));
const cameras = Math.max(1, Math.ceil(totalClips / 4));
const clipsPerCamera = Math.max(2, Math.ceil(totalClips / cameras));

/** Issue 21's targets. */
const TARGET_RATIO = 1.2;
const TARGET_GAP_S = 1;

// ---------------------------------------------------------------------------
// The machine

async function chooseWorkDir(): Promise<string> {
  if (opts.dir) return path.join(path.resolve(opts.dir), 'station-bench-export');
  const tmp = os.tmpdir();
  const fs = await statfs(tmp);
  return MEMORY_FS.has(Number(fs.type)) ? path.join(repo, '.bench-export') : path.join(tmp, 'station-bench-export');
}

function machine(dir: string): string[] {
  const lscpu = sh('lscpu', []);
  const model = /Model name:\s*(.+)/.exec(lscpu)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?';
  const flags = /Flags:\s*(.+)/.exec(lscpu)?.[1] ?? '';
  const mount = mountOf(dir);
  return [
    `- CPU: ${model}, ${sh('nproc', [])} vCPUs (nproc)${flags.includes('sha_ni') ? ', SHA-NI' : ''}; memory ${(os.totalmem() / GiB).toFixed(1)} GiB`,
    `- Disk: ${mount ? `${mount.device} (${mount.type})` : '?'}; work folder ${dir} (vault, images, staging: one disk)`,
    `- OS: ${os.type()} ${os.release()}; Node ${process.version}; ${sh('xorriso', ['-version']).split('\n')[0] ?? 'xorriso ?'}; ${sh('sha256sum', ['--version']).split('\n')[0] ?? 'sha256sum ?'}`,
  ];
}

const CLK_TCK = Number(sh('getconf', ['CLK_TCK'])) || 100;

/** CPU seconds of this process and its waited-for children (xorriso, cp, sha256sum). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  } catch {
    // not Linux: own CPU only
  }
  return (own.user + own.system) / 1e6 + children;
}

function run(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { encoding: 'utf8', maxBuffer: 64 * MiB, ...(cwd ? { cwd } : {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.slice(0, 4).join(' ')}…: ${err.message} ${stderr}`)) : resolve(stdout),
    ),
  );
}

async function coldStart(): Promise<void> {
  dropCaches();
  await settleFreedMemory();
}

// ---------------------------------------------------------------------------
// The station's run

interface ProgressArrival {
  t: number;
  p: ExportProgress;
}

interface StationSample {
  seconds: number;
  cpuSeconds: number;
  discs: number;
  events: ProgressArrival[];
  /** Longest gap between two consecutive progress events (s), and where it fell. */
  maxGap: { seconds: number; after: string; before: string };
  /** From the call to the first progress event, and from the last one to `ready` (s). */
  leadIn: number;
  tail: number;
  /** When each step's first event arrived, seconds since the call. */
  stepStarts: Partial<Record<BuildStep, number>>;
  /**
   * Seen by polling every 50 ms, s since the call: xorriso's image file appearing (`.iso.part`,
   * the image step under way), the finished image renamed into place (`.iso`: written and
   * fsynced), and the meter at all bytes read back (the hash pass over; xorriso's MD5 check may
   * still run). One disc only (the first).
   */
  partSeen: number | null;
  /** The longest interval between two ticks of that 50 ms poll (the event loop blocked), s, and when it ended (s since the call). */
  stall: { seconds: number; endedAt: number };
  isoSeen: number | null;
  hashPassDone: number | null;
  rates: Array<{ step: BuildStep; reportedMedian: number | null; reportedMax: number | null; observed: number | null; events: number }>;
  etaFirst: number | null;
}

const stepLabel = (a: ProgressArrival | undefined) => (a ? `${a.p.step} ${(a.p.done / 1e6).toFixed(0)} MB` : 'the call');

async function stationRun(s: ExportStation): Promise<StationSample> {
  const events: ProgressArrival[] = [];
  let exportId = -1;
  const stop = s.office.onEvent((event: EventName, payload: unknown) => {
    if (event !== 'export.progress') return;
    const { id, progress } = payload as { id: number; progress: ExportProgress };
    // The export's id is known only when the call returns; the events before belong to it too (one export at a time here).
    if (exportId === -1 || id === exportId) events.push({ t: performance.now(), p: progress });
  });
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const made = await s.officeCall('exports.create', {
    caseId: s.caseId,
    allOfCase: true,
    purpose: 'evidence',
    medium,
    recipient: { name: '孙检察', unit: '某某区人民检察院', idNo: '110105198001010011' },
  });
  exportId = made.id;
  const seen = { part: null as number | null, iso: null as number | null, hashed: null as number | null };
  const stall = { seconds: 0, endedAt: 0 };
  let lastTick = performance.now();
  const poll = setInterval(() => {
    const now = performance.now();
    if ((now - lastTick) / 1000 > stall.seconds) Object.assign(stall, { seconds: (now - lastTick) / 1000, endedAt: (now - t0) / 1000 });
    lastTick = now;
    const t = (now - t0) / 1000;
    let names: string[] = [];
    try {
      names = readdirSync(s.station.exports.builder.dirOf(made.id));
    } catch {
      // not made yet
    }
    if (seen.part === null && names.some((n) => n.endsWith('.iso.part'))) seen.part = t;
    if (seen.iso === null && names.some((n) => n.endsWith('.iso'))) seen.iso = t;
    const p = s.station.exports.builder.progress(made.id);
    if (seen.hashed === null && p && p.step === 'readback' && p.done >= p.total) seen.hashed = t;
  }, 50);
  if (made.state !== 'building') throw new Error(`export ${made.exportNo} is ${made.state}, not building (needs ${made.needsApproval.join(', ')})`);
  await s.station.exports.builder.settled(made.id);
  const t1 = performance.now();
  clearInterval(poll);
  const cpu = cpuSeconds() - cpu0;
  stop();
  const ready = await s.officeCall('exports.get', { id: made.id });
  if (ready.state !== 'ready') throw new Error(`export ${ready.exportNo} ended ${ready.state}: ${ready.failure?.code} ${ready.failure?.message}`);
  if (ready.bytes !== s.bytes) throw new Error(`export of ${ready.bytes} bytes, the case holds ${s.bytes}`);
  // Handed over: the images leave the station (disk space for the next run).
  await s.officeCall('exports.handOver', { id: made.id });
  s.clock.advance(60_000);

  const mine = events.filter((e) => e.t >= t0);
  let maxGap = { seconds: 0, after: '', before: '' };
  for (let i = 1; i < mine.length; i++) {
    const gap = (mine[i]!.t - mine[i - 1]!.t) / 1000;
    if (gap > maxGap.seconds) maxGap = { seconds: gap, after: stepLabel(mine[i - 1]), before: stepLabel(mine[i]) };
  }
  const stepStarts: Partial<Record<BuildStep, number>> = {};
  for (const e of mine) stepStarts[e.p.step] ??= (e.t - t0) / 1000;
  const rates: StationSample['rates'] = [];
  for (const step of ['image', 'readback'] as const) {
    const of = mine.filter((e) => e.p.step === step);
    const reported = of.map((e) => e.p.bytesPerSecond).filter((x): x is number => x !== null);
    const first = of[0];
    const last = of.at(-1);
    const observed = first && last && last.t > first.t ? (last.p.done - first.p.done) / ((last.t - first.t) / 1000) : null;
    rates.push({ step, reportedMedian: reported.length ? median(reported) : null, reportedMax: reported.length ? Math.max(...reported) : null, observed, events: of.length });
  }
  return {
    seconds: (t1 - t0) / 1000,
    cpuSeconds: cpu,
    discs: ready.discs.length,
    events: mine,
    maxGap,
    leadIn: mine.length ? (mine[0]!.t - t0) / 1000 : NaN,
    tail: mine.length ? (t1 - mine.at(-1)!.t) / 1000 : NaN,
    stepStarts,
    partSeen: seen.part,
    stall,
    isoSeen: seen.iso,
    hashPassDone: seen.hashed,
    rates,
    etaFirst: mine.find((e) => e.p.etaSeconds !== null)?.p.etaSeconds ?? null,
  };
}

// ---------------------------------------------------------------------------
// The baseline's run

interface BaselineSample {
  seconds: number;
  cpuSeconds: number;
  steps: { cp: number; image: number; extract: number; sha256sum: number };
  /** A `sync` after it all (not part of the baseline's time: for information, the station's image is fsynced, the baseline's writes need not be on the disk yet). */
  sync: number;
  imageBytes: number;
}

/** The disc layout the station uses: data/<camera serial>/<name>, a clash of names made unique with the clip's id. */
function discPaths(files: readonly ExportFile[]): string[] {
  const taken = new Set<string>();
  return files.map((f) => {
    let rel = `data/${f.serial}/${f.name}`;
    if (taken.has(rel.toLowerCase())) rel = `data/${f.serial}/${f.clipId}-${f.name}`;
    taken.add(rel.toLowerCase());
    return rel;
  });
}

/** The station's xorriso options (electron/core/export/image.ts and xorriso.ts) for a folder mapped to the root. */
const baselineImageArgs = (image: string, staging: string) => [
  '-no_rc',
  '-local_charset', 'UTF-8',
  '-outdev', `stdio:${image}`,
  '-compliance', 'no_emul_toc:iso_9660_level=3:joliet_long_paths:joliet_utf16',
  '-joliet', 'on',
  '-rockridge', 'on',
  '-md5', 'on',
  '-padding', '0',
  '-volid', 'BENCH_EXPORT',
  '-map', staging, '/',
  '-commit',
];

async function baselineRun(work: string, files: readonly ExportFile[]): Promise<BaselineSample> {
  const dir = path.join(work, 'baseline');
  const staging = path.join(dir, 'staging');
  const image = path.join(dir, 'disc.iso');
  const extracted = path.join(dir, 'extracted');
  const rels = discPaths(files);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // Folders made before the timing (what a clerk's `mkdir -p` costs is nothing).
  for (const rel of new Set(rels.map((r) => path.dirname(r)))) await mkdir(path.join(staging, rel), { recursive: true });
  await coldStart();
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  // `cp` of each camera's files into its folder: one cp a folder, as a clerk would type it.
  const byFolder = new Map<string, Array<{ source: string; target: string }>>();
  files.forEach((f, i) => {
    const folder = path.dirname(rels[i]!);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { source: f.source, target: path.join(staging, rels[i]!) }]);
  });
  for (const [, list] of byFolder) {
    const plain = list.every((x) => path.basename(x.target) === path.basename(x.source));
    if (plain) await run('cp', ['--', ...list.map((x) => x.source), path.dirname(list[0]!.target)]);
    else for (const x of list) await run('cp', ['--', x.source, x.target]);
  }
  const t1 = performance.now();
  await run('xorriso', baselineImageArgs(image, staging));
  const t2 = performance.now();
  await run('xorriso', ['-no_rc', '-local_charset', 'UTF-8', '-osirrox', 'on', '-indev', `stdio:${image}`, '-extract', '/', extracted]);
  const t3 = performance.now();
  const sums = await run('sha256sum', ['--', ...rels], extracted);
  const t4 = performance.now();
  const cpu = cpuSeconds() - cpu0;
  await run('sync', []);
  const t5 = performance.now();
  const got = new Map(sums.trim().split('\n').map((line) => [line.slice(66), line.slice(0, 64)]));
  files.forEach((f, i) => {
    if (got.get(rels[i]!) !== f.sha256) throw new Error(`baseline: ${rels[i]} read back from the image does not hash as the vault's record`);
  });
  const imageBytes = Number(sh('stat', ['-c', '%s', image]));
  await rm(dir, { recursive: true, force: true });
  return {
    seconds: (t4 - t0) / 1000,
    cpuSeconds: cpu,
    steps: { cp: (t1 - t0) / 1000, image: (t2 - t1) / 1000, extract: (t3 - t2) / 1000, sha256sum: (t4 - t3) / 1000 },
    sync: (t5 - t4) / 1000,
    imageBytes,
  };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadAtStart = machineLoad();
  const work = await chooseWorkDir();
  await mkdir(work, { recursive: true });
  if (MEMORY_FS.has(Number((await statfs(work)).type))) {
    console.error(`${work} is on a memory filesystem: the benchmark must run on the vault's disk. Use --dir.`);
    process.exit(2);
  }
  const log = (line: string) => console.error(line);
  log(`setting up: ${cameras} camera(s) × ${clipsPerCamera} clips × ${clipMiB} MiB in ${work} …`);
  const s = await exportStation({
    dataDir: path.join(work, 'station'),
    camerasDir: path.join(work, 'cameras'),
    cameras,
    clipsPerCamera,
    clipBytes: clipMiB * MiB,
    log,
  });
  try {
    log(`set up: ${s.files.length} files, ${(s.bytes / GiB).toFixed(2)} GiB in the vault (cameras ${s.setUpSeconds.cameras.toFixed(0)} s, docks ${s.setUpSeconds.docks.toFixed(0)} s)`);
    const loadBefore = machineLoad();
    const benchStart = performance.now();
    const station: StationSample[] = [];
    const baseline: BaselineSample[] = [];
    const mbps = (seconds: number) => s.bytes / seconds / 1e6;
    for (let r = 0; r < runs; r++) {
      // Interleaved, so the machine's drift spreads over both.
      await coldStart();
      const st = await stationRun(s);
      station.push(st);
      log(
        `run ${r + 1}/${runs} station   ${st.seconds.toFixed(1).padStart(6)} s ${mbps(st.seconds).toFixed(0).padStart(5)} MB/s ${st.cpuSeconds.toFixed(1).padStart(5)} CPU s  ` +
          `${st.events.length} progress events, longest gap ${st.maxGap.seconds.toFixed(2)} s (${st.maxGap.after} → ${st.maxGap.before})  (${machineLoad()})`,
      );
      const bl = await baselineRun(work, s.files);
      baseline.push(bl);
      log(
        `run ${r + 1}/${runs} baseline  ${bl.seconds.toFixed(1).padStart(6)} s ${mbps(bl.seconds).toFixed(0).padStart(5)} MB/s ${bl.cpuSeconds.toFixed(1).padStart(5)} CPU s  ` +
          `cp ${bl.steps.cp.toFixed(1)} s, xorriso image ${bl.steps.image.toFixed(1)} s, extract ${bl.steps.extract.toFixed(1)} s, sha256sum ${bl.steps.sha256sum.toFixed(1)} s, then sync ${bl.sync.toFixed(1)} s  (${machineLoad()})`,
      );
    }
    const loadAfter = machineLoad();
    const minutes = (performance.now() - benchStart) / 60000;

    // -----------------------------------------------------------------------
    // Report
    const lines: string[] = [];
    const out = (x = '') => lines.push(x);
    const f1 = (x: number) => x.toFixed(1);
    const stRates = station.map((x) => mbps(x.seconds));
    const blRates = baseline.map((x) => mbps(x.seconds));
    const stMedian = median(stRates);
    const blMedian = median(blRates);
    const ratio = stMedian / blMedian;
    const worstGap = Math.max(...station.map((x) => x.maxGap.seconds));
    const worstGapRun = station.find((x) => x.maxGap.seconds === worstGap)!;
    out(`### bench:export (${(s.bytes / GiB).toFixed(2)} GiB, ${runs} run${runs > 1 ? 's' : ''} each)`);
    out();
    for (const line of machine(work)) out(line);
    out(`- Footage: ${s.how}`);
    out(`- Export: the whole case, as evidence, for an outside recipient, medium \`${medium}\`: ${station[0]!.discs} disc(s)`);
    out(
      `- Page cache: ${cacheDropPermitted() ? 'dropped before every run (`sync; echo 3 > /proc/sys/vm/drop_caches`, as root), then the VM\'s freed memory left to settle (scripts/bench/host.ts)' : 'NOT dropped (not permitted): figures are warm'}`,
    );
    out(`- Runs: station and baseline interleaved, ${runs} each; MB/s = payload bytes (${s.bytes.toLocaleString('en')}) / seconds, 10⁶ bytes/s; CPU s = this process (all threads) + its waited-for children (xorriso, cp, sha256sum)`);
    out(`- Machine load: before ${loadBefore} (at the script's start ${loadAtStart}); after ${loadAfter}. Took ${minutes.toFixed(1)} min.`);
    out();
    out('| run | station s | station MB/s | CPU s | baseline s | baseline MB/s | CPU s | baseline steps: cp / xorriso image / extract / sha256sum (s) | then `sync` (s, untimed) |');
    out('|---|---:|---:|---:|---:|---:|---:|---|---:|');
    for (let r = 0; r < runs; r++) {
      const st = station[r]!;
      const bl = baseline[r]!;
      out(
        `| ${r + 1} | ${f1(st.seconds)} | ${stRates[r]!.toFixed(0)} | ${f1(st.cpuSeconds)} | ${f1(bl.seconds)} | ${blRates[r]!.toFixed(0)} | ${f1(bl.cpuSeconds)} | ${f1(bl.steps.cp)} / ${f1(bl.steps.image)} / ${f1(bl.steps.extract)} / ${f1(bl.steps.sha256sum)} | ${f1(bl.sync)} |`,
      );
    }
    out(`| **median** | ${f1(median(station.map((x) => x.seconds)))} | **${stMedian.toFixed(0)}** | | ${f1(median(baseline.map((x) => x.seconds)))} | **${blMedian.toFixed(0)}** | | | |`);
    out();
    out(
      'Where the station\'s time goes, in seconds since exports.create: the first `tags` event; xorriso\'s `.iso.part` seen (polled every 50 ms: the image under way); the first `image` event (the meter polls the part file every 0.5 s); ' +
        'the `.iso` renamed into place (written, fsynced); the first `readback` event; the meter at every byte read back (the hash pass over; – when it was not seen apart from `done`, i.e. xorriso\'s MD5 check had ended first); the `done` event (xorriso\'s MD5 check over too); ready (the build\'s promise settled):',
    );
    out();
    out('| run | tags | .part seen | image event | .iso seen | readback event | hash pass done | done | ready | tags / image / read-back s | progress events | longest gap | between | event loop blocked (longest, ended at) |');
    out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|');
    station.forEach((st, r) => {
      const at = (x: number | undefined | null) => (x === undefined || x === null ? '–' : f1(x));
      const tags = st.partSeen !== null && st.stepStarts.tags !== undefined ? st.partSeen - st.stepStarts.tags : NaN;
      const image = st.isoSeen !== null && st.partSeen !== null ? st.isoSeen - st.partSeen : NaN;
      const readback = st.stepStarts.done !== undefined && st.isoSeen !== null ? st.stepStarts.done - st.isoSeen : NaN;
      out(
        `| ${r + 1} | ${at(st.stepStarts.tags)} | ${at(st.partSeen)} | ${at(st.stepStarts.image)} | ${at(st.isoSeen)} | ${at(st.stepStarts.readback)} | ${at(st.hashPassDone)} | ${at(st.stepStarts.done)} | ${f1(st.seconds)} | ${f1(tags)} / ${f1(image)} / ${f1(readback)} | ${st.events.length} | ${st.maxGap.seconds.toFixed(2)} s | ${st.maxGap.after} → ${st.maxGap.before} | ${st.stall.seconds.toFixed(2)} s, at ${f1(st.stall.endedAt)} s |`,
      );
    });
    out();
    out('The rates the progress events report (`bytesPerSecond`, over the meter\'s last 5 s; `done` counts each payload byte twice, written and read back) against the rate their own `done` counts show over the step:');
    out();
    out('| run | step | events | reported median | reported max | observed | |');
    out('|---|---|---:|---:|---:|---:|---|');
    let sane = true;
    station.forEach((st, r) => {
      for (const x of st.rates) {
        const ok = x.reportedMedian === null || x.observed === null ? x.events < 3 : x.reportedMedian > 0 && x.reportedMedian / x.observed < 2 && x.observed / x.reportedMedian < 2 && x.reportedMax! < 10e9;
        if (!ok) sane = false;
        const m = (v: number | null) => (v === null ? '–' : `${(v / 1e6).toFixed(0)} MB/s`);
        out(`| ${r + 1} | ${x.step} | ${x.events} | ${m(x.reportedMedian)} | ${m(x.reportedMax)} | ${m(x.observed)} | ${ok ? 'sane' : '**off**'} |`);
      }
    });
    out();
    const verdict = (ok: boolean) => (ok ? 'MET' : '**MISSED**');
    out('| target (issue 21) | measured | | |');
    out('|---|---|---:|---|');
    out(`| station ≥ ${TARGET_RATIO}× the baseline's throughput | station ${stMedian.toFixed(0)} / baseline ${blMedian.toFixed(0)} MB/s | ${ratio.toFixed(2)}× | ${verdict(ratio >= TARGET_RATIO)} |`);
    out(
      `| progress at least once every ${TARGET_GAP_S} s during the build | longest gap between two progress events ${worstGap.toFixed(2)} s (${worstGapRun.maxGap.after} → ${worstGapRun.maxGap.before}); from the call to the first event ≤ ${Math.max(...station.map((x) => x.leadIn)).toFixed(2)} s, last event to ready ≤ ${Math.max(...station.map((x) => x.tail)).toFixed(2)} s | | ${verdict(worstGap <= TARGET_GAP_S)} |`,
    );
    const blSynced = median(baseline.map((x) => mbps(x.seconds + x.sync)));
    out(`| for information: station vs the baseline with a final \`sync\` (its writes on the disk, as the station's image is) | station ${stMedian.toFixed(0)} / baseline + sync ${blSynced.toFixed(0)} MB/s | ${(stMedian / blSynced).toFixed(2)}× | |`);
    out(`| progress bytes/s sane (within 2× of the observed rate) | | | ${sane ? 'yes' : '**no**'} |`);
    console.log(lines.join('\n'));
    console.error(`\nstation ${stMedian.toFixed(0)} MB/s vs baseline ${blMedian.toFixed(0)} MB/s: ${ratio.toFixed(2)}× (target ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}; longest progress gap ${worstGap.toFixed(2)} s (target ${TARGET_GAP_S} s) ${worstGap <= TARGET_GAP_S ? 'MET' : 'MISSED'}`);
    if (process.env.BENCH_EXPORT_JSON) writeFileSync(process.env.BENCH_EXPORT_JSON, JSON.stringify({ station, baseline, bytes: s.bytes }, null, 1));
  } finally {
    await s.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

// Ctrl-C: leave nothing behind (the images are large).
process.once('SIGINT', () => {
  void chooseWorkDir()
    .then((work) => rm(work, { recursive: true, force: true }))
    .finally(() => process.exit(130));
});

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
