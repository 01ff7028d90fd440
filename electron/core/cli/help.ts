import { defaultDataDir } from '../paths.js';
import type { Command, OptionSpec } from './commands.js';
import { commands } from './commands.js';
import { displayWidth } from './format.js';

const commonOptionHelp = (): Array<[string, string]> => [
  ['--data <目录 folder>', `采集站数据目录，默认与桌面程序相同 / the station's data folder, by default the app's own:\n${defaultDataDir()}`],
  ['--json', '输出机器可读的 JSON；出错时 stderr 为一行 {"ok":false,"error":{…}} / machine-readable JSON; on error, stderr holds one line {"ok":false,"error":{…}}'],
  ['-h, --help', '显示帮助 / show this help'],
];

const EXIT_CODES = [
  '退出码 / Exit codes:',
  '  0  成功（audit verify：审计链完整；加 --seal：仍包含封存时的内容） / success (audit verify: the chain is intact; with --seal: the station still holds what was sealed)',
  '  1  被采集站拒绝或失败；audit verify、verify：发现问题 / refused by the station or failed; audit verify, verify: a problem was found',
  '  2  用法错误：未知命令或选项、缺少选项、未知角色 / usage error: unknown command or option, missing option, unknown role',
  '  3  无法打开采集站：目录中没有数据库、数据库版本更新或无法读取，或 --vault 目录不存在 / the station could not be opened: no database in the folder, a newer database, unreadable, or no --vault folder',
];

/** Two columns, the second wrapped under itself when a cell has several lines. */
function columns(rows: Array<[string, string]>): string[] {
  const width = Math.max(...rows.map(([a]) => displayWidth(a))) + 2;
  return rows.flatMap(([a, b]) => {
    const [first, ...more] = b.split('\n');
    return [`  ${a}${' '.repeat(width - displayWidth(a))}${first}`, ...more.map((m) => `  ${' '.repeat(width)}${m}`)];
  });
}

const flag = (name: string, o: OptionSpec) => `--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;

function usageLine(c: Command): string {
  const parts = Object.entries(c.options).map(([k, o]) => {
    const f = flag(k, o) + (o.multiple ? ' …' : '');
    return o.required ? f : `[${f}]`;
  });
  return `station ${c.name} ${[...(c.argument ? [c.argument.value] : []), ...parts, '[--data <目录 folder>]', '[--json]'].join(' ')}`;
}

export function generalHelp(): string {
  return [
    'station —— 执法记录仪证据采集站命令行 / the evidence station on the command line',
    '',
    '用法 / Usage: station <命令 command> [参数 argument] [选项 options]',
    '',
    '命令 / Commands:',
    ...columns(commands.map((c) => [c.name, `${c.summary.zh} / ${c.summary.en}`])),
    '',
    '通用选项 / Common options:',
    ...columns(commonOptionHelp()),
    '',
    ...EXIT_CODES,
    '',
    '各命令加 --help 查看详细用法，例如 station users add --help。 / Add --help to a command for details, e.g. station users add --help.',
    '',
  ].join('\n');
}

export function groupHelp(group: string): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  return [
    `station ${group} <子命令 sub-command>`,
    '',
    ...columns(members.map((c) => [c.name, `${c.summary.zh} / ${c.summary.en}`])),
    '',
    `各子命令加 --help 查看用法。 / Add --help to a sub-command for its usage.`,
    '',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  const own = Object.entries(c.options).map(([k, o]): [string, string] => [
    flag(k, o),
    `${o.help.zh}${o.required ? '（必填）' : ''} / ${o.help.en}${o.required ? ' (required)' : ''}`,
  ]);
  // The argument comes first, as in the usage line; it may come before or after the options.
  if (c.argument) own.unshift([c.argument.value, `${c.argument.help.zh}（必填） / ${c.argument.help.en} (required)`]);
  return [
    `station ${c.name} —— ${c.summary.zh} / ${c.summary.en}`,
    '',
    '用法 / Usage:',
    `  ${usageLine(c)}`,
    '',
    '选项 / Options:',
    ...columns([...own, ...commonOptionHelp()]),
    ...(c.notes?.length ? ['', '说明 / Notes:', ...c.notes.flatMap((n) => [`  ${n.zh}`, `  ${n.en}`])] : []),
    '',
    ...EXIT_CODES,
    '',
  ].join('\n');
}
