import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StationError } from '../../../shared/errors.js';
import { osActor } from '../audit/actor.js';
import { resolveConfig } from '../config.js';
import { defaultDataDir } from '../paths.js';
import { ProfileError } from '../docking/profile/index.js';
import type { Station } from '../station.js';
import { createStation } from '../station.js';
import { STATION_VERSION } from '../version.js';
import type { Command, Values } from './commands.js';
import { commands } from './commands.js';
import { Output } from './context.js';
import { CliError, EXIT, exitCodeOf, profileErrorBody, profileProblemLines, usageError } from './errors.js';
import { commandHelp, generalHelp, groupHelp } from './help.js';
import { SecretInput } from './input.js';

/** Options every command takes. */
export const commonOptions = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The OS account running the CLI: the actor of every audit row it writes. */
export function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment or the uid still names the account.
    return process.env.USER || process.env.USERNAME || `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * TEST ONLY. `STATION_SCRYPT_COST` lowers the scrypt cost for secrets hashed
 * in this CLI run, so the integration tests do not spend a second per
 * password. Only the CLI reads it, never the app; the cost is stored with each
 * hash, so a secret set this way stays cheap to attack, hence the warning.
 */
function scryptCostFromEnv(env: NodeJS.ProcessEnv, out: Output): number | undefined {
  const raw = env.STATION_SCRYPT_COST;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 ** 10 || n > 2 ** 20 || (n & (n - 1)) !== 0) {
    throw usageError('STATION_SCRYPT_COST 须为 2^10 到 2^20 之间的 2 的幂。 / STATION_SCRYPT_COST must be a power of two from 2^10 to 2^20.');
  }
  out.warn(`警告：STATION_SCRYPT_COST=${n} 仅供测试使用。 / Warning: STATION_SCRYPT_COST=${n} is for tests only.`);
  return n;
}

/** `users`, `devices`, `audit`: words that only make sense with a sub-command. */
const groups = [...new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];

/**
 * The options every command takes, when written before the command (`station --data /srv/st
 * ingest /media/cam`, as git and most tools allow): moved behind it, where the command's own
 * parse checks them. Without this the command word after them was taken for an argument and
 * the answer was "no command given".
 */
function leadingCommonOptions(argv: readonly string[]): { lead: string[]; remaining: string[] } {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--json' || a.startsWith('--data=')) i += 1;
    else if (a === '--data') i += Math.min(2, argv.length - i);
    else break;
  }
  return { lead: argv.slice(0, i), remaining: argv.slice(i) };
}

/** Splits `users add --badge …` into the command and its flags. */
function resolve(all: readonly string[]): { kind: 'command'; command: Command; rest: string[] } | { kind: 'done'; exit: number } {
  const { lead, remaining: argv } = leadingCommonOptions(all);
  const firstFlag = argv.findIndex((a) => a.startsWith('-'));
  const words = firstFlag === -1 ? [...argv] : argv.slice(0, firstFlag);
  const rest = [...(firstFlag === -1 ? [] : argv.slice(firstFlag)), ...lead];
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  const out = new Output();

  if (words.length === 0) {
    if (rest.includes('--version')) {
      out.raw(`${STATION_VERSION}\n`);
      return { kind: 'done', exit: EXIT.ok };
    }
    if (wantsHelp) {
      out.raw(generalHelp());
      return { kind: 'done', exit: EXIT.ok };
    }
    if (all.length === 0) {
      out.raw(generalHelp(), 'stderr');
      return { kind: 'done', exit: EXIT.usage };
    }
    throw usageError('缺少命令。 / No command given.');
  }
  if (words[0] === 'help') {
    const name = words.slice(1).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) out.raw(commandHelp(command));
    else if (groups.includes(name)) out.raw(groupHelp(name));
    else if (name === '') out.raw(generalHelp());
    else throw usageError(`没有命令 “${name}”。 / There is no command “${name}”.`);
    return { kind: 'done', exit: EXIT.ok };
  }
  // The longest run of leading words that names a command; the words after it are its argument
  // (`station ingest /media/cam --data …`), checked against what the command takes when parsed.
  for (let n = words.length; n >= 1; n--) {
    const command = commands.find((c) => c.name === words.slice(0, n).join(' '));
    if (command) return { kind: 'command', command, rest: [...words.slice(n), ...rest] };
  }
  const name = words.join(' ');
  if (words.length === 1 && groups.includes(name)) {
    if (wantsHelp) {
      out.raw(groupHelp(name));
      return { kind: 'done', exit: EXIT.ok };
    }
    const members = commands.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name);
    throw usageError(`“${name}” 需要子命令：${members.join('、')}。 / “${name}” needs a sub-command: ${members.join(', ')}.`, name);
  }
  throw usageError(`没有命令 “${name}”。 / There is no command “${name}”.`);
}

function parse(command: Command, rest: string[]): Values {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple ?? false, ...(o.short ? { short: o.short } : {}) }]),
  );
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: rest, options: { ...options, ...commonOptions }, strict: true, allowPositionals: true });
    values = parsed.values as Values;
    positionals = parsed.positionals;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      throw usageError(`命令行参数有误。 / Bad arguments: ${(e as Error).message}`, command.name);
    }
    throw e;
  }
  if (values.help) return values;
  const argument = command.argument;
  if (!argument && positionals.length > 0) {
    throw usageError(`station ${command.name} 不接受参数 “${positionals[0]}”。 / station ${command.name} takes no argument “${positionals[0]}”.`, command.name);
  }
  if (argument) {
    if (positionals.length === 0) throw usageError(`缺少 ${argument.value}。 / Missing ${argument.value}.`, command.name);
    if (positionals.length > 1) {
      throw usageError(
        `只能给一个 ${argument.value}，多出了 “${positionals[1]}”。 / Only one ${argument.value} may be given; “${positionals[1]}” is one too many.`,
        command.name,
      );
    }
    values[argument.name] = positionals[0];
  }
  const missing = Object.entries(command.options)
    .filter(([k, o]) => o.required && (values[k] === undefined || (Array.isArray(values[k]) && values[k].length === 0)))
    .map(([k]) => `--${k}`);
  if (missing.length > 0) {
    throw usageError(`缺少必填选项：${missing.join('、')}。 / Missing required option(s): ${missing.join(', ')}.`, command.name);
  }
  return values;
}

/** What the embedding process may set on the station the CLI opens, besides its folders. */
export interface CliStationOptions {
  /**
   * The camera profiles folder; the repository's profiles/ when not given, as for the app. Tests
   * point it at a folder of their own (a bad profile) without touching the shipped ones.
   */
  profilesDir?: string;
}

function openStation(command: Command, dataDir: string, vaultDir: string | undefined, scryptCost: number | undefined, options: CliStationOptions): Station {
  const config = resolveConfig({ dataDir });
  // Anything but `init` on a folder without a database is almost always a mistyped --data:
  // say so instead of quietly creating an empty station there.
  if (!command.createsStation && !fs.existsSync(config.databaseFile)) {
    throw new CliError(
      'no_station',
      `${dataDir} 中没有采集站数据库；请先运行 station init，或用 --data 指定正确的数据目录。 / There is no station database in ${dataDir}; run station init first, or point --data at the right folder.`,
      EXIT.unavailable,
    );
  }
  // A mistyped --vault must not quietly become a new, empty vault (the station creates its default one).
  if (vaultDir !== undefined && !isDirectory(vaultDir)) {
    throw new CliError(
      'no_vault',
      `没有证据库目录 ${vaultDir}；请检查 --vault（证据库所在磁盘是否已挂载）。 / There is no vault folder ${vaultDir}; check --vault (is the vault's disk mounted?).`,
      EXIT.unavailable,
    );
  }
  try {
    return createStation({
      dataDir,
      // A CLI run closes the station when its command ends, which would kill posters half made:
      // the app (or a later viewer's request) makes them (media/thumbnails.ts makeNow).
      thumbnails: false,
      ...(vaultDir !== undefined ? { vaultDir } : {}),
      ...(scryptCost ? { scryptCost } : {}),
      ...(options.profilesDir !== undefined ? { profilesDir: options.profilesDir } : {}),
    });
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw new CliError(
      'cannot_open',
      `无法打开 ${dataDir} 中的采集站：${(e as Error).message}。请检查目录权限和磁盘。 / Cannot open the station in ${dataDir}: ${(e as Error).message}. Check the folder's permissions and the disk.`,
      EXIT.unavailable,
    );
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Follow-up advice for errors whose core message speaks to a window user. */
const hints: Partial<Record<string, string>> = {
  not_initialized: '请先运行 station init --admin-badge <警号> --admin-name <姓名>。 / Run station init --admin-badge <badge> --admin-name <name> first.',
  profile_invalid:
    '请按 docs/camera-profiles.md 修正上列文件（npm run profile:check -- <文件> 逐个检查），然后重试。 / Correct the files above as docs/camera-profiles.md describes (npm run profile:check -- <file> checks one), then try again.',
};

function report(e: unknown, json: boolean, out: Output): number {
  let body: { code: string; message: string; details?: unknown };
  let exit: number;
  let hint: string | undefined;
  if (e instanceof CliError) {
    body = { code: e.code, message: e.message };
    exit = e.exitCode;
    if (e.code === 'usage') {
      const cmd = e.command ? `station ${e.command} --help` : 'station --help';
      hint = `运行 ${cmd} 查看用法。 / Run ${cmd} for usage.`;
    }
  } else if (e instanceof StationError) {
    body = e.toBody();
    exit = exitCodeOf(e);
    hint = hints[e.code];
  } else if (e instanceof ProfileError) {
    body = profileErrorBody(e);
    exit = EXIT.failed;
    hint = hints[body.code];
  } else {
    body = { code: 'internal', message: `意外错误，可能未完成操作。 / Unexpected error; the command may not have finished: ${(e as Error)?.message ?? String(e)}` };
    exit = EXIT.failed;
  }
  if (json) {
    out.raw(`${JSON.stringify({ ok: false, error: body })}\n`, 'stderr');
    return exit;
  }
  out.warn(`错误 / Error [${body.code}]: ${body.message}`);
  // Which profile file, which field, what is wrong: one line each.
  if (e instanceof ProfileError) for (const line of profileProblemLines(e.problems)) out.warn(line);
  const issues = (body.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
  for (const i of issues ?? []) out.warn(`  - ${i.path || '(input)'}: ${i.message}`);
  // Why a folder was not recognised as a camera: one line per camera profile's verdict.
  const reasons = (body.details as { reasons?: unknown } | undefined)?.reasons;
  if (Array.isArray(reasons)) for (const r of reasons) out.warn(`  - ${String(r)}`);
  if (hint) out.warn(hint);
  return exit;
}

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, stationOptions: CliStationOptions = {}): Promise<number> {
  const json = argv.includes('--json');
  const out = new Output();
  const secrets = new SecretInput();
  let station: Station | null = null;
  try {
    const resolved = resolve(argv);
    if (resolved.kind === 'done') return resolved.exit;
    const { command, rest } = resolved;
    const values = parse(command, rest);
    if (values.help) {
      out.raw(commandHelp(command));
      return EXIT.ok;
    }
    const dataDir = path.resolve(typeof values.data === 'string' ? values.data : defaultDataDir());
    const vaultDir = typeof values.vault === 'string' ? path.resolve(values.vault) : undefined;
    station = openStation(command, dataDir, vaultDir, scryptCostFromEnv(env, out), stationOptions);
    const actor = osActor(osUserName());
    const connection = station.connect({ kind: 'os', actor });
    try {
      return await command.run(
        { station, connection, actor, dataDir, timeZone: station.config.timeZone, json: values.json === true, secrets, out },
        values,
      );
    } finally {
      connection.close();
    }
  } catch (e) {
    return report(e, json, out);
  } finally {
    await station?.close();
    secrets.close();
  }
}
