// Camera profiles: how the station recognises a body-worn camera model and
// reads what it carries. A profile is data (`profiles/<id>.json`), not code,
// so a site adds a new model by adding a file; this module validates those
// files with clear, bilingual errors that name the file and the field, and
// offers the functions docking and ingest need: identify a volume, read a
// clip's file name, read the binding (产品序号, 警号, 姓名, 单位), the camera's
// clock and its status. See docs/camera-profiles.md for the field reference.
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { decodeCameraText, parseStructured, type KeyLookup } from './camera-text.js';
import { compileTimeFormat, formatWallClock, parseWallClock, wallClockToIso, type TimeFormat, type WallClock } from './wall-clock.js';

export type ClipKind = 'video' | 'audio' | 'photo' | 'other';
/** The groups a file-name pattern may name; anything else is a typo. */
export const NAME_GROUPS = ['serial', 'badge', 'start', 'seq', 'important'] as const;
export type NameGroup = (typeof NAME_GROUPS)[number];

// --- the schema ----------------------------------------------------------------

/** A path on the camera, relative to the volume root, `/`-separated, never leaving it. */
const volumePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !/^[A-Za-z]:/.test(p), {
    message: '必须是相对卷根目录的路径，用 / 分隔 / must be relative to the volume root, separated by /',
  })
  .refine((p) => !p.split('/').some((s) => s === '..' || s === '.'), {
    message: '不能含 . 或 .. / must not contain . or .. segments',
  });

const hexId = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{4}$/, { message: '应为 4 位十六进制，如 "2207" 或 "0x2207" / must be 4 hex digits, e.g. "2207" or "0x2207"' })
  .transform((s) => s.replace(/^0x/, '').toLowerCase());

const localized = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const structuredFormat = z.enum(['ini', 'keyValue', 'json', 'xml']);
const encoding = z.enum(['utf-8', 'gb18030', 'auto']).default('auto');
const key = z.string().min(1);
const mediaKind = z.enum(['video', 'audio', 'photo']);
const none = z.literal('none');

const clockRead = z.strictObject({
  path: volumePath,
  format: z.enum(['text', 'ini', 'keyValue', 'json', 'xml']),
  /** Required unless format is `text` (the whole file is the time). */
  key: key.optional(),
  encoding,
  timeFormat: z.string().min(1),
});

const clockSet = z.strictObject({
  path: volumePath,
  format: z.enum(['text', 'keyValue']),
  key: key.optional(),
  timeFormat: z.string().min(1),
  /** Some firmware wants CRLF; `\n` is the default. */
  lineEnding: z.enum(['\n', '\r\n']).default('\n'),
});

const space = z.strictObject({ key, unit: z.enum(['B', 'KiB', 'MiB', 'GiB']) });

const example = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['video', 'audio', 'photo', 'other']).optional(),
  serial: z.string().nullable().optional(),
  badge: z.string().nullable().optional(),
  /** The start as ISO local time, e.g. `2024-05-01T08:30:00`. */
  start: z.string().nullable().optional(),
  seq: z.number().int().nullable().optional(),
  important: z.boolean().optional(),
});

export const profileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: '只能用小写字母、数字和 - / lower-case letters, digits and - only' }),
  name: localized,
  notes: z.string().optional(),
  recognise: z.strictObject({
    usb: z.array(z.strictObject({ vendorId: hexId, productId: hexId })).default([]),
    volumeLabel: z
      .strictObject({
        patterns: z.array(z.string().min(1)).min(1),
        /** The label the model writes by default; the emulator labels FAT images with it. */
        typical: z.string().min(1).max(11).optional(),
      })
      .optional(),
    /** Paths that must exist; a trailing `/` means a folder. */
    markers: z.array(volumePath).default([]),
  }),
  footage: z.strictObject({
    folders: z.array(volumePath).min(1),
    fileName: z.strictObject({
      pattern: z.string().min(1),
      matchOn: z.enum(['name', 'path']).default('name'),
      caseSensitive: z.boolean().default(false),
      startFormat: z.string().min(1).optional(),
      important: z.strictObject({ values: z.array(z.string().min(1)).min(1), otherwise: z.string().default('') }).optional(),
      templates: z.strictObject({ video: z.string().min(1), audio: z.string().min(1), photo: z.string().min(1) }).partial().default({}),
      examples: z.array(example).min(1),
    }),
    extensions: z.record(
      z.string().regex(/^[a-z0-9]+$/, { message: '扩展名用小写、不带点 / extensions in lower case, without the dot' }),
      mediaKind,
    ),
  }),
  binding: z.union([
    none,
    z.strictObject({
      path: volumePath,
      format: structuredFormat,
      encoding,
      fields: z.strictObject({
        deviceSerial: key,
        badge: key,
        name: key.optional(),
        unitId: key.optional(),
        unitName: key.optional(),
      }),
    }),
  ]),
  clock: z.strictObject({ read: z.union([none, clockRead]), set: z.union([none, clockSet]) }),
  status: z.union([
    none,
    z.strictObject({
      path: volumePath,
      format: structuredFormat,
      encoding,
      fields: z.strictObject({ batteryPercent: key.optional(), freeSpace: space.optional(), totalSpace: space.optional() }),
    }),
  ]),
});

export type ProfileData = z.output<typeof profileSchema>;
export type BindingField = keyof Exclude<ProfileData['binding'], 'none'>['fields'];

/** A validated profile with its patterns compiled. */
export interface CameraProfile extends ProfileData {
  /** The file it was loaded from. */
  readonly source: string;
  readonly compiled: {
    readonly fileName: RegExp;
    readonly groups: ReadonlySet<NameGroup>;
    readonly startFormat: TimeFormat | null;
    readonly labelPatterns: readonly RegExp[];
    readonly clockRead: TimeFormat | null;
    readonly clockSet: TimeFormat | null;
  };
}

// --- loading and its errors ----------------------------------------------------

export interface ProfileProblem {
  file: string;
  /** Dotted path of the field, e.g. `footage.fileName.pattern`; empty for the whole file. */
  field: string;
  message: string;
}

export class ProfileError extends Error {
  constructor(readonly problems: ProfileProblem[]) {
    super(
      `相机配置文件有误 / invalid camera profile(s):\n` +
        problems.map((p) => `  ${p.file}: ${p.field || '(file)'}: ${p.message}`).join('\n'),
    );
    this.name = 'ProfileError';
  }
}

const fieldName = (p: readonly PropertyKey[]) =>
  p
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      const name = String(s);
      if (!/^[\w-]+$/.test(name)) return `[${JSON.stringify(name)}]`; // e.g. an extension key ".jpg"
      return i === 0 ? name : `.${name}`;
    })
    .join('');

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let node = root;
  for (const s of p) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[s as string];
  }
  return node;
}

function describeValue(v: unknown): string {
  if (v === undefined) return '缺失 / missing';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'string' ? `"${v}"` : typeof v;
}

/** Zod's issues, turned into one bilingual line per field a person must fix. */
function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, base: PropertyKey[] = []): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    const got = valueAt(input, at);
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          field: fieldName(at),
          message:
            got === undefined
              ? `缺少必填字段（应为 ${issue.expected}） / required field is missing (expected ${issue.expected})`
              : `类型不对：应为 ${issue.expected}，实为 ${describeValue(got)} / expected ${issue.expected}, got ${describeValue(got)}`,
        });
        break;
      case 'unrecognized_keys':
        for (const k of issue.keys) {
          out.push({ field: fieldName([...at, k]), message: '不认识的字段（拼写错误？） / unknown field (a typo?)' });
        }
        break;
      case 'invalid_value':
        out.push({
          field: fieldName(at),
          message: `值 ${describeValue(got)} 不在可选范围内：${issue.values.map((v) => JSON.stringify(v)).join(', ')} / ${describeValue(got)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'too_small':
        out.push({
          field: fieldName(at),
          message:
            issue.origin === 'array'
              ? `至少需要 ${issue.minimum} 项 / needs at least ${issue.minimum} item(s)`
              : `不能为空（至少 ${issue.minimum}） / too short (minimum ${issue.minimum})`,
        });
        break;
      case 'too_big':
        out.push({ field: fieldName(at), message: `太长（最多 ${issue.maximum}） / too long (maximum ${issue.maximum})` });
        break;
      case 'invalid_union': {
        // `"none"` or an object: report the branch the author evidently meant,
        // not "no union member matched".
        const meant = issue.errors.find((branch) => !branch.some((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value')));
        if (meant) out.push(...describeIssues(meant, input, at));
        else out.push({ field: fieldName(at), message: `应为 "none" 或一个对象 / must be "none" or an object, got ${describeValue(got)}` });
        break;
      }
      case 'invalid_key':
        // A bad record key: the field name is the key itself.
        out.push(...describeIssues(issue.issues, input, at).map((d) => ({ ...d, field: fieldName(at) })));
        break;
      default:
        out.push({ field: fieldName(at), message: issue.message });
    }
  }
  return out;
}

function compileRegex(source: string, flags: string): RegExp | string {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    return (err as Error).message;
  }
}

/** Named groups in a pattern's source (`(?<name>`, not lookbehind `(?<=`/`(?<!`). */
function groupNames(source: string): string[] {
  return [...source.matchAll(/(?<!\\)\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]!);
}

const FAT_LABEL = /^[A-Z0-9 !#$%&'()@^_`{}~-]{1,11}$/;

/**
 * Checks what a schema cannot: patterns compile, named groups are known and
 * consistent with the rest, examples parse as the author says, templates
 * produce names the pattern reads back. Returns the problems and the compiled form.
 */
function crossCheck(data: ProfileData): { problems: Array<{ field: string; message: string }>; compiled?: CameraProfile['compiled'] } {
  const problems: Array<{ field: string; message: string }> = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const fn = data.footage.fileName;

  const flags = fn.caseSensitive ? 'u' : 'iu';
  // Compile as written (so the error names the author's pattern), then
  // anchored, so a pattern without ^…$ still has to read the whole name.
  const checked = compileRegex(fn.pattern, flags);
  if (typeof checked === 'string') add('footage.fileName.pattern', `正则表达式无效 / invalid regular expression: ${checked}`);
  const fileName = typeof checked === 'string' ? checked : new RegExp(`^(?:${fn.pattern})$`, flags);

  const names = groupNames(fn.pattern);
  const groups = new Set<NameGroup>();
  for (const g of names) {
    if ((NAME_GROUPS as readonly string[]).includes(g)) groups.add(g as NameGroup);
    else add('footage.fileName.pattern', `不认识的命名组 "${g}"（可用 ${NAME_GROUPS.join(', ')}） / unknown named group "${g}" (allowed: ${NAME_GROUPS.join(', ')})`);
  }

  let startFormat: TimeFormat | null = null;
  if (groups.has('start') && !fn.startFormat) add('footage.fileName.startFormat', '模式含 start 组时必须给出时间格式 / required when the pattern has a start group');
  if (fn.startFormat && !groups.has('start')) add('footage.fileName.startFormat', '模式中没有 start 组 / the pattern has no start group');
  if (fn.startFormat) {
    try {
      startFormat = compileTimeFormat(fn.startFormat);
    } catch (err) {
      add('footage.fileName.startFormat', (err as Error).message);
    }
  }
  if (groups.has('important') && !fn.important) add('footage.fileName.important', '模式含 important 组时必须说明哪些值表示重点 / required when the pattern has an important group');
  if (fn.important && !groups.has('important')) add('footage.fileName.important', '模式中没有 important 组 / the pattern has no important group');

  const labelPatterns: RegExp[] = [];
  for (const [i, p] of (data.recognise.volumeLabel?.patterns ?? []).entries()) {
    const r = compileRegex(p, 'iu');
    if (typeof r === 'string') add(`recognise.volumeLabel.patterns[${i}]`, `正则表达式无效 / invalid regular expression: ${r}`);
    else labelPatterns.push(r);
  }
  const typical = data.recognise.volumeLabel?.typical;
  if (typical !== undefined) {
    if (!FAT_LABEL.test(typical)) add('recognise.volumeLabel.typical', 'FAT 卷标只能是 11 个以内的大写字母、数字、空格和少数符号 / a FAT label is up to 11 upper-case letters, digits, spaces and a few symbols');
    else if (labelPatterns.length > 0 && !labelPatterns.some((r) => r.test(typical))) add('recognise.volumeLabel.typical', '与任何卷标模式都不匹配 / matches none of the label patterns');
  }
  if (data.recognise.usb.length === 0 && !data.recognise.volumeLabel && data.recognise.markers.length === 0) {
    add('recognise', '至少要有一种识别依据（usb、volumeLabel 或 markers），否则永远无法识别 / needs at least one of usb, volumeLabel or markers, or the model can never be recognised');
  }

  const timeFormatOf = (field: string, source: string): TimeFormat | null => {
    try {
      return compileTimeFormat(source);
    } catch (err) {
      add(field, (err as Error).message);
      return null;
    }
  };
  const clockRead = data.clock.read === 'none' ? null : timeFormatOf('clock.read.timeFormat', data.clock.read.timeFormat);
  if (data.clock.read !== 'none') {
    if (data.clock.read.format === 'text' && data.clock.read.key) add('clock.read.key', 'text 格式整个文件就是时间，不需要 key / format text reads the whole file; remove key');
    if (data.clock.read.format !== 'text' && !data.clock.read.key) add('clock.read.key', `${data.clock.read.format} 格式需要 key / format ${data.clock.read.format} needs a key`);
  }
  const clockSet = data.clock.set === 'none' ? null : timeFormatOf('clock.set.timeFormat', data.clock.set.timeFormat);
  if (data.clock.set !== 'none') {
    if (data.clock.set.format === 'text' && data.clock.set.key) add('clock.set.key', 'text 格式不需要 key / format text needs no key');
    if (data.clock.set.format === 'keyValue' && !data.clock.set.key) add('clock.set.key', 'keyValue 格式需要 key / format keyValue needs a key');
    // The station writes this one file on the camera: never among the evidence, never over what it reads.
    const setPath = data.clock.set.path;
    if (footageFolderOf(data, setPath)) add('clock.set.path', '不能位于录像目录内：采集站不在证据旁写文件 / must not be inside a footage folder: the station writes nothing among the evidence');
    for (const [what, other] of [['binding', data.binding], ['status', data.status]] as const) {
      if (other !== 'none' && other.path.toLowerCase() === setPath.toLowerCase()) {
        add('clock.set.path', `不能与 ${what}.path 相同：写入会覆盖它 / must differ from ${what}.path: writing would overwrite it`);
      }
    }
  }
  if (data.status !== 'none' && Object.keys(data.status.fields).length === 0) {
    add('status.fields', '至少给出一个字段，否则请写 "none" / give at least one field, or write "none"');
  }

  if (problems.length > 0 || typeof fileName === 'string') return { problems };
  const compiled: CameraProfile['compiled'] = { fileName, groups, startFormat, labelPatterns, clockRead, clockSet };
  const profile = { ...data, source: '', compiled } as CameraProfile;

  // Examples are the author's proof that the pattern reads real names.
  for (const [i, ex] of fn.examples.entries()) {
    const at = `footage.fileName.examples[${i}]`;
    const folder = data.footage.folders[0]!;
    const parsed = parseClipName(profile, `${folder}/${ex.name}`);
    if (!parsed.matched) {
      add(at, `模式读不出示例文件名 "${ex.name}" / the pattern does not match the example "${ex.name}"`);
      continue;
    }
    for (const p of parsed.problems) add(at, p);
    const expect = <K extends keyof typeof ex>(k: K, actual: unknown) => {
      if (ex[k] !== undefined && ex[k] !== actual) add(`${at}.${k}`, `示例说是 ${JSON.stringify(ex[k])}，模式读出 ${JSON.stringify(actual)} / the example says ${JSON.stringify(ex[k])}, the pattern reads ${JSON.stringify(actual)}`);
    };
    expect('kind', parsed.kind);
    expect('serial', parsed.serial);
    expect('badge', parsed.badge);
    expect('start', parsed.start && wallClockToIso(parsed.start));
    expect('seq', parsed.seq);
    expect('important', parsed.important);
  }

  // Templates (how the camera writes names) must produce names the pattern reads back.
  const sample = parseClipName(profile, `${data.footage.folders[0]}/${fn.examples[0]!.name}`);
  for (const kind of Object.keys(fn.templates) as Array<Exclude<ClipKind, 'other'>>) {
    const at = `footage.fileName.templates.${kind}`;
    try {
      for (const important of [false, true]) {
        const name = renderClipName(profile, kind, {
          serial: sample.serial ?? 'SN0001',
          badge: sample.badge ?? '000001',
          start: sample.start ?? { year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0, millisecond: 0 },
          seq: sample.seq ?? 1,
          important,
        });
        const back = parseClipName(profile, `${data.footage.folders[0]}/${name}`);
        if (!back.matched) add(at, `模板生成的 "${name}" 不符合模式 / the template renders "${name}", which the pattern does not match`);
        else if (back.kind !== kind) add(at, `模板生成的 "${name}" 的扩展名不是 ${kind} 类 / "${name}" has an extension that is not mapped to ${kind}`);
        else if (back.important !== important && profile.compiled.groups.has('important')) {
          add(at, `模板生成的 "${name}" 读回的重点标记不对 / the important flag does not read back from "${name}"`);
        }
        if (!back.matched || back.kind !== kind) break;
      }
    } catch (err) {
      add(at, (err as Error).message);
    }
  }
  return { problems, compiled };
}

/** Validates one profile's parsed JSON. `file` names it in errors. */
export function parseProfile(json: unknown, file: string): CameraProfile {
  const result = profileSchema.safeParse(json);
  if (!result.success) {
    throw new ProfileError(describeIssues(result.error.issues, json).map((d) => ({ file, ...d })));
  }
  const { problems, compiled } = crossCheck(result.data);
  if (problems.length > 0 || !compiled) throw new ProfileError(problems.map((p) => ({ file, ...p })));
  return { ...result.data, source: file, compiled };
}

/**
 * Loads and validates every `*.json` in `dir`. All files are checked before
 * failing, so one run lists every problem; any problem fails the whole load,
 * because a station must not dock cameras with half its profiles. Each file's
 * `id` must equal its file name, and ids are unique by construction.
 */
export async function loadProfiles(dir: string): Promise<CameraProfile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (err) {
    throw new ProfileError([{ file: dir, field: '', message: `读不了配置目录 / cannot read the profile folder: ${(err as Error).message}` }]);
  }
  const problems: ProfileProblem[] = [];
  const profiles: CameraProfile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      problems.push({ file, field: '', message: `不是有效的 JSON / not valid JSON: ${(err as Error).message}` });
      continue;
    }
    try {
      const profile = parseProfile(json, file);
      const stem = name.slice(0, -'.json'.length);
      if (profile.id !== stem) problems.push({ file, field: 'id', message: `id "${profile.id}" 应与文件名 "${stem}" 相同 / id "${profile.id}" must equal the file name "${stem}"` });
      else profiles.push(profile);
    } catch (err) {
      if (err instanceof ProfileError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ProfileError(problems);
  if (profiles.length === 0) throw new ProfileError([{ file: dir, field: '', message: '目录中没有相机配置文件 / the folder holds no camera profile (*.json)' }]);
  return profiles;
}

// --- paths on a camera volume ---------------------------------------------------

type Located = { state: 'file' | 'folder'; path: string; size: number; mtimeMs: number } | { state: 'missing' | 'symlink' | 'other'; path: string };

/**
 * Finds `relative` under `root` as FAT does, ignoring case, without following
 * symbolic links (a link on a camera could point anywhere on the station).
 */
async function locate(root: string, relative: string): Promise<Located> {
  let current = root;
  for (const segment of relative.split('/').filter(Boolean)) {
    let next = path.join(current, segment);
    let st = await lstat(next).catch(() => null);
    if (!st) {
      const entries = await readdir(current).catch(() => [] as string[]);
      const found = entries.find((e) => e.toLowerCase() === segment.toLowerCase());
      if (!found) return { state: 'missing', path: next };
      next = path.join(current, found);
      st = await lstat(next).catch(() => null);
      if (!st) return { state: 'missing', path: next };
    }
    if (st.isSymbolicLink()) return { state: 'symlink', path: next };
    current = next;
  }
  const st = await lstat(current);
  if (st.isFile()) return { state: 'file', path: current, size: st.size, mtimeMs: st.mtimeMs };
  if (st.isDirectory()) return { state: 'folder', path: current, size: 0, mtimeMs: st.mtimeMs };
  return { state: 'other', path: current };
}

const segmentsOf = (p: string) => p.split('/').filter(Boolean);
const sameSegment = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function normaliseRelative(relativePath: string): string[] {
  const segments = segmentsOf(relativePath.replace(/\\/g, '/'));
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath) || segments.some((s) => s === '..' || s === '.')) {
    throw new Error(`路径必须相对卷根目录且不含 . 或 .. / path must be relative to the volume root, without . or ..: ${relativePath}`);
  }
  return segments;
}

/** The footage folder (as the profile spells it) that holds `relativePath`, or null. */
export function footageFolderOf(profile: ProfileData, relativePath: string): string | null {
  const segments = normaliseRelative(relativePath);
  for (const folder of profile.footage.folders) {
    const f = segmentsOf(folder);
    if (segments.length > f.length && f.every((s, i) => sameSegment(s, segments[i]!))) return folder;
  }
  return null;
}

// --- identification ---------------------------------------------------------

export interface VolumeInfo {
  /** Where the volume is mounted (or the watched sub-folder). */
  root: string;
  label?: string | null;
  /** Vendor and product id of the USB device, as numbers or hex strings, when known. */
  usb?: { vendorId: number | string; productId: number | string } | null;
}

export interface ProfileVerdict {
  profileId: string;
  matched: boolean;
  score: number;
  reasons: string[];
}

export interface Identification {
  profile: CameraProfile | null;
  /** Why this profile (or why none): bilingual sentences for the notice and the log. */
  reasons: string[];
  verdicts: ProfileVerdict[];
}

const hex4 = (v: number | string) => (typeof v === 'number' ? v.toString(16) : v.replace(/^0x/i, '')).toLowerCase().padStart(4, '0');

// Evidence weights: a USB id names the model; a label is a strong hint but
// people rename volumes; each marker present adds a little, so the profile
// that explains more of the volume wins over a generic one.
const SCORE_USB = 100;
const SCORE_LABEL = 20;
const SCORE_MARKER = 10;

async function judge(volume: VolumeInfo, profile: CameraProfile): Promise<ProfileVerdict> {
  const reasons: string[] = [];
  let score = 0;
  let rejected = false;
  const { usb, markers } = profile.recognise;
  if (usb.length > 0) {
    if (volume.usb) {
      const id = `${hex4(volume.usb.vendorId)}:${hex4(volume.usb.productId)}`;
      if (usb.some((u) => `${u.vendorId}:${u.productId}` === id)) {
        score += SCORE_USB;
        reasons.push(`USB 标识 ${id} 符合 / USB id ${id} matches`);
      } else {
        rejected = true;
        reasons.push(`USB 标识 ${id} 不是该型号 / USB id ${id} is not this model's`);
      }
    } else reasons.push('USB 标识未知 / USB id unknown');
  }
  if (profile.compiled.labelPatterns.length > 0) {
    if (volume.label) {
      if (profile.compiled.labelPatterns.some((r) => r.test(volume.label!))) {
        score += SCORE_LABEL;
        reasons.push(`卷标“${volume.label}”符合 / label "${volume.label}" matches`);
      } else reasons.push(`卷标“${volume.label}”不符合 / label "${volume.label}" does not match`);
    } else reasons.push('卷标未知 / label unknown');
  }
  for (const marker of markers) {
    const wantFolder = marker.endsWith('/');
    const found = await locate(volume.root, marker);
    if (found.state === (wantFolder ? 'folder' : 'file')) {
      score += SCORE_MARKER;
      reasons.push(`有标志${wantFolder ? '目录' : '文件'} ${marker} / marker ${marker} present`);
    } else {
      rejected = true;
      const why = found.state === 'symlink' ? '是符号链接，不跟随 / is a symbolic link (not followed)' : found.state === 'missing' ? '不存在 / is missing' : `类型不对 / is not a ${wantFolder ? 'folder' : 'file'}`;
      reasons.push(`标志 ${marker} ${why}`);
    }
  }
  if (!rejected && score === 0) reasons.push('没有任何识别依据成立 / no evidence for this model');
  return { profileId: profile.id, matched: !rejected && score > 0, score: rejected ? 0 : score, reasons };
}

/**
 * Which profile describes the volume. Every profile is judged; the best
 * score wins. Two profiles with the same best score are a configuration
 * problem (the station cannot know how to read the camera), so the answer is
 * then null with a reason, rather than a coin toss.
 */
export async function identifyVolume(volume: VolumeInfo, profiles: readonly CameraProfile[]): Promise<Identification> {
  const verdicts = await Promise.all(profiles.map((p) => judge(volume, p)));
  const matched = verdicts.filter((v) => v.matched).sort((a, b) => b.score - a.score);
  const best = matched[0];
  if (!best) {
    return { profile: null, reasons: ['没有相机配置与此卷匹配（可能是普通 U 盘） / no camera profile matches this volume (a plain USB stick?)'], verdicts };
  }
  const tied = matched.filter((v) => v.score === best.score);
  if (tied.length > 1) {
    const ids = tied.map((v) => v.profileId).join(', ');
    return {
      profile: null,
      reasons: [`多个相机配置同样匹配：${ids}；请让其中一个更具体（USB 标识、卷标或标志文件） / profiles ${ids} match equally; make one more specific (USB id, label or markers)`],
      verdicts,
    };
  }
  return { profile: profiles.find((p) => p.id === best.profileId)!, reasons: best.reasons, verdicts };
}

// --- file names ------------------------------------------------------------------

export interface ParsedClip {
  relativePath: string;
  /** The footage folder holding the file, or null when it is outside them all. */
  footageFolder: string | null;
  extension: string;
  kind: ClipKind;
  /** Whether the name follows the profile's pattern. A file that does not is still evidence. */
  matched: boolean;
  serial: string | null;
  badge: string | null;
  /** The start as the camera wrote it: local wall-clock fields, no zone. */
  start: WallClock | null;
  startText: string | null;
  seq: number | null;
  important: boolean;
  /** Parts of the name that matched but could not be read (e.g. month 13). */
  problems: string[];
}

export function kindOfExtension(profile: ProfileData, extension: string): ClipKind {
  return profile.footage.extensions[extension.toLowerCase()] ?? 'other';
}

/**
 * Reads what a camera put in a file's name. The kind comes from the
 * extension (anything unmapped is `other`), so every file is accounted for
 * whether or not its name follows the pattern.
 */
export function parseClipName(profile: CameraProfile, relativePath: string): ParsedClip {
  const segments = normaliseRelative(relativePath);
  const rel = segments.join('/');
  const name = segments[segments.length - 1] ?? '';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const footageFolder = footageFolderOf(profile, rel);
  const fn = profile.footage.fileName;
  const subject = fn.matchOn === 'name' ? name : footageFolder ? segments.slice(segmentsOf(footageFolder).length).join('/') : rel;
  const result: ParsedClip = {
    relativePath: rel,
    footageFolder,
    extension,
    kind: kindOfExtension(profile, extension),
    matched: false,
    serial: null,
    badge: null,
    start: null,
    startText: null,
    seq: null,
    important: false,
    problems: [],
  };
  const m = profile.compiled.fileName.exec(subject);
  if (!m) return result;
  result.matched = true;
  const g = m.groups ?? {};
  result.serial = g.serial || null;
  result.badge = g.badge || null;
  if (g.start) {
    result.startText = g.start;
    try {
      result.start = parseWallClock(g.start, profile.compiled.startFormat!);
    } catch (err) {
      result.problems.push((err as Error).message);
    }
  }
  if (g.seq) {
    if (/^\d+$/.test(g.seq)) result.seq = Number(g.seq);
    else result.problems.push(`序号“${g.seq}”不是数字 / sequence "${g.seq}" is not a number`);
  }
  if (g.important !== undefined && fn.important) {
    const same = fn.caseSensitive ? (a: string, b: string) => a === b : (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    result.important = fn.important.values.some((v) => same(v, g.important!));
  }
  return result;
}

export interface ClipNameValues {
  serial: string;
  badge: string;
  start: WallClock;
  seq: number;
  important: boolean;
}

/**
 * Writes a file name the way the camera would, from the profile's template
 * for that kind: `{serial}`, `{badge}`, `{start}` (in startFormat), `{seq}` or
 * `{seq:4}` (zero-padded), `{important}` (the first important value, or
 * `otherwise`). Used by the emulator and to check templates against the pattern.
 */
export function renderClipName(profile: CameraProfile, kind: Exclude<ClipKind, 'other'>, values: ClipNameValues): string {
  const template = profile.footage.fileName.templates[kind];
  if (!template) throw new Error(`配置 ${profile.id} 没有 ${kind} 的文件名模板 / profile ${profile.id} has no file-name template for ${kind}`);
  return template.replace(/\{([a-z]+)(?::(\d+))?\}/g, (whole, token: string, width?: string) => {
    switch (token) {
      case 'serial':
        return values.serial;
      case 'badge':
        return values.badge;
      case 'start':
        if (!profile.compiled.startFormat) throw new Error('模板用了 {start}，但没有 startFormat / the template uses {start} but there is no startFormat');
        return formatWallClock(values.start, profile.compiled.startFormat);
      case 'seq':
        return String(values.seq).padStart(width ? Number(width) : 0, '0');
      case 'important': {
        const imp = profile.footage.fileName.important;
        if (!imp) throw new Error('模板用了 {important}，但没有 important 设置 / the template uses {important} but there is no important setting');
        return values.important ? imp.values[0]! : imp.otherwise;
      }
      default:
        throw new Error(`模板中不认识的占位符 ${whole} / unknown placeholder ${whole} in template`);
    }
  });
}

// --- files the camera carries: binding, clock, status -------------------------------

/** Larger than any real device file; refuses to slurp a huge file by mistake. */
const MAX_DEVICE_FILE = 1024 * 1024;

type DeviceFile =
  | { state: 'missing'; path: string }
  | { state: 'unreadable'; path: string; error: string }
  | { state: 'ok'; path: string; text: string; mtimeMs: number };

async function readDeviceFile(root: string, relative: string, encoding: 'utf-8' | 'gb18030' | 'auto'): Promise<DeviceFile> {
  const found = await locate(root, relative);
  if (found.state === 'missing') return { state: 'missing', path: found.path };
  if (found.state === 'symlink') return { state: 'unreadable', path: found.path, error: '是符号链接，不跟随 / is a symbolic link (not followed)' };
  if (found.state !== 'file') return { state: 'unreadable', path: found.path, error: '不是普通文件 / is not a regular file' };
  if (found.size > MAX_DEVICE_FILE) return { state: 'unreadable', path: found.path, error: `文件过大（${found.size} 字节） / file too large (${found.size} bytes)` };
  try {
    const text = decodeCameraText(await readFile(found.path), encoding);
    return { state: 'ok', path: found.path, text, mtimeMs: found.mtimeMs };
  } catch (err) {
    return { state: 'unreadable', path: found.path, error: (err as Error).message };
  }
}

function parseDeviceFile(file: { text: string }, format: Parameters<typeof parseStructured>[1]): KeyLookup | string {
  try {
    return parseStructured(file.text, format);
  } catch (err) {
    return (err as Error).message;
  }
}

export interface BindingValues {
  /** 产品序号 */
  deviceSerial: string | null;
  /** 警号 */
  badge: string | null;
  /** 姓名 */
  name: string | null;
  /** 单位编号 */
  unitId: string | null;
  /** 单位名称 */
  unitName: string | null;
}

export type BindingReading =
  | { status: 'unsupported' }
  | { status: 'missing'; path: string }
  | { status: 'unreadable'; path: string; error: string }
  | { status: 'ok'; path: string; values: BindingValues; missing: BindingField[] };

/** Reads who the camera says it belongs to (GA/T 947 recorders carry this). */
export async function readBinding(profile: ProfileData, volumeRoot: string): Promise<BindingReading> {
  if (profile.binding === 'none') return { status: 'unsupported' };
  const b = profile.binding;
  const file = await readDeviceFile(volumeRoot, b.path, b.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  const lookup = parseDeviceFile(file, b.format);
  if (typeof lookup === 'string') return { status: 'unreadable', path: file.path, error: lookup };
  const values: BindingValues = { deviceSerial: null, badge: null, name: null, unitId: null, unitName: null };
  const missing: BindingField[] = [];
  for (const [field, k] of Object.entries(b.fields) as Array<[BindingField, string | undefined]>) {
    if (!k) continue;
    const v = lookup(k)?.trim();
    if (v) values[field] = v;
    else missing.push(field);
  }
  return { status: 'ok', path: file.path, values, missing };
}

export type ClockReading =
  | { status: 'unsupported' }
  | { status: 'missing'; path: string }
  | { status: 'unreadable'; path: string; error: string }
  | {
      status: 'ok';
      path: string;
      /** The text as the camera wrote it. */
      text: string;
      /** What the camera's clock said, as local wall-clock fields (no zone). */
      wallClock: WallClock;
      /** When the file was last written, per the station's view of its mtime. */
      fileModifiedMs: number;
    };

/**
 * Reads the time the camera wrote when it was mounted. The skew is this
 * reading against the station's clock at dock time; the caller knows both
 * the station's time and the zone, so it does the subtraction.
 */
export async function readCameraClock(profile: CameraProfile, volumeRoot: string): Promise<ClockReading> {
  const c = profile.clock.read;
  if (c === 'none' || !profile.compiled.clockRead) return { status: 'unsupported' };
  const file = await readDeviceFile(volumeRoot, c.path, c.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  let text: string | undefined;
  if (c.format === 'text') text = file.text.trim();
  else {
    const lookup = parseDeviceFile(file, c.format);
    if (typeof lookup === 'string') return { status: 'unreadable', path: file.path, error: lookup };
    text = lookup(c.key!)?.trim();
    if (!text) return { status: 'unreadable', path: file.path, error: `没有键 ${c.key} / key ${c.key} is missing` };
  }
  try {
    return { status: 'ok', path: file.path, text, wallClock: parseWallClock(text, profile.compiled.clockRead), fileModifiedMs: file.mtimeMs };
  } catch (err) {
    return { status: 'unreadable', path: file.path, error: (err as Error).message };
  }
}

/**
 * The file that sets the camera's clock (the camera reads it at its next
 * start), or null when the model offers no way. Pure: the caller writes it.
 */
export function clockSetFile(profile: CameraProfile, wallClock: WallClock): { path: string; contents: string } | null {
  const c = profile.clock.set;
  if (c === 'none' || !profile.compiled.clockSet) return null;
  const time = formatWallClock(wallClock, profile.compiled.clockSet);
  return { path: c.path, contents: (c.format === 'text' ? time : `${c.key}=${time}`) + c.lineEnding };
}

export type StatusReading =
  | { status: 'unsupported' }
  | { status: 'missing'; path: string }
  | { status: 'unreadable'; path: string; error: string }
  | { status: 'ok'; path: string; batteryPercent: number | null; freeBytes: number | null; totalBytes: number | null; problems: string[] };

const UNIT_BYTES = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;

/** Reads battery and free space where the model reports them. */
export async function readStatus(profile: ProfileData, volumeRoot: string): Promise<StatusReading> {
  if (profile.status === 'none') return { status: 'unsupported' };
  const s = profile.status;
  const file = await readDeviceFile(volumeRoot, s.path, s.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  const lookup = parseDeviceFile(file, s.format);
  if (typeof lookup === 'string') return { status: 'unreadable', path: file.path, error: lookup };
  const problems: string[] = [];
  // Firmware writes "87", "87%" or "1024MB": the leading number is the value.
  const number = (k: string): number | null => {
    const raw = lookup(k);
    if (raw === undefined) {
      problems.push(`没有键 ${k} / key ${k} is missing`);
      return null;
    }
    const m = /^\s*(\d+(?:\.\d+)?)/.exec(raw);
    if (!m) problems.push(`键 ${k} 的值“${raw}”不是数字 / value "${raw}" of ${k} is not a number`);
    return m ? Number(m[1]) : null;
  };
  const bytes = (f: { key: string; unit: keyof typeof UNIT_BYTES } | undefined) => {
    if (!f) return null;
    const n = number(f.key);
    return n === null ? null : Math.round(n * UNIT_BYTES[f.unit]);
  };
  let batteryPercent = s.fields.batteryPercent ? number(s.fields.batteryPercent) : null;
  if (batteryPercent !== null && (batteryPercent < 0 || batteryPercent > 100)) {
    problems.push(`电量 ${batteryPercent} 超出 0–100 / battery ${batteryPercent} is outside 0–100`);
    batteryPercent = null;
  }
  return { status: 'ok', path: file.path, batteryPercent, freeBytes: bytes(s.fields.freeSpace), totalBytes: bytes(s.fields.totalSpace), problems };
}
