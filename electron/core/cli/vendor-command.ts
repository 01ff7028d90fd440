// `station vendor-library show|set|clear|check`: where this station finds a
// camera model's vendor library (the 公安部 interface) and the device password
// its calls take. An
// administrator's setting: a library is native code the station will run, so
// only the CLI (the OS account that owns the data folder) sets it, audited as
// that account. The password is read from stdin or a file, never from the
// command line (shell history, `ps`), and is only ever shown as set / not set.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import { AuditLog } from '../audit/log.js';
import { Writer } from '../db/writer.js';
import { loadShippedAndSite, type ProfileSet } from '../docking/profile/load.js';
import type { CameraProfile } from '../docking/profile/schema.js';
import {
  changeVendorSettings,
  checkVendorLibrary,
  MAX_PASSWORD_LENGTH,
  vendorSettingProfiles,
  viewVendorSettings,
  type VendorLibraryCheck,
  type VendorSettingsChange,
  type VendorSettingsView,
} from '../docking/vendor/index.js';
import { EventBus } from '../events.js';
import type { Command, OptionSpec, Values } from './commands.js';
import type { CommandContext } from './context.js';
import { call } from './context.js';
import { CliError, EXIT, usageError } from './errors.js';
import type { Words } from './format.js';
import { labelled } from './format.js';

const GROUP = 'vendor-library';
const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

/** A profile's settings as shown, with what the station knows of the profile and the file. */
export interface VendorSettingsReport extends VendorSettingsView {
  /** The model's name, or null when no installed profile has this id (settings left from a removed one). */
  profileName: { 'zh-CN': string; en: string } | null;
  /** Whether the profile has a vendorLibrary section (else the settings are never used). */
  usesLibrary: boolean;
  /** Whether the library path names an existing file now. */
  libraryExists: boolean | null;
}

function report(ctx: CommandContext, profiles: readonly CameraProfile[], profileId: string): VendorSettingsReport {
  const view = viewVendorSettings(ctx.station.db, profileId);
  const profile = profiles.find((p) => p.id === profileId);
  let libraryExists: boolean | null = null;
  if (view.libraryPath) {
    try {
      libraryExists = statSync(view.libraryPath).isFile();
    } catch {
      libraryExists = false;
    }
  }
  return { ...view, profileName: profile ? profile.name : null, usesLibrary: profile?.vendorLibrary !== undefined, libraryExists };
}

function reportLines(r: VendorSettingsReport): Array<string | Words> {
  const name = r.profileName ? `${r.profileName['zh-CN']} / ${r.profileName.en}` : '未安装该型号配置 / no such profile installed';
  const lib =
    r.libraryPath === null
      ? '未设置 / not set'
      : `${r.libraryPath}${r.libraryExists ? '' : '  （文件不存在 / the file does not exist）'}`;
  return [
    `${r.profileId}: ${name}`,
    ...labelled([
      ['厂商库文件 library', lib],
      ['设备密码 password', r.passwordSet ? '已设置 / set' : '未设置 / not set'],
      ...(r.profileName && !r.usesLibrary ? [['注意 note', '该型号配置没有 vendorLibrary 部分，不会使用这些设置 / the profile has no vendorLibrary section; these settings are not used'] as const] : []),
    ]),
  ];
}

function checkLines(c: VendorLibraryCheck): Array<string | Words> {
  if (c.error) return [{ zh: `无法加载厂商库：${c.error.message.split(' / ')[0]}`, en: `The vendor library cannot be loaded: ${c.error.message.split(' / ').slice(1).join(' / ')}` }];
  const width = Math.max(0, ...c.functions.map((f) => f.function.length));
  return [
    c.ok
      ? { zh: '厂商库已加载，型号配置中的函数都找到了（未调用任何函数）。', en: "The vendor library loads and has every function the profile names (none was called)." }
      : { zh: '厂商库中缺少型号配置所列的函数：', en: 'The vendor library lacks functions the profile names:' },
    ...labelled(c.functions.map((f) => [f.duty, `${f.function.padEnd(width)}  ${f.found ? '有 / found' : '缺少 / missing'}`] as const)),
  ];
}

/** The password from --password-file: its first line (BOM and line end removed). */
function passwordFromFile(file: string): string {
  let text: string;
  try {
    if (statSync(file).size > 4096) throw new Error('larger than 4 KiB');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      'missing_input',
      `无法读取密码文件 ${file}：${(err as Error).message} / cannot read the password file ${file}: ${(err as Error).message}`,
      EXIT.failed,
    );
  }
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
}

/** The station's writer, for the one audited change this command makes (the core's own is not exposed). */
function writerOf(ctx: CommandContext): Writer {
  const { db, config } = ctx.station;
  return new Writer(db, new AuditLog(db, config.auditAnchorFile), new EventBus(), config.clock);
}

const profileOption = (required: boolean): OptionSpec => ({
  type: 'string',
  value: '<型号 profile>',
  required,
  help: required
    ? { zh: '型号配置的 id（profiles/<id>.json）', en: 'the camera profile id (profiles/<id>.json)' }
    : { zh: '型号配置的 id（profiles/<id>.json）；不给则列出全部', en: 'the camera profile id (profiles/<id>.json); without it, all are listed' },
});

const passwordNote: Words = {
  zh: '设备密码从不出现在命令行参数、审计记录或输出中：--password-stdin 在终端上不回显地输入两次、从管道读取一行；或用 --password-file。只显示“已设置/未设置”。设备密码按厂商库的要求以明文保存在采集站数据库中（厂商库调用需要原文），请保护好数据目录。',
  en: "The device password never appears in arguments, the audit log or any output: --password-stdin takes it typed twice without echo on a terminal, or one line from a pipe; or use --password-file. It is shown only as set / not set. It is stored in the station's database as the library needs it (its calls take the text itself): protect the data folder.",
};
const auditNote: Words = {
  zh: '只有系统管理员（运行本命令的、拥有数据目录的操作系统账户）可以更改；每次更改都记入审计（操作人为当前操作系统用户，不含密码）。',
  en: 'Only an administrator (the OS account that owns the data folder, running this command) may change these; every change is audited with the OS user as the actor, never with the password.',
};

/** As every call of the core: nothing before first-run setup. */
async function requireSetUp(ctx: CommandContext): Promise<void> {
  if (!(await call(ctx, 'station.status', {})).initialized) {
    throw new StationError('not_initialized', '本站尚未完成初始设置，请先创建管理员。 / The station is not set up yet; create the administrator first.');
  }
}

/** The installed profile `id`, which must use a vendor library (to set or check its settings). */
function vendorProfile(set: ProfileSet, id: string): CameraProfile & { vendorLibrary: NonNullable<CameraProfile['vendorLibrary']> } {
  const profile = set.profiles.find((p) => p.id === id);
  if (!profile) {
    const known = set.profiles.filter((p) => p.vendorLibrary).map((p) => p.id);
    throw new StationError(
      'not_found',
      `没有 id 为 ${id} 的型号配置（${set.dir}）。使用厂商库的型号：${known.join('、') || '无'}。 / There is no camera profile ${id} in ${set.dir}. Profiles that use a vendor library: ${known.join(', ') || 'none'}.`,
    );
  }
  if (!profile.vendorLibrary) {
    throw new StationError(
      'invalid_state',
      `型号配置 ${id} 没有 vendorLibrary 部分，不使用厂商库。 / The camera profile ${id} has no vendorLibrary section; it does not use a vendor library.`,
    );
  }
  return profile as CameraProfile & { vendorLibrary: NonNullable<CameraProfile['vendorLibrary']> };
}

/** Runs --check when asked, prints the settings (and the check), and answers the exit code. */
async function answer(ctx: CommandContext, set: ProfileSet, profileId: string, options: { saved: boolean; check: boolean }): Promise<number> {
  const r = report(ctx, set.profiles, profileId);
  let check: VendorLibraryCheck | null = null;
  if (options.check) {
    if (!r.libraryPath) throw new StationError('invalid_state', `${profileId} 尚未设置厂商库文件。 / No vendor library is set for ${profileId}.`);
    check = await checkVendorLibrary(vendorProfile(set, profileId).vendorLibrary, r.libraryPath);
  }
  ctx.out.answer(ctx.json, { ...r, ...(check ? { check } : {}) }, () => [
    ...(options.saved ? [{ zh: '已保存（已记入审计）。', en: 'Saved (audited).' } satisfies Words] : []),
    ...reportLines(r),
    ...(check ? ['', ...checkLines(check)] : []),
  ]);
  return check && !check.ok ? EXIT.failed : EXIT.ok;
}

const show: Command = {
  name: `${GROUP} show`,
  summary: { zh: '查看型号的厂商库与设备密码设置', en: "Show a model's vendor library and device password settings" },
  options: { profile: profileOption(false) },
  notes: [{ zh: '设备密码只显示“已设置/未设置”。', en: 'The device password is shown only as set / not set.' }],
  async run(ctx, v) {
    await requireSetUp(ctx);
    const set = (await loadShippedAndSite(ctx.station.config.profilesDir, ctx.station.config.siteProfilesDir)).set;
    const profileId = str(v.profile);
    if (profileId !== undefined) {
      if (!set.profiles.some((p) => p.id === profileId) && !vendorSettingProfiles(ctx.station.db).includes(profileId)) vendorProfile(set, profileId);
      return answer(ctx, set, profileId, { saved: false, check: false });
    }
    const ids = [...new Set([...set.profiles.filter((p) => p.vendorLibrary).map((p) => p.id), ...vendorSettingProfiles(ctx.station.db)])].sort();
    const reports = ids.map((id) => report(ctx, set.profiles, id));
    ctx.out.answer(ctx.json, { profiles: reports }, () =>
      reports.length === 0
        ? [{ zh: '没有使用厂商库的型号配置，也没有厂商库设置。', en: 'No camera profile uses a vendor library, and no vendor library is set.' }]
        : reports.flatMap((r, i) => [...(i > 0 ? [''] : []), ...reportLines(r)]),
    );
    return EXIT.ok;
  },
};

const setCommand: Command = {
  name: `${GROUP} set`,
  summary: { zh: '设置型号的厂商库文件和/或设备密码（系统管理员）', en: "Set a model's vendor library file and/or device password (administrator)" },
  options: {
    profile: profileOption(true),
    library: { type: 'string', value: '<文件 file>', help: { zh: '厂商库文件（.so / .dll）的路径，须已存在', en: 'path of the vendor library file (.so / .dll); must exist' } },
    'password-stdin': { type: 'boolean', help: { zh: '从标准输入读取设备密码', en: 'read the device password from stdin' } },
    'password-file': { type: 'string', value: '<文件 file>', help: { zh: '从文件的第一行读取设备密码', en: 'read the device password from the first line of a file' } },
    check: {
      type: 'boolean',
      help: { zh: '保存后加载厂商库并查找配置所列的每个函数（不调用）', en: 'after saving, load the library and look up every function the profile names (none is called)' },
    },
  },
  notes: [
    passwordNote,
    auditNote,
    { zh: '退出码 0：已保存；1：被拒绝，或 --check 发现厂商库无法加载或缺少函数（设置已保存）。', en: 'Exit code 0: saved; 1: refused, or --check found the library unloadable or lacking a function (the settings are saved).' },
  ],
  async run(ctx, v) {
    await requireSetUp(ctx);
    const profileId = str(v.profile)!;
    const library = str(v.library);
    const passwordFile = str(v['password-file']);
    if (v['password-stdin'] === true && passwordFile !== undefined) {
      throw usageError('--password-stdin 与 --password-file 只能用一个。 / Use one of --password-stdin and --password-file.', setCommand.name);
    }
    const wantsPassword = v['password-stdin'] === true || passwordFile !== undefined;
    if (library === undefined && !wantsPassword) {
      throw usageError('请给出 --library、--password-stdin 或 --password-file。 / Give --library, --password-stdin or --password-file.', setCommand.name);
    }
    const set = (await loadShippedAndSite(ctx.station.config.profilesDir, ctx.station.config.siteProfilesDir)).set;
    vendorProfile(set, profileId);
    const change: VendorSettingsChange = {};
    if (library !== undefined) {
      const file = path.resolve(library);
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {}
      // A mistyped path would only be found at the next dock, by a custodian who cannot fix it.
      if (!isFile) throw new StationError('not_found', `厂商库文件不存在：${file} / The vendor library file does not exist: ${file}`);
      change.libraryPath = file;
    }
    if (wantsPassword) {
      const password = passwordFile !== undefined ? passwordFromFile(passwordFile) : await ctx.secrets.newSecret({ zh: '设备密码', en: 'device password' }, 1);
      if (password === '') {
        throw new StationError('invalid_input', `设备密码为空；没有密码请用 station ${GROUP} clear --password。 / The device password is empty; for none, use station ${GROUP} clear --password.`);
      }
      if (password.length > MAX_PASSWORD_LENGTH) {
        throw new StationError('invalid_input', `设备密码最多 ${MAX_PASSWORD_LENGTH} 个字符。 / The device password is at most ${MAX_PASSWORD_LENGTH} characters.`);
      }
      change.password = password;
    }
    changeVendorSettings({ db: ctx.station.db, writer: writerOf(ctx) }, { actor: ctx.actor }, profileId, change);
    return answer(ctx, set, profileId, { saved: true, check: v.check === true });
  },
};

const clear: Command = {
  name: `${GROUP} clear`,
  summary: { zh: '删除型号的厂商库文件和/或设备密码设置（系统管理员）', en: "Remove a model's vendor library and/or device password settings (administrator)" },
  options: {
    profile: profileOption(true),
    library: { type: 'boolean', help: { zh: '只删除厂商库文件设置', en: 'remove only the library setting' } },
    password: { type: 'boolean', help: { zh: '只删除设备密码', en: 'remove only the device password' } },
  },
  notes: [
    { zh: '不给 --library 或 --password 时两者都删除。也可删除已移除的型号配置留下的设置。', en: 'Without --library or --password, both are removed. Settings a removed profile left behind may be cleared too.' },
    auditNote,
  ],
  async run(ctx, v) {
    await requireSetUp(ctx);
    const profileId = str(v.profile)!;
    const set = (await loadShippedAndSite(ctx.station.config.profilesDir, ctx.station.config.siteProfilesDir)).set;
    // Settings a removed profile left behind may be cleared; anything else needs the profile.
    if (!vendorSettingProfiles(ctx.station.db).includes(profileId)) vendorProfile(set, profileId);
    const both = v.library !== true && v.password !== true;
    const change: VendorSettingsChange = {};
    if (both || v.library === true) change.libraryPath = null;
    if (both || v.password === true) change.password = null;
    changeVendorSettings({ db: ctx.station.db, writer: writerOf(ctx) }, { actor: ctx.actor }, profileId, change);
    return answer(ctx, set, profileId, { saved: true, check: false });
  },
};

const check: Command = {
  name: `${GROUP} check`,
  summary: { zh: '检查型号的厂商库能否加载、函数是否齐全', en: "Check that a model's vendor library loads and has every function" },
  options: { profile: profileOption(true) },
  notes: [
    {
      zh: '在单独的进程中加载厂商库，查找型号配置所列的每个函数，不调用任何函数，不需要接记录仪。退出码 0：齐全；1：无法加载或缺少函数。',
      en: 'Loads the library in a process of its own and looks up every function the profile names; calls none, and needs no camera. Exit code 0: all there; 1: unloadable or a function is missing.',
    },
  ],
  async run(ctx, v) {
    await requireSetUp(ctx);
    const profileId = str(v.profile)!;
    const set = (await loadShippedAndSite(ctx.station.config.profilesDir, ctx.station.config.siteProfilesDir)).set;
    vendorProfile(set, profileId);
    return answer(ctx, set, profileId, { saved: false, check: true });
  },
};

export const vendorLibraryCommands: readonly Command[] = [show, setCommand, clear, check];
