// Who a docked camera is. A profile may say where its 产品序号 (serial), 警号
// (badge), 姓名 and 单位 come from; the sources are trusted in this order:
// the vendor's USB library (the camera answers for itself), the binding file
// it keeps, its volume label, the name of the folder holding its files, and
// the files' names. The first source that answers gives each item; every
// other source that also answers is compared with it, and a disagreement is
// reported (the station raises binding_mismatch and still takes the footage:
// refusing would leave evidence on a camera that goes back on duty).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { emptyBinding, type BindingReading, type BindingValues } from './binding.js';
import { parseClipName } from './clip-name.js';
import type { CameraProfile } from './schema.js';
import { locate } from './volume-path.js';

export const IDENTITY_SOURCES = ['vendor', 'binding', 'label', 'folder', 'name'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];
export type IdentityField = keyof BindingValues;

export const IDENTITY_SOURCE_TEXT: Record<IdentitySource, string> = {
  vendor: '厂商 USB 库 / the vendor library',
  binding: '绑定文件 / the binding file',
  label: '卷标 / the volume label',
  folder: '文件夹名 / folder names',
  name: '文件名 / file names',
};

export interface IdentityReading {
  source: IdentitySource;
  values: Partial<BindingValues>;
}

export interface Disagreement {
  field: IdentityField;
  /** What each source said, most trusted first; the first is the value used. */
  said: Array<{ source: IdentitySource; value: string }>;
}

export interface ResolvedIdentity {
  values: BindingValues;
  /** Which source gave each item used. */
  from: Partial<Record<IdentityField, IdentitySource>>;
  disagreements: Disagreement[];
}

/** Serials and badges are compared as FAT and the name patterns compare them: ignoring case and surrounding space. */
export const sameIdentity = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The first source to answer gives each item; the others are checked against it. */
export function resolveIdentity(readings: readonly IdentityReading[]): ResolvedIdentity {
  const ordered = [...readings].sort((a, b) => IDENTITY_SOURCES.indexOf(a.source) - IDENTITY_SOURCES.indexOf(b.source));
  const values = emptyBinding();
  const from: ResolvedIdentity['from'] = {};
  const disagreements: Disagreement[] = [];
  for (const field of Object.keys(values) as IdentityField[]) {
    const said = ordered.flatMap((r) => (r.values[field] ? [{ source: r.source, value: r.values[field]! }] : []));
    if (said.length === 0) continue;
    values[field] = said[0]!.value;
    from[field] = said[0]!.source;
    if (said.some((s) => !sameIdentity(s.value, said[0]!.value))) disagreements.push({ field, said });
  }
  return { values, from, disagreements };
}

/** The serial and badge the volume label carries (`identity.volumeLabel`), if the profile reads one. */
export function labelIdentity(profile: CameraProfile, label: string | null | undefined): Partial<BindingValues> | null {
  const g = label && profile.compiled.identityLabel ? profile.compiled.identityLabel.exec(label.trim())?.groups : undefined;
  if (!g || !(g.serial || g.badge)) return null;
  return { deviceSerial: g.serial || null, badge: g.badge || null };
}

/** At most this many names are read to learn who the camera is; the ingest reads every file anyway. */
const MAX_NAMES = 20_000;

/**
 * What the footage's folder and file names say about whose the camera is: per
 * source, the serial and badge most files carry (a stray file of another
 * camera does not outvote the camera's own; ingest reports it per file).
 */
export async function namesIdentity(profile: CameraProfile, root: string): Promise<{ folder: Partial<BindingValues> | null; name: Partial<BindingValues> | null }> {
  const wantsName = profile.compiled.groups.has('serial') || profile.compiled.groups.has('badge');
  if (!wantsName && !profile.compiled.identityFolder) return { folder: null, name: null };
  const tally = { folder: { serial: new Map<string, number>(), badge: new Map<string, number>() }, name: { serial: new Map<string, number>(), badge: new Map<string, number>() } };
  let seen = 0;
  const count = (m: Map<string, number>, v: string | null) => v && m.set(v, (m.get(v) ?? 0) + 1);
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (seen >= MAX_NAMES || depth > 12) return;
    const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (seen >= MAX_NAMES) return;
      const r = `${rel}/${e.name}`;
      // Never through a link: a link on a camera could point anywhere on the station.
      if (e.isDirectory()) await walk(r, depth + 1);
      else if (e.isFile()) {
        seen += 1;
        // A name no path can hold safely (a backslash, "..") says nothing trustworthy about whose
        // the camera is; the ingest stores the file under a safe name all the same (discover.ts).
        let parsed: ReturnType<typeof parseClipName>;
        try {
          parsed = parseClipName(profile, r);
        } catch {
          continue;
        }
        if (!parsed.identityFrom) continue;
        const t = tally[parsed.identityFrom];
        count(t.serial, parsed.serial);
        count(t.badge, parsed.badge);
      }
    }
  };
  for (const folder of profile.footage.folders) {
    const found = await locate(root, folder);
    if (found.state === 'folder') await walk(path.relative(root, found.path).split(path.sep).join('/'), 0);
  }
  const most = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const of = (t: (typeof tally)['name']): Partial<BindingValues> | null => {
    const v = { deviceSerial: most(t.serial), badge: most(t.badge) };
    return v.deviceSerial || v.badge ? v : null;
  };
  return { folder: of(tally.folder), name: of(tally.name) };
}

/** The binding file's values as an identity reading, when it was read. */
export function bindingIdentity(binding: BindingReading): Partial<BindingValues> | null {
  return binding.status === 'ok' ? binding.values : null;
}

/**
 * Where this profile looks for a camera's serial, and what it found there: the
 * words of the refusal when no source gave one, so a custodian (or the site's
 * technician) knows what the station looked for instead of "call an administrator".
 */
export function serialSearchText(profile: CameraProfile, found: { vendor: string | null; binding: BindingReading; label: string | null }): string[] {
  const lines: string[] = [];
  if (profile.vendorLibrary) lines.push(`${IDENTITY_SOURCE_TEXT.vendor}：${found.vendor ?? '没有回答 / gave no answer'}`);
  const b = found.binding;
  if (profile.binding !== 'none') {
    const where = profile.binding.path;
    const state =
      b.status === 'missing'
        ? '文件不存在 / the file is missing'
        : b.status === 'unreadable'
          ? `读不了 / cannot be read: ${b.error}`
          : b.status === 'ok' && !b.values.deviceSerial
            ? '文件中没有产品序号 / holds no serial'
            : '';
    lines.push(`${IDENTITY_SOURCE_TEXT.binding} ${where}：${state}`);
  }
  if (profile.identity.volumeLabel) lines.push(`${IDENTITY_SOURCE_TEXT.label}“${found.label ?? ''}”不符合 ${profile.identity.volumeLabel.pattern} / does not match`);
  if (profile.identity.folderName) lines.push(`${IDENTITY_SOURCE_TEXT.folder}：没有符合 ${profile.identity.folderName.pattern} 的 / none matches`);
  if (profile.compiled.groups.has('serial')) lines.push(`${IDENTITY_SOURCE_TEXT.name}：没有文件名带产品序号 / no file name carries a serial`);
  if (lines.length === 0) lines.push('该配置没有说明产品序号从哪里来 / the profile names no source of the serial');
  return lines;
}
