import type { z } from 'zod';
import { contract, newPinSchema } from '../../../shared/contract.js';
import type { AuditEntry, Device, DeviceDetail, Person } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Role } from '../../../shared/roles.js';
import { roles } from '../../../shared/roles.js';
import { deviceStatuses } from '../../../shared/domain.js';
import { checkNewPin } from '../people/secrets.js';
import { ingest } from './ingest-command.js';
import { adoptVault, rebuildIndex, verify } from './vault-commands.js';
import { vendorLibraryCommands } from './vendor-command.js';
import { auditSeal, sealText, verifySealCommand } from './seal-commands.js';
import type { CommandContext } from './context.js';
import { call } from './context.js';
import { EXIT, usageError } from './errors.js';
import type { Words } from './format.js';
import { breakWords, formatTime, parseRole, parseStatus, personLabel, roleList, roleWords, statusWords, table } from './format.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder in help: `<警号 badge>`. */
  value?: string;
  required?: boolean;
  help: Words;
}

/** The one word a command takes without a flag (`station ingest <folder>`); required when declared. */
export interface ArgumentSpec {
  /** The key the parsed value is stored under in Values. */
  name: string;
  /** Placeholder in help: `<目录 folder>`. */
  value: string;
  help: Words;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  /** The words typed after `station`: `users add`. */
  name: string;
  summary: Words;
  options: Record<string, OptionSpec>;
  argument?: ArgumentSpec;
  /** Further help lines (stdin, exit codes specific to this command). */
  notes?: Words[];
  /** `init` makes the station; every other command refuses a folder without one. */
  createsStation?: boolean;
  run(ctx: CommandContext, values: Values): Promise<number>;
}

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: Values[string]): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

/**
 * Field checks before anything is asked on the terminal, with the contract's
 * own schemas, so no one types a password twice only to hear the badge was
 * malformed. The core checks again when the call is made.
 */
function precheck(schema: z.ZodType, value: unknown, field?: string): void {
  const r = schema.safeParse(value);
  if (r.success) return;
  const issues = r.error.issues.map((i) => ({ path: [...(field ? [field] : []), ...i.path.map(String)].join('.'), message: i.message }));
  const fields = [...new Set(issues.map((i) => i.path || '(input)'))].join(', ');
  throw new StationError('invalid_input', `输入有误：${fields}。请检查后重试。 / Invalid input: ${fields}. Check and try again.`, { issues });
}

/** A person by 警号, through the contract (people.list) like any other reader. */
async function personByBadge(ctx: CommandContext, badge: string): Promise<Person> {
  const wanted = badge.trim().toLowerCase();
  const found = (await call(ctx, 'people.list', { query: badge.trim(), includeInactive: true })).find(
    (p) => p.badge.toLowerCase() === wanted,
  );
  if (!found) {
    throw new StationError('not_found', `没有警号为 ${badge} 的人员；请先用 station users add 登记。 / No person with badge number ${badge}; register them first with station users add.`, {
      field: 'keeper',
    });
  }
  return found;
}

const init: Command = {
  name: 'init',
  summary: { zh: '首次设置：创建系统管理员', en: 'First-run setup: create the administrator' },
  createsStation: true,
  options: {
    'admin-badge': { type: 'string', value: '<警号 badge>', required: true, help: { zh: '管理员警号', en: "the administrator's badge number" } },
    'admin-name': { type: 'string', value: '<姓名 name>', required: true, help: { zh: '管理员姓名', en: "the administrator's name" } },
    'admin-unit': { type: 'string', value: '<单位 unit>', help: { zh: '所属单位（可选）', en: 'their unit (optional)' } },
  },
  notes: [
    {
      zh: '新密码（至少 10 个字符）：在终端上不回显地输入两次；从管道或文件读取时，需连续两行相同的密码。',
      en: 'The new password (at least 10 characters) is typed twice without echo on a terminal; from a pipe or file, give it on two identical lines.',
    },
    {
      zh: '审计记录的操作人是当前操作系统用户（os:<用户名>）。',
      en: 'The audit log names the operating-system user (os:<username>) as the actor.',
    },
  ],
  async run(ctx, v) {
    const input = { badge: str(v['admin-badge'])!, name: str(v['admin-name'])!, unit: str(v['admin-unit']) };
    // Refuse before asking for a password that could not be used anyway.
    if ((await call(ctx, 'station.status', {})).initialized) {
      throw new StationError(
        'already_initialized',
        `${ctx.dataDir} 中的采集站已完成初始设置；新增人员请用 station users add。 / The station in ${ctx.dataDir} is already set up; add people with station users add.`,
      );
    }
    precheck(contract['station.setup'].input.pick({ badge: true, name: true, unit: true }), input);
    const password = await ctx.secrets.newSecret({ zh: '新密码', en: 'new password' }, 2);
    const session = await call(ctx, 'station.setup', { ...input, password });
    const admin = personLabel(session.person);
    ctx.out.answer(ctx.json, session.person, () => [
      {
        zh: `本站已初始化，系统管理员：${admin.zh}。审计记录的操作人：${ctx.actor.label}。`,
        en: `Station set up; administrator ${admin.en}. Recorded in the audit log as ${ctx.actor.label}.`,
      },
      `数据目录 / Data folder: ${ctx.dataDir}`,
    ]);
    return EXIT.ok;
  },
};

const usersAdd: Command = {
  name: 'users add',
  summary: { zh: '登记人员并发放一次性 PIN', en: 'Register a person and issue a one-time PIN' },
  options: {
    badge: { type: 'string', value: '<警号 badge>', required: true, help: { zh: '警号', en: 'badge number' } },
    name: { type: 'string', value: '<姓名 name>', required: true, help: { zh: '姓名', en: 'name' } },
    role: {
      type: 'string',
      multiple: true,
      value: '<角色 role>',
      required: true,
      help: {
        zh: `角色，可重复：${roles.map((r) => `${r}（${roleWords[r].zh}）`).join('、')}`,
        en: `role, may be repeated: ${roles.join(', ')} (or the Chinese name)`,
      },
    },
    unit: { type: 'string', value: '<单位 unit>', help: { zh: '所属单位（可选）', en: 'unit (optional)' } },
    'pin-stdin': {
      type: 'boolean',
      help: { zh: '不生成 PIN，而是从标准输入读取（6–12 位数字）', en: 'read the PIN (6–12 digits) from stdin instead of generating one' },
    },
  },
  notes: [
    {
      zh: '无论 PIN 是生成的还是读入的，都是一次性的：本人首次登录时必须改成自己的 PIN。',
      en: 'Generated or read, the PIN is one-time: the person must replace it with their own at first login.',
    },
    {
      zh: '--pin-stdin：在终端上不回显地输入两次；从管道读取时读一行。',
      en: '--pin-stdin: typed twice without echo on a terminal; one line when piped.',
    },
  ],
  async run(ctx, v) {
    const chosenRoles: Role[] = [];
    for (const text of list(v.role).flatMap((r) => r.split(/[,，、]/)).filter((r) => r.trim())) {
      const role = parseRole(text);
      if (!role) {
        throw usageError(
          `未知角色 “${text}”。可用角色：${roles.map((r) => `${r}（${roleWords[r].zh}）`).join('、')}。 / Unknown role “${text}”. Roles: ${roles.join(', ')}.`,
          'users add',
        );
      }
      if (!chosenRoles.includes(role)) chosenRoles.push(role);
    }
    const input = { badge: str(v.badge)!, name: str(v.name)!, unit: str(v.unit), roles: chosenRoles };
    precheck(contract['people.create'].input, input);

    let chosenPin: string | null = null;
    if (v['pin-stdin'] === true) {
      chosenPin = (await ctx.secrets.newSecret({ zh: 'PIN', en: 'PIN' }, 1)).trim();
      // Checked before the person exists, so a rejected PIN leaves no half-made account behind.
      precheck(newPinSchema, chosenPin, 'pin');
      checkNewPin(chosenPin, input.badge.trim());
    }

    const created = await call(ctx, 'people.create', input);
    const person = chosenPin === null ? created.person : await ctx.station.setChosenPin({ kind: 'os', actor: ctx.actor }, created.person.id, chosenPin);
    const who = personLabel(person);
    const rs = roleList(person.roles);
    // 系统管理员, 综合处 and 部门负责人 wait for a second person when the station has one (people/grants.ts).
    const pendingRoles = chosenRoles.filter((r) => !person.roles.includes(r));
    const waiting = roleList(pendingRoles);
    ctx.out.answer(ctx.json, { person, pendingRoles, ...(chosenPin === null ? { oneTimePin: created.oneTimePin } : {}) }, () => [
      { zh: `已登记 ${who.zh}，角色：${person.roles.length > 0 ? rs.zh : '（无）'}。`, en: `Registered ${who.en}, roles: ${person.roles.length > 0 ? rs.en : '(none)'}.` },
      ...(pendingRoles.length > 0
        ? [
            {
              zh: `待确认：${waiting.zh} —— 须由另一名系统管理员或部门负责人在本站登录后，在“人员管理”中确认才生效。`,
              en: `Awaiting confirmation: ${waiting.en} — takes effect when another administrator or department head confirms it under People at the station.`,
            },
          ]
        : []),
      chosenPin === null
        ? {
            zh: `一次性 PIN：${created.oneTimePin} —— 只显示这一次；本人首次登录时必须改成自己的 PIN。`,
            en: `One-time PIN: ${created.oneTimePin} — shown only this once; it must be changed at first login.`,
          }
        : {
            zh: '已设置读入的 PIN（一次性）：本人首次登录时必须改成自己的 PIN。',
            en: 'The PIN read from stdin is set (one-time): it must be changed at first login.',
          },
    ]);
    return EXIT.ok;
  },
};

const keeperWords = (d: Device): Words => (d.keeper ? personLabel(d.keeper) : { zh: '—', en: '—' });

const devicesAdd: Command = {
  name: 'devices add',
  summary: { zh: '登记执法记录仪（第六条）', en: 'Register a camera (article 6)' },
  options: {
    serial: { type: 'string', value: '<产品序号 serial>', required: true, help: { zh: '产品序号', en: 'product serial number' } },
    model: { type: 'string', value: '<型号 model>', help: { zh: '型号（可选）', en: 'model (optional)' } },
    keeper: { type: 'string', value: '<警号 badge>', help: { zh: '定人保管人的警号（可选）', en: "the fixed keeper's badge number (optional)" } },
    note: { type: 'string', value: '<备注 note>', help: { zh: '备注（可选）', en: 'note (optional)' } },
  },
  async run(ctx, v) {
    const keeperBadge = str(v.keeper);
    const keeper = keeperBadge === undefined ? undefined : await personByBadge(ctx, keeperBadge);
    const device: DeviceDetail = await call(ctx, 'devices.register', {
      serial: str(v.serial)!,
      model: str(v.model),
      keeperId: keeper?.id,
      note: str(v.note),
    });
    const k = keeperWords(device);
    ctx.out.answer(ctx.json, device, () => [
      {
        zh: `已登记执法记录仪 ${device.serial}（型号：${device.model ?? '—'}），定人保管：${k.zh}。`,
        en: `Registered camera ${device.serial} (model: ${device.model ?? '—'}), keeper: ${k.en}.`,
      },
    ]);
    return EXIT.ok;
  },
};

const devicesList: Command = {
  name: 'devices list',
  summary: { zh: '列出执法记录仪', en: 'List cameras' },
  options: {
    status: {
      type: 'string',
      value: '<状态 status>',
      help: { zh: `只列此状态：${deviceStatuses.map((s) => `${s}（${statusWords[s].zh}）`).join('、')}`, en: `only this status: ${deviceStatuses.join(', ')}` },
    },
    query: { type: 'string', value: '<文字 text>', help: { zh: '按产品序号、型号或保管人姓名筛选', en: 'filter by serial, model or keeper name' } },
  },
  async run(ctx, v) {
    const statusText = str(v.status);
    const status = statusText === undefined ? undefined : parseStatus(statusText);
    if (statusText !== undefined && !status) {
      throw usageError(`未知状态 “${statusText}”。 / Unknown status “${statusText}”. (${deviceStatuses.join(', ')})`, 'devices list');
    }
    const devices = await call(ctx, 'devices.list', { status, query: str(v.query) });
    ctx.out.answer(ctx.json, devices, () =>
      devices.length === 0
        ? [{ zh: '没有符合条件的执法记录仪。', en: 'No cameras match.' }]
        : [
            ...table(
              ['产品序号 Serial', '型号 Model', '状态 Status', '定人保管 Keeper', '登记时间 Registered'],
              devices.map((d) => [
                d.serial,
                d.model ?? '—',
                `${statusWords[d.status].zh} ${statusWords[d.status].en}`,
                keeperWords(d).zh,
                formatTime(d.createdAt, ctx.timeZone),
              ]),
            ),
            `共 ${devices.length} 台；时间为 ${ctx.timeZone} 时区。 / ${devices.length} camera(s); times in ${ctx.timeZone}.`,
          ],
    );
    return EXIT.ok;
  },
};

/** The row as it is stored now, to show next to a break; absent when it was removed. */
async function storedRow(ctx: CommandContext, seq: number): Promise<AuditEntry | undefined> {
  try {
    const page = await call(ctx, 'audit.list', { beforeSeq: seq + 1, limit: 1 });
    return page.entries.find((e) => e.seq === seq);
  } catch {
    // A row edited into unreadable JSON cannot be shown; the verdict stands without it.
    return undefined;
  }
}

const auditVerify: Command = {
  name: 'audit verify',
  summary: { zh: '校验审计链', en: 'Verify the audit chain' },
  options: {
    seal: {
      type: 'string',
      value: '<封存码或二维码内容 code or QR text>',
      help: {
        zh: '改为核验一份封存：封存单上的 32 位封存码（空格、短横、大小写不限），或其二维码的内容',
        en: "verify a seal instead: the 32-character code on the seal sheet (spaces, dashes and case ignored), or its QR code's text",
      },
    },
  },
  notes: [
    {
      zh: '退出码 0：审计链完整；1：审计链已损坏（列出第一条出问题的记录）或无法校验；2：用法错误；3：无法打开采集站。',
      en: 'Exit code 0: the chain is intact; 1: the chain is broken (the first broken row is named) or could not be checked; 2: usage error; 3: the station could not be opened.',
    },
    {
      zh: '--seal：整条审计链连同锚点文件被改写后，链本身仍“完整”；封存单记下了当时的记录头和当日片段，能发现这种改写。退出码 0：仍包含封存时的内容；1：列出不符之处。',
      en: '--seal: a chain rewritten whole, anchor file and all, is still "intact" by itself; the seal sheet recorded the head and the day\'s clips, and catches such a rewrite. Exit code 0: the station still holds what was sealed; 1: what differs is listed.',
    },
  ],
  async run(ctx, values) {
    const seal = sealText(values.seal);
    if (seal !== null) return verifySealCommand(ctx, seal);
    const v = await call(ctx, 'audit.verify', {});
    if (v.intact) {
      const head = v.headSeq === null ? undefined : await storedRow(ctx, v.headSeq);
      const at = head ? `${formatTime(head.at, ctx.timeZone)} ${ctx.timeZone}` : '';
      ctx.out.answer(ctx.json, v, () => [
        v.rows === 0
          ? { zh: '审计链完整：尚无记录。', en: 'Audit chain intact: no rows yet.' }
          : {
              zh: `审计链完整：共 ${v.rows} 条记录，最新为 #${v.headSeq}（${at}）。`,
              en: `Audit chain intact: ${v.rows} rows; the latest is #${v.headSeq} (${at}).`,
            },
      ]);
      return EXIT.ok;
    }
    const row = await storedRow(ctx, v.firstBrokenSeq);
    const why = breakWords[v.reason];
    ctx.out.answer(ctx.json, v, () => [
      {
        zh: `审计链已损坏！第一条出问题的记录：#${v.firstBrokenSeq}（${why.zh}，${v.reason}）。`,
        en: `Audit chain BROKEN. First broken row: #${v.firstBrokenSeq} (${why.en}, ${v.reason}).`,
      },
      v.message,
      ...(row
        ? [
            `该记录现存内容 / The row as stored now: #${row.seq} · ${formatTime(row.at, ctx.timeZone)} ${ctx.timeZone} · ${row.actorLabel} · ${row.action} · ${row.objectType} ${row.objectId ?? ''}`.trimEnd(),
          ]
        : []),
      `已检查 ${v.rows} 条记录。 / ${v.rows} row(s) checked.`,
    ]);
    // The alarm also goes to stderr, where cron mail and log collectors look for trouble.
    ctx.out.warn(v.message);
    return EXIT.failed;
  },
};

export const commands: readonly Command[] = [init, usersAdd, devicesAdd, devicesList, auditVerify, auditSeal, ingest, verify, rebuildIndex, adoptVault, ...vendorLibraryCommands];
