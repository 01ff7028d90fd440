// What the schema cannot check: patterns compile, named groups agree with the
// rest, examples and templates read back as the author says. Produces the
// compiled form of a profile.
import { compileTimeFormat, wallClockToIso, type TimeFormat } from '../wall-clock.js';
import { regexProblem } from './regex-error.js';
import { parseClipName, renderClipName, templateMarksImportant, templateOf } from './clip-name.js';
import { IDENTITY_GROUPS, NAME_GROUPS, type CameraProfile, type ClipKind, type NameGroup, type ProfileData } from './schema.js';
import { footageFolderOf } from './volume-path.js';

/** The compiled pattern, or what is wrong with it and where (regex-error.ts), ready to show. */
function compileRegex(source: string, flags: string): RegExp | string {
  const problem = regexProblem(source, flags);
  return problem ?? new RegExp(source, flags);
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
export function crossCheck(data: ProfileData): { problems: Array<{ field: string; message: string }>; compiled?: CameraProfile['compiled'] } {
  const problems: Array<{ field: string; message: string }> = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const fn = data.footage.fileName;

  const flags = fn.caseSensitive ? 'u' : 'iu';
  // Compile as written (so the error names the author's pattern), then
  // anchored, so a pattern without ^…$ still has to read the whole name.
  const checked = compileRegex(fn.pattern, flags);
  if (typeof checked === 'string') add('footage.fileName.pattern', checked);
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
    if (typeof r === 'string') add(`recognise.volumeLabel.patterns[${i}]`, r);
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

  // Pattern markers: a file whose whole name matches, directly in the folder named.
  const markerPatterns: Array<RegExp | null> = data.recognise.markers.map((m, i) => {
    if (typeof m === 'string') return null;
    // Checked as written (the author's text in the message), then anchored to the whole name.
    const problem = regexProblem(m.file, 'iu');
    if (problem) {
      add(`recognise.markers[${i}].file`, problem);
      return null;
    }
    return new RegExp(`^(?:${m.file})$`, 'iu');
  });
  for (const [i, a] of data.recognise.absent.entries()) {
    const clash = data.recognise.markers.find((m) => typeof m === 'string' && m.replace(/\/$/, '').toLowerCase() === a.replace(/\/$/, '').toLowerCase());
    if (clash) add(`recognise.absent[${i}]`, `"${a}" 同时是必须存在的标志，配置永远无法匹配 / "${a}" is also a marker that must exist, so the profile could never match`);
  }

  // Who the camera is, from its label or a folder's name: only serial and badge mean anything there.
  const identityPattern = (field: 'volumeLabel' | 'folderName'): RegExp | null => {
    const spec = data.identity[field];
    if (!spec) return null;
    const at = `identity.${field}.pattern`;
    const problem = regexProblem(spec.pattern, 'iu');
    if (problem) {
      add(at, problem);
      return null;
    }
    const r = new RegExp(`^(?:${spec.pattern})$`, 'iu');
    const named = groupNames(spec.pattern);
    const unknown = named.filter((g) => !(IDENTITY_GROUPS as readonly string[]).includes(g));
    if (unknown.length > 0) add(at, `只能用命名组 ${IDENTITY_GROUPS.join(', ')}，不认识 ${unknown.join(', ')} / only the groups ${IDENTITY_GROUPS.join(', ')} may be named here, not ${unknown.join(', ')}`);
    if (!named.some((g) => (IDENTITY_GROUPS as readonly string[]).includes(g))) add(at, '必须含命名组 serial 或 badge，否则读不出任何身份 / needs a serial or badge group, or it reads no identity');
    return r;
  };
  const identityLabel = identityPattern('volumeLabel');
  const identityFolder = identityPattern('folderName');

  if (data.binding !== 'none') {
    const b = data.binding;
    const positions = Object.entries(b.fields).filter(([, v]) => typeof v === 'number');
    if (b.format === 'delimited') {
      if (!b.separator) add('binding.separator', 'delimited 格式需要分隔符，如 ";" / format delimited needs a separator, e.g. ";"');
      for (const [f, v] of Object.entries(b.fields)) {
        if (v !== undefined && typeof v !== 'number') add(`binding.fields.${f}`, 'delimited 格式用字段位置（从 1 数起的数字） / format delimited names a field by its position (a number from 1)');
      }
    } else {
      if (b.separator) add('binding.separator', `只用于 delimited 格式 / only for format delimited`);
      for (const [f] of positions) add(`binding.fields.${f}`, `${b.format} 格式用键名，不用位置 / format ${b.format} names a key, not a position`);
    }
    if (b.fields.deviceSerial === undefined && b.fields.badge === undefined) {
      add('binding.fields', '至少给出 deviceSerial 或 badge，否则绑定文件什么也说明不了 / give deviceSerial or badge, or the binding says nothing');
    }
  }

  let vendorClock: TimeFormat | null = null;
  if (data.vendorLibrary) {
    const v = data.vendorLibrary;
    // The library is asked when the model's USB id arrives: without one it is never asked.
    if (data.recognise.usb.length === 0) add('vendorLibrary', '用厂商库的型号必须在 recognise.usb 中给出 USB 标识 / a model read through its vendor library needs its USB id in recognise.usb');
    if (v.functions.readClock && !v.clockFormat) add('vendorLibrary.clockFormat', '给了 readClock 就必须给出时间格式 / required with functions.readClock');
    if (v.clockFormat && !v.functions.readClock) add('vendorLibrary.clockFormat', '没有 readClock 函数，不需要 / there is no readClock function');
    if (v.clockFormat) {
      try {
        vendorClock = compileTimeFormat(v.clockFormat);
      } catch (err) {
        add('vendorLibrary.clockFormat', (err as Error).message);
      }
    }
    for (const [duty, name] of Object.entries(v.functions)) {
      if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_@?$]*$/.test(name)) add(`vendorLibrary.functions.${duty}`, `"${name}" 不是函数名 / "${name}" is not a function name`);
    }
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
  const compiled: CameraProfile['compiled'] = { fileName, groups, startFormat, labelPatterns, clockRead, clockSet, markerPatterns, identityLabel, identityFolder, vendorClock };
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

  // Templates (how the camera writes names) must produce names the pattern reads back. A kind
  // whose template writes no {important} is never 重点 on this model, and is checked as ordinary.
  const sample = parseClipName(profile, `${data.footage.folders[0]}/${fn.examples[0]!.name}`);
  for (const kind of Object.keys(fn.templates) as Array<Exclude<ClipKind, 'other'>>) {
    const at = `footage.fileName.templates.${kind}`;
    const template = templateOf(data, kind)!;
    const folder = template.folder ?? data.footage.folders[0]!;
    if (template.folder && !data.footage.folders.some((f) => footageFolderOf(data, `${template.folder}/x`) === f)) {
      add(`${at}.folder`, `"${template.folder}" 不在任何录像目录内 / "${template.folder}" is not inside a footage folder`);
      continue;
    }
    try {
      for (const important of templateMarksImportant(data, kind) ? [false, true] : [false]) {
        const name = renderClipName(profile, kind, {
          serial: sample.serial ?? 'SN0001',
          badge: sample.badge ?? '000001',
          start: sample.start ?? { year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0, millisecond: 0 },
          seq: sample.seq ?? 1,
          important,
        });
        const back = parseClipName(profile, `${folder}/${name}`);
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
