// File names: what a camera put in a clip's name (parseClipName) and how it
// writes one (renderClipName).
import { formatWallClock, parseWallClock, type WallClock } from '../wall-clock.js';
import type { CameraProfile, ClipKind, ProfileData } from './schema.js';
import { footageFolderOf, normaliseRelative, segmentsOf } from './volume-path.js';

export interface ParsedClip {
  relativePath: string;
  /** The footage folder holding the file, or null when it is outside them all. */
  footageFolder: string | null;
  extension: string;
  kind: ClipKind;
  /** Whether the name follows the profile's pattern. A file that does not is still evidence. */
  matched: boolean;
  /** 产品序号 and 警号 from the name, else from the name of the folder holding it (`identity.folderName`). */
  serial: string | null;
  badge: string | null;
  /** Where serial and badge were read: the file's name, its folder's name, or nowhere. */
  identityFrom: 'name' | 'folder' | null;
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
    identityFrom: null,
    start: null,
    startText: null,
    seq: null,
    important: false,
    problems: [],
  };
  // A serial or badge in the folder's name (a camera that files by its serial) is read whether
  // or not the file's own name follows the pattern: it says whose the file is either way.
  const folderName = segments.length >= 2 ? segments[segments.length - 2]! : null;
  const inFolder = folderName !== null && profile.compiled.identityFolder ? profile.compiled.identityFolder.exec(folderName)?.groups : undefined;
  if (inFolder && (inFolder.serial || inFolder.badge)) {
    result.serial = inFolder.serial || null;
    result.badge = inFolder.badge || null;
    result.identityFrom = 'folder';
  }
  const m = profile.compiled.fileName.exec(subject);
  if (!m) return result;
  result.matched = true;
  const g = m.groups ?? {};
  if (g.serial || g.badge) {
    result.serial = g.serial || result.serial;
    result.badge = g.badge || result.badge;
    result.identityFrom = 'name';
  }
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
  // Read as the name says, whatever kind: a template without {important} only tells the emulator how
  // the model usually names that kind. A name that says 重点 is the camera's word, and 重点 keeps a
  // recording longer: ignoring it could let evidence go early.
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
/** A kind's template: the name, and the folder the camera writes it into when the profile says (else null). */
export function templateOf(profile: ProfileData, kind: Exclude<ClipKind, 'other'>): { folder: string | null; name: string } | null {
  const t = profile.footage.fileName.templates[kind];
  if (t === undefined) return null;
  return typeof t === 'string' ? { folder: null, name: t } : { folder: t.folder, name: t.name };
}

/** Whether the camera can mark this kind 重点: its template writes the flag. */
export function templateMarksImportant(profile: ProfileData, kind: Exclude<ClipKind, 'other'>): boolean {
  return templateOf(profile, kind)?.name.includes('{important}') ?? false;
}

export function renderClipName(profile: CameraProfile, kind: Exclude<ClipKind, 'other'>, values: ClipNameValues): string {
  const template = templateOf(profile, kind)?.name;
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
