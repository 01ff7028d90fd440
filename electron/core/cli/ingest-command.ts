// `station ingest <folder>`: a folder offloaded as a docked camera, through
// the same identification, pipeline and dock session as a USB dock, with a
// progress bar on a terminal and JSON lines for scripts.
import path from 'node:path';
import type { EventMap } from '../../../shared/contract.js';
import { damageKind, type DamageKind, type DockSessionDetail, type IngestFileState, type IngestProgress, type IngestSummary } from '../../../shared/ingest.js';
import { StationError } from '../../../shared/errors.js';
import { formatProblem, identifyVolume, loadShippedAndSite, type ProfileProblem, type ProfileVerdict } from '../docking/profile/index.js';
import { footageLeftBehind, type NoticeKind } from '../ingest/discover.js';
import type { FolderVolume } from '../ingest/operations.js';
import { IngestRepository } from '../ingest/repository.js';
import { defaultDataDir } from '../paths.js';
import type { Command, Values } from './commands.js';
import type { CommandContext } from './context.js';
import { call } from './context.js';
import { EXIT, usageError } from './errors.js';
import type { Words } from './format.js';
import { formatBytes, formatDuration, formatRate, labelled, personLabel, shellWord, skewWords } from './format.js';
import type { ProgressBar } from './progress.js';
import { ingestFraction, ingestProgressText } from './progress.js';
import { vaultOption } from './vault-commands.js';

/** Why a damaged file does not play, before ffprobe's own words (the screens say it at length). */
const DAMAGE_WORDS: Record<DamageKind, Words> = {
  empty: { zh: '文件为空', en: 'empty file' },
  incomplete: { zh: '录像不完整，缺少 moov 索引（多为录制中断电或关机）', en: 'incomplete recording, no moov index (power lost or switched off mid-recording)' },
  unrecognised: { zh: '无法识别为音视频', en: 'not recognised as audio or video' },
  probe_failed: { zh: '未能检查能否播放，文件已完整保存', en: 'could not be checked; stored whole' },
  other: { zh: '无法正常播放', en: 'does not play normally' },
};

/** Flagged because ffprobe gave no verdict on it (shared/ingest.ts damageKind), not because it is known to be damaged. */
const notChecked = (f: IngestedFile): boolean => f.damaged && damageKind(f.damageReason) === 'probe_failed';

/** One file of the dock session as the summary reports it. */
export interface IngestedFile {
  path: string;
  kind: string;
  size: number;
  state: IngestFileState;
  failureKind: string | null;
  failureMessage: string | null;
  clipId: number | null;
  /** Where the clip is, relative to the vault (for a duplicate: the clip it duplicates). */
  vaultPath: string | null;
  damaged: boolean;
  /** ffprobe's message for a damaged recording. */
  damageReason: string | null;
}

/** The last JSON line of `station ingest --json`, and what the human summary is printed from. */
export interface IngestReport {
  type: 'summary';
  folder: string;
  dockSessionId: number;
  state: DockSessionDetail['state'];
  stateReason: string | null;
  profileId: string | null;
  serial: string | null;
  device: DockSessionDetail['device'];
  binding: DockSessionDetail['binding'];
  committed: number;
  /** Stored, and ffprobe found they do not play whole (guarantee 3). */
  damaged: number;
  /** Stored, and ffprobe gave no verdict (it did not run, or timed out): not known to be damaged. */
  notChecked: number;
  duplicate: number;
  failed: number;
  bytes: number;
  durationMs: number;
  clockSkewMs: number | null;
  vault: { root: string; folders: string[] };
  failedFiles: IngestedFile[];
  damagedFiles: IngestedFile[];
  notices: DockSessionDetail['notices'];
  /**
   * What discovery could not read whole (a folder, an entry, a special file: ingest/discover.ts):
   * footage may still be on the camera there, so the offload is not complete (exit code 1).
   */
  unread: DockSessionDetail['notices'];
  files: IngestedFile[];
  /** Commands to run next (register an unknown camera, then ingest again). */
  next: string[];
  /** Why ffprobe does not run on this station (its open probe_unavailable alarm), or null. */
  probeUnavailable: string | null;
  /** Camera profile files skipped because they do not load (each a profile_invalid alarm): file, field, message. */
  profileProblems: ProfileProblem[];
}

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A USB id as lsusb and the profiles write it, vendor:product, four hex digits each (a 0x before
 * either is allowed), in lower case; null for anything else.
 */
export function parseUsbId(text: string): { vendorId: string; productId: string } | null {
  const m = /^(?:0x)?([0-9a-f]{4}):(?:0x)?([0-9a-f]{4})$/i.exec(text.trim());
  return m ? { vendorId: m[1]!.toLowerCase(), productId: m[2]!.toLowerCase() } : null;
}

/** Why a --usb-id was refused, bilingual. */
export const usbIdProblem = (text: string): string =>
  `--usb-id 应为 VVVV:PPPP，即厂商号:产品号，各 4 位十六进制数字（如 2207:0010），而不是 “${text}”。 / --usb-id must be VVVV:PPPP, vendor:product, 4 hex digits each (e.g. 2207:0010), not “${text}”.`;

/**
 * `--label` and `--usb-id` as the volume the folder stands for. A malformed USB id is refused as a
 * usage error: a mistyped id would quietly identify nothing, or the wrong model.
 */
export function folderVolume(v: Values): FolderVolume {
  const volume: FolderVolume = {};
  const label = str(v.label);
  // An empty --label stands for a card without one (a FAT volume may have none).
  if (label !== undefined) volume.label = label.trim() === '' ? null : label;
  const text = str(v['usb-id']);
  if (text !== undefined) {
    const usb = parseUsbId(text);
    if (!usb) throw usageError(usbIdProblem(text), 'ingest');
    volume.usb = usb;
  }
  return volume;
}

/** The skipped profile files, for the terminal: they are why a model may not have been recognised. */
function skippedProfiles(problems: readonly ProfileProblem[]): Array<string | Words> {
  if (problems.length === 0) return [];
  const files = new Set(problems.map((p) => p.file)).size;
  return [
    {
      zh: `注意：${files} 个相机配置文件有误，已跳过（已发出“相机配置文件有误”告警），这些型号的执法记录仪无法识别：`,
      en: `Note: ${files} camera profile file(s) have errors and were skipped (a "Camera profile invalid" alarm was raised); cameras of those models cannot be recognised:`,
    },
    ...problems.map((p) => `  - ${formatProblem(p)}`),
  ];
}

const isUnread = (n: DockSessionDetail['notices'][number]): boolean => footageLeftBehind.has(n.kind as NoticeKind);

/** `station <words>`, with the --data and --vault this run was given, so the suggestion works as typed. */
function stationCommand(ctx: CommandContext, v: Values, words: string[]): string {
  const extra: string[] = [];
  if (ctx.dataDir !== path.resolve(defaultDataDir())) extra.push('--data', shellWord(ctx.dataDir));
  const vault = str(v.vault);
  if (vault !== undefined) extra.push('--vault', shellWord(path.resolve(vault)));
  return ['station', ...words, ...extra].join(' ');
}

/**
 * Ctrl-C: the first asks the core to cancel (files already committed stay;
 * the rest fail as cancelled and are copied at the next dock), the second
 * quits at once, which the pipeline survives like any crash.
 */
class Interrupt {
  private requested = false;
  private sent = false;
  private readonly onSigint = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    this.bar?.clear();
    this.ctx.out.warn({
      zh: '正在取消导出：已存入的文件保留，未完成的文件下次导出时重新复制。再按一次 Ctrl-C 立即退出。',
      en: 'Cancelling: files already stored stay, unfinished ones are copied next time. Press Ctrl-C again to quit at once.',
    });
    this.tryCancel();
  };

  constructor(
    private readonly ctx: CommandContext,
    private readonly bar: ProgressBar | null,
    private readonly sessionId: () => number | null,
  ) {
    process.on('SIGINT', this.onSigint);
  }

  /** Called on each progress event: a cancel asked before the copy started is sent once it has. */
  tryCancel(): void {
    const id = this.sessionId();
    if (!this.requested || this.sent || id === null) return;
    // After the event that started the job has been delivered: the job is registered by then.
    setImmediate(() => {
      if (this.sent) return;
      void this.ctx.connection.invoke('ingest.cancel', { dockSessionId: id }).then((r) => {
        if (r.ok) this.sent = true;
      });
    });
  }

  dispose(): void {
    process.off('SIGINT', this.onSigint);
  }
}

function describeFiles(ctx: CommandContext, detail: DockSessionDetail): IngestedFile[] {
  // Read-only: the contract's dock view names each file's clip and whether it plays; the clip index says where it is.
  const clips = new IngestRepository(ctx.station.db);
  return detail.files.map((f) => {
    const clip = f.clipId === null ? undefined : clips.clip(f.clipId);
    return {
      path: f.originalPath,
      kind: f.kind,
      size: f.size,
      state: f.state,
      failureKind: f.failureKind,
      failureMessage: f.failureMessage,
      clipId: f.clipId,
      vaultPath: clip?.vault_path ?? null,
      // A duplicate says how its clip was stored (damaged or not), not "false": the same bytes.
      damaged: f.state === 'duplicate' ? clip?.damaged === 1 : f.damaged,
      damageReason: f.state === 'duplicate' ? (clip?.damage_reason ?? null) : f.damageReason,
    };
  });
}

async function buildReport(
  ctx: CommandContext,
  v: Values,
  folder: string,
  detail: DockSessionDetail,
  summary: IngestSummary | null,
  elapsedMs: number,
  profileProblems: ProfileProblem[],
): Promise<IngestReport> {
  const files = describeFiles(ctx, detail);
  const count = (s: IngestFileState) => files.filter((f) => f.state === s).length;
  const root = ctx.station.vault.root;
  const folders = [
    ...new Set(files.filter((f) => f.vaultPath !== null).map((f) => path.join(root, ...path.posix.dirname(f.vaultPath!).split('/')))),
  ].sort();
  const next: string[] = [];
  if (detail.state === 'unregistered' && detail.serial) {
    const badge = detail.binding?.badge;
    const known = badge ? (await call(ctx, 'people.list', { query: badge, includeInactive: false })).some((p) => p.badge.toLowerCase() === badge.toLowerCase()) : false;
    next.push(
      stationCommand(ctx, v, ['devices', 'add', '--serial', shellWord(detail.serial), ...(known ? ['--keeper', shellWord(badge!)] : [])]),
      // With the label and USB id it was given, or the copy would not be identified again.
      stationCommand(ctx, v, [
        'ingest',
        shellWord(folder),
        ...(str(v.label) !== undefined ? ['--label', shellWord(str(v.label)!)] : []),
        ...(str(v['usb-id']) !== undefined ? ['--usb-id', shellWord(str(v['usb-id'])!)] : []),
      ]),
    );
  }
  // Asked now, not read from the alarm: the station's own check at start may still be running.
  const probeUnavailable = await ctx.station.checkProbe();
  return {
    type: 'summary',
    folder,
    dockSessionId: detail.id,
    state: summary?.state ?? detail.state,
    stateReason: detail.stateReason,
    profileId: detail.profileId,
    serial: detail.serial,
    device: detail.device,
    binding: detail.binding,
    committed: count('committed'),
    // This dock's stored files: a duplicate's damage was counted when its clip was stored.
    damaged: files.filter((f) => f.state === 'committed' && f.damaged && !notChecked(f)).length,
    notChecked: files.filter((f) => f.state === 'committed' && notChecked(f)).length,
    duplicate: count('duplicate'),
    failed: count('failed'),
    bytes: files.filter((f) => f.state === 'committed').reduce((s, f) => s + f.size, 0),
    durationMs: summary?.durationMs ?? elapsedMs,
    clockSkewMs: detail.clockSkewMs,
    vault: { root, folders },
    failedFiles: files.filter((f) => f.state === 'failed'),
    damagedFiles: files.filter((f) => f.state === 'committed' && f.damaged),
    notices: detail.notices,
    unread: detail.notices.filter(isUnread),
    files,
    next,
    probeUnavailable,
    profileProblems,
  };
}

function headline(r: IngestReport): Words {
  const camera = r.serial ?? '—';
  switch (r.state) {
    case 'done':
      return { zh: `导出完成：执法记录仪 ${camera}。`, en: `Offload finished: camera ${camera}.` };
    case 'cancelled':
      return { zh: `导出已取消：执法记录仪 ${camera}。`, en: `Offload cancelled: camera ${camera}.` };
    default: {
      // Both can be true: files that failed, and parts of the camera not read at all.
      const zh: string[] = [];
      const en: string[] = [];
      if (r.failed > 0) {
        zh.push(`${r.failed} 个文件未能存入证据库`);
        en.push(`${r.failed} file(s) not stored in the vault`);
      }
      if (r.unread.length > 0) {
        zh.push(`${r.unread.length} 处未能读取，其中的资料可能仍在记录仪上`);
        en.push(`${r.unread.length} part(s) of the camera could not be read, so footage may still be on it`);
      }
      return {
        zh: `导出未全部完成：执法记录仪 ${camera}，${zh.join('；')}。请查看下面的原因，处理后重新导出。`,
        en: `Offload INCOMPLETE: camera ${camera}, ${en.join('; ')}. See why below, then offload again.`,
      };
    }
  }
}

function humanSummary(r: IngestReport): Array<string | Words> {
  if (r.state === 'unregistered') {
    return [
      r.serial
        ? {
            zh: `未登记的执法记录仪：产品序号 ${r.serial} 不在登记册中，未导出任何文件；已发出“未登记设备”告警。`,
            en: `Unregistered camera: serial ${r.serial} is not in the registry; nothing was offloaded. An "unregistered device" alarm was raised.`,
          }
        : (r.stateReason ?? '未登记的执法记录仪。 / Unregistered camera.'),
      ...(r.next.length > 0 ? [{ zh: '请登记后重新导出：', en: 'Register it, then offload again:' }, ...r.next.map((c) => `  ${c}`)] : []),
    ];
  }
  // The officer as the camera's binding names them (the registry's keeper is shown only when it differs).
  const officer = r.binding?.badge ? personLabel({ badge: r.binding.badge, name: r.binding.name ?? '—' }) : null;
  const keeper = r.device?.keeper;
  const skew = skewWords(r.clockSkewMs);
  const rate = r.durationMs > 0 && r.bytes > 0 ? `（${formatRate((r.bytes * 1000) / r.durationMs)}）` : '';
  const lines: Array<string | Words> = [
    headline(r),
    ...labelled([
      ['记录仪 camera', `${r.serial ?? '—'}${r.device?.model ? `（型号 model ${r.device.model}）` : ''}，配置 profile ${r.profileId ?? '—'}`],
      ...(officer ? ([['绑定警员 bound to', `${officer.zh}${r.binding?.unitName ? `，${r.binding.unitName}` : ''}`]] as Array<[string, string]>) : []),
      ['已存入 committed', `${r.committed}（含损坏 incl. damaged ${r.damaged}${r.notChecked > 0 ? `，未能检查 not checked ${r.notChecked}` : ''}）`],
      ['重复 duplicate', `${r.duplicate}（已在证据库中 already in the vault）`],
      ['失败 failed', String(r.failed)],
      ['数据量 data', formatBytes(r.bytes)],
      ['用时 time taken', `${formatDuration(r.durationMs)}${rate}`],
      ['时钟偏差 clock skew', `${skew.zh} / ${skew.en}`],
    ]),
  ];
  if (keeper && r.binding?.badge && keeper.badge.toLowerCase() !== r.binding.badge.toLowerCase()) {
    lines.push({
      zh: `注意：记录仪绑定的警号 ${r.binding.badge} 与定人保管人 ${personLabel(keeper).zh}不符，已发出告警。`,
      en: `Note: the camera is bound to badge ${r.binding.badge}, not to its keeper ${personLabel(keeper).en}; an alarm was raised.`,
    });
  }
  const flaggedList = (heading: string, list: IngestedFile[]) => {
    if (list.length === 0) return;
    lines.push('', heading);
    for (const f of list) {
      const words = DAMAGE_WORDS[damageKind(f.damageReason)];
      lines.push(`  ${f.path} → ${f.vaultPath}`, `    ${words.zh} / ${words.en}`, `    探测结果 probe: ${f.damageReason ?? '—'}`);
    }
  };
  flaggedList('损坏的文件（已按原样存入并标记） / Damaged files (stored bit-exact and flagged):', r.damagedFiles.filter((f) => !notChecked(f)));
  flaggedList(
    '未能检查能否播放的文件（已按原样存入，不一定损坏） / Not checked whether they play (stored bit-exact; not necessarily damaged):',
    r.damagedFiles.filter(notChecked),
  );
  if (r.probeUnavailable !== null) {
    lines.push('', {
      zh: `注意：检测程序 ffprobe 无法运行（${r.probeUnavailable}），存入的录像未能检查能否播放（文件已完整保存并经哈希校验）。请安装或修复 ffmpeg（含 ffprobe），或用环境变量 STATION_FFPROBE 指明其位置，之后采集站会自动补查这些文件；已发出告警。`,
      en: `Note: ffprobe does not run (${r.probeUnavailable}), so whether the stored recordings play was not checked (they are stored whole and hash-verified). Install or repair ffmpeg (with ffprobe), or give its path in the environment variable STATION_FFPROBE, and the station checks them then; an alarm was raised.`,
    });
  }
  if (r.failedFiles.length > 0) {
    lines.push('', '失败的文件（未存入，记录仪上的原文件未动） / Failed files (not stored; left as they were on the camera):');
    for (const f of r.failedFiles) lines.push(`  ${f.path}`, `    原因 reason [${f.failureKind ?? '?'}]: ${f.failureMessage ?? '—'}`);
  }
  const restored = r.notices.filter((n) => n.kind === 'vault_copy_restored');
  if (restored.length > 0) {
    lines.push('', '补回证据库的文件（证据库曾丢失其副本） / Put back in the vault (the vault had lost its copy):');
    for (const n of restored) lines.push(`  ${n.path}`);
  }
  const replaced = r.notices.filter((n) => n.kind === 'vault_copy_replaced');
  if (replaced.length > 0) {
    lines.push('', '换回原件的文件（证据库中的副本曾被改动，已移至 .altered 保存） / Original put back (the vault\'s copy had been altered; it is kept in .altered):');
    for (const n of replaced) lines.push(`  ${n.path}`);
  }
  if (r.unread.length > 0) {
    lines.push(
      '',
      '未能读取的部分（其中的资料可能仍在记录仪上） / Not read (footage may still be on the camera there):',
    );
    for (const n of r.unread) lines.push(`  [${n.kind}] ${n.path}`, `    ${n.message}`);
    lines.push({
      zh: '请勿清空或再次使用该记录仪。请检查内存卡（可换一台采集站或读卡器后重新导出）；仍无法读取的，请在综合处监督下手工复制其中的资料，然后处理告警“录像目录无法读取”。再次导出并完整读取后，告警自动解除。',
      en: 'Do not wipe or reuse this camera. Have its memory card checked (offload again, on another station or card reader); what still cannot be read is copied by hand under the general office\'s supervision, then the "Footage folder unreadable" alarm is resolved. An offload that reads the whole card clears the alarm by itself.',
    });
  }
  const passedOver = r.notices.filter((n) => n.kind !== 'vault_copy_restored' && n.kind !== 'vault_copy_replaced' && !isUnread(n));
  if (passedOver.length > 0) {
    lines.push('', '提示 / Notices:');
    for (const n of passedOver) lines.push(`  [${n.kind}] ${n.path}`, `    ${n.message}`);
  }
  lines.push('', `证据库位置 / In the vault (${r.vault.root}):`);
  if (r.vault.folders.length === 0) lines.push('  —');
  for (const f of r.vault.folders) lines.push(`  ${f}`);
  return lines;
}

/**
 * The core's "no profile matches" in the CLI's words, with where to look next,
 * per camera profile why it did not match, and the profile files that were
 * skipped (the model may be one of theirs).
 */
async function notACamera(ctx: CommandContext, folder: string, volume: FolderVolume, e: StationError): Promise<StationError> {
  const details = e.details as { reasons?: unknown; verdicts?: unknown; profileProblems?: unknown } | undefined;
  const reasons = details?.reasons;
  if (!Array.isArray(reasons)) return e;
  let verdicts = Array.isArray(details?.verdicts) ? (details.verdicts as ProfileVerdict[]) : null;
  if (!verdicts) {
    try {
      const { profiles } = (await loadShippedAndSite(ctx.station.config.profilesDir, ctx.station.config.siteProfilesDir)).set;
      const label = volume.label === undefined ? path.basename(folder) : volume.label;
      verdicts = (await identifyVolume({ root: folder, label, usb: volume.usb ?? null }, profiles)).verdicts;
    } catch {
      // The overall reason stands on its own.
    }
  }
  const perProfile = (verdicts ?? []).map((v) => `${v.profileId}: ${v.reasons.join('；')}`);
  const skipped = Array.isArray(details?.profileProblems) ? (details.profileProblems as ProfileProblem[]) : [];
  const skippedLines = skipped.map((p) => `已跳过的相机配置 / skipped profile: ${formatProblem(p)}`);
  // A profile that matched and was not chosen can only have tied with another.
  const tie = (verdicts ?? []).some((v) => v.matched);
  const why = tie
    ? { zh: '多个相机配置同样匹配，无法确定型号', en: 'several camera profiles match it equally, so its model cannot be told' }
    : { zh: '没有相机配置与之匹配。若是新型号，请添加相机配置（见 docs/camera-profiles.md）', en: 'no camera profile matches it. For a new model, add a profile (see docs/camera-profiles.md)' };
  return new StationError(
    e.code,
    `${folder} 不是采集站能识别的执法记录仪：${why.zh}；复制的卡可用 --label 和 --usb-id 给出记录仪的卷标和 USB 标识。 / ${folder} is not a camera the station recognises: ${why.en}; for a copied card, give the camera's volume label and USB id with --label and --usb-id.`,
    { reasons: [...reasons.map(String), ...perProfile, ...skippedLines], profileProblems: skipped },
  );
}

export const ingest: Command = {
  name: 'ingest',
  summary: { zh: '导出一个记录仪目录（如同接入采集站）', en: 'Offload a camera folder, as if it were docked' },
  argument: {
    name: 'folder',
    value: '<目录 folder>',
    help: { zh: '记录仪的卷：挂载点或其完整复制', en: "the camera's volume: its mount point, or a full copy of it" },
  },
  options: {
    vault: vaultOption,
    label: {
      type: 'string',
      value: '<卷标 label>',
      help: {
        zh: '记录仪的卷标（如 DSJ）；默认为目录名。给空字符串表示没有卷标',
        en: "the camera's volume label (e.g. DSJ); by default the folder's name. An empty string means no label",
      },
    },
    'usb-id': {
      type: 'string',
      value: '<VVVV:PPPP>',
      help: {
        zh: '记录仪的 USB 标识，厂商号:产品号，各 4 位十六进制（如 2207:0010，见 lsusb）',
        en: "the camera's USB id, vendor:product, 4 hex digits each (e.g. 2207:0010, as lsusb shows it)",
      },
    },
  },
  notes: [
    {
      zh: '与接入 USB 记录仪相同：按相机配置识别，逐个文件复制、校验（回读比较哈希）后存入证据库。未登记的记录仪不导出，并提示如何登记。',
      en: 'As for a docked USB camera: identified through the camera profiles, every file copied, verified (read back, hashes compared) and stored in the vault. An unregistered camera is not offloaded; you are told how to register it.',
    },
    {
      zh: '复制到硬盘的卡没有卷标和 USB 标识：用 --label 和 --usb-id 给出记录仪的，识别结果即与接入时相同（靠这两项识别的型号尤其需要）。',
      en: "A card copied to disk has no volume label or USB id: give the camera's with --label and --usb-id, and it is identified as it would be when docked (needed for models recognised by them).",
    },
    {
      zh: '有错误的相机配置文件会被跳过并发出告警，其他型号照常识别；没有任何配置能加载时报错 [profile_invalid] 并列出每个问题。',
      en: 'A camera profile file with errors is skipped, with an alarm, and other models are recognised as usual; when no profile loads at all, the error is [profile_invalid] with every problem listed.',
    },
    {
      zh: '同一数据目录同时只能有一个程序导出：桌面程序正在导出时此命令会拒绝。',
      en: 'Only one program may offload into a data folder at a time: this command refuses while the desktop app is offloading.',
    },
    {
      zh: '终端上在 stderr 显示进度条。--json：stdout 每行一个 JSON：进度（type "progress"）、文件状态变化（type "file"），最后一行为汇总（type "summary"）。',
      en: 'On a terminal, a progress bar on stderr. --json: one JSON value per line on stdout: progress (type "progress"), file state changes (type "file"), and last the summary (type "summary").',
    },
    {
      zh: 'Ctrl-C 取消：已存入的文件保留，其余下次导出时重新复制。',
      en: 'Ctrl-C cancels: files already stored stay, the rest are copied next time.',
    },
    {
      zh: '退出码 0：全部存入（或已在证据库中）；1：有文件失败、记录仪上有目录或文件未能读取、已取消、记录仪未登记、目录不是记录仪或不存在、没有任何相机配置能加载；2：用法错误（如 --usb-id 格式不对）。',
      en: 'Exit code 0: everything stored (or already in the vault); 1: a file failed, a folder or file on the camera could not be read, cancelled, the camera is unregistered, the folder is not a camera or does not exist, or no camera profile loads; 2: usage error (e.g. a malformed --usb-id).',
    },
  ],
  async run(ctx, v) {
    const folder = path.resolve(str(v.folder)!);
    // Checked before anything is offloaded: a mistyped id must not identify the copy as something else.
    const volume = folderVolume(v);
    const bar = ctx.out.progressBar(ctx.json);
    const files = new IngestRepository(ctx.station.db);
    let sessionId: number | null = null;
    const interrupt = new Interrupt(ctx, bar, () => sessionId);
    const off = ctx.connection.onEvent((event, payload) => {
      if (event === 'dock.identified') {
        sessionId ??= (payload as EventMap['dock.identified']).dockSessionId;
      } else if (event === 'ingest.progress') {
        const p = payload as IngestProgress;
        if (p.dockSessionId !== sessionId) return;
        interrupt.tryCancel();
        bar?.draw(ingestFraction(p), ingestProgressText(p));
        if (ctx.json) ctx.out.jsonLine({ type: 'progress', ...p });
      } else if (event === 'ingest.fileChanged' && ctx.json) {
        const { dockSessionId, fileId } = payload as EventMap['ingest.fileChanged'];
        const f = dockSessionId === sessionId ? files.file(fileId) : undefined;
        if (!f) return;
        ctx.out.jsonLine({
          type: 'file',
          dockSessionId,
          fileId,
          path: f.original_path,
          kind: f.kind,
          size: f.size,
          state: f.state,
          failureKind: f.failure_kind,
          failureMessage: f.failure_message,
          clipId: f.clip_id,
        });
      }
    });
    const started = performance.now();
    let outcome;
    try {
      outcome = await ctx.station.ingestFolder(folder, volume);
    } catch (e) {
      throw e instanceof StationError ? await notACamera(ctx, folder, volume, e) : e;
    } finally {
      off();
      interrupt.dispose();
      bar?.clear();
    }
    const detail = await call(ctx, 'dock.get', { id: outcome.dockSessionId });
    const report = await buildReport(ctx, v, folder, detail, outcome.summary, performance.now() - started, outcome.profileProblems);
    if (ctx.json) ctx.out.jsonLine(report);
    else ctx.out.answer(false, report, () => humanSummary(report));
    for (const line of skippedProfiles(report.profileProblems)) ctx.out.warn(line);

    if (report.state === 'unregistered') {
      ctx.out.warn(`未登记的执法记录仪 / Unregistered camera: ${report.serial ?? '—'}`);
      return EXIT.failed;
    }
    if (report.failed > 0) ctx.out.warn(`${report.failed} 个文件未能导出 / ${report.failed} file(s) could not be offloaded`);
    if (report.unread.length > 0) {
      ctx.out.warn(`记录仪上有 ${report.unread.length} 处未能读取 / ${report.unread.length} part(s) of the camera could not be read: ${report.unread.map((n) => n.path).join(', ')}`);
    }
    return report.state === 'done' && report.failed === 0 ? EXIT.ok : EXIT.failed;
  },
};
