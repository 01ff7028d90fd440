// npm run profile:check -- <profile.json> [--card <folder>] [--label L] [--usb-id VVVV:PPPP] [--profiles <folder>] [--json]
//
// The site technician's tool for a camera profile (docs/camera-profiles.md), before it goes into
// the station's profiles folder:
// 1. validates the file as the station would, printing every problem as `file: field: message`;
// 2. loads it together with every profile of the station (the repository's profiles/, or
//    --profiles), the file replacing a shipped one of the same id, as it will when installed;
// 3. with --card (a mounted camera, or a copy of its card; --label and --usb-id stand for what a
//    copy lacks, as for `station ingest`), says how every profile judges the card, which one wins
//    (or that two tie), and what the winner reads there: the binding, the camera's clock, its
//    status, and for every file in the footage folders what its name says (kind, 产品序号, 警号,
//    start, sequence, 重点), marking the names its pattern does not read.
// Nothing on the card is written. Readable on a terminal; --json gives one JSON object for machines.
//
// Only types are exported (a test reads the --json report by them); importing the module runs it.
//
// Exit codes: 0 good (and, with --card, the card is identified as this profile); 1 the profile has
// problems; 2 the card is not identified as this profile (another wins, two tie, or none matches);
// 3 the command line is wrong (no file, a malformed --usb-id, a --card that is not a folder).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseUsbId, usbIdProblem } from '../electron/core/cli/ingest-command.js';
import { formatBytes, table } from '../electron/core/cli/format.js';
import {
  formatProblem,
  identifyVolume,
  loadProfileSet,
  readBinding,
  readCameraClock,
  readProfileFile,
  readStatus,
  type BindingReading,
  type CameraProfile,
  type ClockReading,
  type ProfileProblem,
  type ProfileVerdict,
  type StatusReading,
} from '../electron/core/docking/profile/index.js';
import { wallClockToIso } from '../electron/core/docking/wall-clock.js';
import { discoverFiles, type DiscoveryNotice } from '../electron/core/ingest/discover.js';
import { repoPath } from '../electron/core/paths.js';

const EXIT = { ok: 0, problems: 1, notThisProfile: 2, usage: 3 } as const;

/** What one footage file's name says, through the winning profile. */
export interface FileReading {
  path: string;
  kind: string;
  /** Whether the name follows the profile's pattern. */
  matched: boolean;
  serial: string | null;
  badge: string | null;
  /** As the camera wrote it, ISO local time without zone. */
  start: string | null;
  seq: number | null;
  important: boolean;
  /** Parts of a matching name that could not be read (a month 13). */
  problems: string[];
}

export interface CardReport {
  root: string;
  label: string | null;
  usb: { vendorId: string; productId: string } | null;
  verdicts: ProfileVerdict[];
  /** The profile the station would read the card with, or null. */
  winner: string | null;
  /** No winner because two or more profiles matched equally. */
  tie: boolean;
  reasons: string[];
  /** What the winner reads on the card; null when there is no winner. */
  reads: {
    profileId: string;
    binding: BindingReading;
    clock: ClockReading & { iso?: string };
    status: StatusReading;
    files: FileReading[];
    /** What discovery passed over or could not read (a missing footage folder, a symbolic link…). */
    notices: DiscoveryNotice[];
  } | null;
}

export interface CheckReport {
  file: string;
  /** The profile's id when it loads. */
  profileId: string | null;
  problems: ProfileProblem[];
  loadedWith: {
    dir: string;
    profiles: string[];
    /** The shipped file this one stands in for (same id), if any. */
    replaces: string | null;
    /** Files of that folder that do not load: the station skips them too. */
    skipped: ProfileProblem[];
  } | null;
  card: CardReport | null;
  exitCode: number;
}

class UsageError extends Error {}

const USAGE =
  '用法 / Usage: npm run profile:check -- <配置文件 profile.json> [--card <目录 folder>] [--label <卷标 label>] [--usb-id <VVVV:PPPP>] [--profiles <目录 folder>] [--json]';

async function readCard(profile: CameraProfile, root: string): Promise<NonNullable<CardReport['reads']>> {
  const binding = await readBinding(profile, root);
  const clock: ClockReading & { iso?: string } = await readCameraClock(profile, root);
  if (clock.status === 'ok') clock.iso = wallClockToIso(clock.wallClock);
  const status = await readStatus(profile, root);
  const discovery = await discoverFiles(profile, root);
  const files = discovery.files.map(
    (f): FileReading => ({
      path: f.relativePath,
      kind: f.parsed.kind,
      matched: f.parsed.matched,
      serial: f.parsed.serial,
      badge: f.parsed.badge,
      start: f.parsed.start ? wallClockToIso(f.parsed.start) : null,
      seq: f.parsed.seq,
      important: f.parsed.important,
      problems: f.parsed.problems,
    }),
  );
  return { profileId: profile.id, binding, clock, status, files, notices: discovery.notices };
}

async function checkProfile(options: {
  file: string;
  profilesDir: string;
  card?: string;
  label?: string | null;
  usb?: { vendorId: string; productId: string } | null;
}): Promise<CheckReport> {
  const file = path.resolve(options.file);
  const read = await readProfileFile(file);
  if (!('profile' in read)) {
    return { file, profileId: null, problems: read.problems, loadedWith: null, card: null, exitCode: EXIT.problems };
  }
  const mine = read.profile;
  // As installed: the station's profiles, this file in place of the one with its id.
  const set = await loadProfileSet(options.profilesDir);
  const stemOf = (f: string) => path.basename(f).replace(/\.json$/i, '');
  const shipped = set.profiles.find((p) => p.id === mine.id);
  const replaces = shipped && path.resolve(shipped.source) !== file ? shipped.source : (set.files.find((f) => stemOf(f) === mine.id && path.resolve(f) !== file) ?? null);
  const profiles = [...set.profiles.filter((p) => p.id !== mine.id), mine];
  const skipped = set.problems.filter((p) => stemOf(p.file) !== mine.id);
  const report: CheckReport = {
    file,
    profileId: mine.id,
    problems: [],
    loadedWith: { dir: set.dir, profiles: profiles.map((p) => p.id), replaces, skipped },
    card: null,
    exitCode: EXIT.ok,
  };
  if (options.card === undefined) return report;

  const root = path.resolve(options.card);
  // The same default as `station ingest`: a copied card's label is its folder's name.
  const label = options.label === undefined ? path.basename(root) : options.label;
  const usb = options.usb ?? null;
  const identification = await identifyVolume({ root, label, usb }, profiles);
  const winner = identification.profile;
  report.card = {
    root,
    label,
    usb,
    verdicts: identification.verdicts,
    winner: winner?.id ?? null,
    tie: identification.tie,
    reasons: identification.reasons,
    reads: winner ? await readCard(winner, root) : null,
  };
  if (winner?.id !== mine.id) report.exitCode = EXIT.notThisProfile;
  return report;
}

// ---- the terminal ----

const yesNo = (b: boolean) => (b ? '是 yes' : '否 no');

function bindingLines(b: BindingReading): string[] {
  switch (b.status) {
    case 'unsupported':
      return ['  绑定 / Binding: 该型号不提供 / this model keeps none'];
    case 'missing':
      return [`  绑定 / Binding: ✗ 文件不存在 / file missing: ${b.path}`];
    case 'unreadable':
      return [`  绑定 / Binding: ✗ 读不了 / unreadable: ${b.path}: ${b.error}`];
    case 'ok': {
      const v = b.values;
      return [
        `  绑定 / Binding (${b.path}):`,
        `    产品序号 serial ${v.deviceSerial ?? '—'}，警号 badge ${v.badge ?? '—'}，姓名 name ${v.name ?? '—'}`,
        `    单位编号 unit id ${v.unitId ?? '—'}，单位名称 unit name ${v.unitName ?? '—'}`,
        ...(b.missing.length > 0 ? [`    ✗ 文件中缺少 / missing in the file: ${b.missing.join(', ')}`] : []),
      ];
    }
  }
}

function clockLines(c: ClockReading & { iso?: string }): string[] {
  switch (c.status) {
    case 'unsupported':
      return ['  时钟 / Clock: 该型号不提供 / this model does not report it'];
    case 'missing':
      return [`  时钟 / Clock: ✗ 文件不存在 / file missing: ${c.path}`];
    case 'unreadable':
      return [`  时钟 / Clock: ✗ 读不了 / unreadable: ${c.path}: ${c.error}`];
    case 'ok':
      return [`  时钟 / Clock (${c.path}): “${c.text}” → ${c.iso ?? '—'}`];
  }
}

function statusLines(s: StatusReading): string[] {
  switch (s.status) {
    case 'unsupported':
      return ['  状态 / Status: 该型号不提供 / this model does not report it'];
    case 'missing':
      return [`  状态 / Status: ✗ 文件不存在 / file missing: ${s.path}`];
    case 'unreadable':
      return [`  状态 / Status: ✗ 读不了 / unreadable: ${s.path}: ${s.error}`];
    case 'ok': {
      const bytes = (n: number | null) => (n === null ? '—' : formatBytes(n));
      return [
        `  状态 / Status (${s.path}): 电量 battery ${s.batteryPercent === null ? '—' : `${s.batteryPercent}%`}，剩余 free ${bytes(s.freeBytes)}，共 total ${bytes(s.totalBytes)}`,
        ...s.problems.map((p) => `    ✗ ${p}`),
      ];
    }
  }
}

function humanReport(r: CheckReport): string[] {
  const lines: string[] = [`相机配置检查 / Camera profile check: ${r.file}`];
  if (r.problems.length > 0) {
    lines.push(`  ✗ 有 ${r.problems.length} 处问题，采集站会跳过此文件 / ${r.problems.length} problem(s); the station would skip this file:`);
    for (const p of r.problems) lines.push(`  ${formatProblem(p)}`);
    lines.push('', '请按 docs/camera-profiles.md 修正后再检查。 / Correct them as docs/camera-profiles.md describes, then check again.');
    return lines;
  }
  lines.push(`  ✓ 配置有效 / the profile is valid: ${r.profileId}`);
  const w = r.loadedWith!;
  lines.push('', `与采集站的其他配置一起加载 / Loaded with the station's profiles (${w.dir}):`, `  ${w.profiles.join(', ')}`);
  if (w.replaces) lines.push(`  本文件取代 / this file stands in for: ${w.replaces}`);
  if (w.skipped.length > 0) {
    lines.push('  ✗ 这些文件有误，采集站也会跳过 / these files have errors; the station skips them too:');
    for (const p of w.skipped) lines.push(`    ${formatProblem(p)}`);
  }
  const c = r.card;
  if (!c) return lines;

  const usb = c.usb ? `${c.usb.vendorId}:${c.usb.productId}` : '—';
  lines.push('', `识别 / Identification of ${c.root}`, `  卷标 label ${c.label === null ? '—' : `“${c.label}”`}，USB ${usb}`);
  // In the order identification ranks them: score, then specificity (how many conditions held).
  for (const v of [...c.verdicts].sort((a, b) => b.score - a.score || b.specificity - a.specificity)) {
    lines.push(`  ${v.matched ? '✓' : '✗'} ${v.profileId}：${v.matched ? '匹配 matches' : '不匹配 no match'}，得分 score ${v.score}，成立的条件 conditions held ${v.specificity}`);
    for (const reason of v.reasons) lines.push(`      ${reason}`);
  }
  if (c.winner) {
    const mine = c.winner === r.profileId;
    lines.push(`  结果 / Result: ${c.winner}${mine ? '（即本配置 / this profile）' : `（不是本配置 ${r.profileId} / not this profile, ${r.profileId}）`}`);
  } else {
    lines.push(`  结果 / Result: ${c.tie ? '✗ 并列，无法确定 / a tie, no profile chosen' : '✗ 没有配置匹配 / no profile matches'}`);
    for (const reason of c.reasons) lines.push(`    ${reason}`);
  }
  const reads = c.reads;
  if (!reads) return lines;

  lines.push('', `按 ${reads.profileId} 读取 / What ${reads.profileId} reads on the card:`);
  lines.push(...bindingLines(reads.binding), ...clockLines(reads.clock), ...statusLines(reads.status));
  const unmatched = reads.files.filter((f) => !f.matched).length;
  lines.push(
    '',
    `  录像文件 / Footage files: ${reads.files.length}，其中 ${unmatched} 个名称不符合模式（✗） / ${unmatched} with a name the pattern does not read (✗)`,
  );
  if (reads.files.length > 0) {
    const rows = reads.files.map((f) => [
      f.matched ? '✓' : '✗',
      f.path,
      f.kind,
      f.matched ? (f.serial ?? '—') : '',
      f.matched ? (f.badge ?? '—') : '',
      f.matched ? (f.start ?? '—') : '',
      f.matched ? (f.seq === null ? '—' : String(f.seq)) : '',
      f.matched ? yesNo(f.important) : '',
    ]);
    for (const line of table(['', '文件 file', '类型 kind', '产品序号 serial', '警号 badge', '开始 start', '序号 seq', '重点 important'], rows)) {
      lines.push(`    ${line}`);
    }
  }
  for (const f of reads.files.filter((x) => x.problems.length > 0)) lines.push(`    ✗ ${f.path}: ${f.problems.join('；')}`);
  if (reads.notices.length > 0) {
    lines.push('', '  提示 / Notices:');
    for (const n of reads.notices) lines.push(`    [${n.kind}] ${n.path}: ${n.message}`);
  }
  return lines;
}

function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        card: { type: 'string' },
        label: { type: 'string' },
        'usb-id': { type: 'string' },
        profiles: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`命令行参数有误 / bad arguments: ${(e as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? '缺少配置文件 / no profile file given' : `只能检查一个配置文件 / one profile file at a time, not ${positionals.length}`);
  let usb: { vendorId: string; productId: string } | null = null;
  if (values['usb-id'] !== undefined) {
    usb = parseUsbId(values['usb-id']);
    if (!usb) throw new UsageError(usbIdProblem(values['usb-id']));
  }
  if ((values.label !== undefined || usb) && values.card === undefined) throw new UsageError('--label 和 --usb-id 须与 --card 一起用 / --label and --usb-id go with --card');
  if (values.card !== undefined && !fs.statSync(values.card, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--card 不是目录 / --card is not a folder: ${values.card}`);
  }
  return {
    help: false as const,
    json: values.json,
    options: {
      file: positionals[0]!,
      profilesDir: path.resolve(values.profiles ?? repoPath('profiles')),
      ...(values.card !== undefined ? { card: values.card } : {}),
      // An empty --label stands for a card without one, as for `station ingest`.
      ...(values.label !== undefined ? { label: values.label.trim() === '' ? null : values.label } : {}),
      usb,
    },
  };
}

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const report = await checkProfile(command.options);
  if (command.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${humanReport(report).join('\n')}\n`);
  return report.exitCode;
}

process.exitCode = await main();
