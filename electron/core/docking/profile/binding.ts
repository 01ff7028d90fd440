// The binding: who the camera says it belongs to (产品序号, 警号, 姓名, 单位),
// read from a file on its card. A field names one key, keys tried in order
// (alternative INI sections such as [ZFY]/[ZHY], or a vendor's fallback such
// as PolNo → DevNo), or, in a delimited record, a position.
import { parseDeviceFile, readDeviceFile } from './device-file.js';
import type { BindingField, ProfileData } from './schema.js';

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

export const emptyBinding = (): BindingValues => ({ deviceSerial: null, badge: null, name: null, unitId: null, unitName: null });

/**
 * A delimited record (Info.dat's `devNo;x;polNo;name`): the first line that
 * holds anything, split by the separator; positions count from 1.
 */
export function delimitedRecord(text: string, separator: string): (position: number) => string | undefined {
  const line = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  const fields = line.split(separator);
  return (position) => fields[position - 1];
}

/** Reads who the camera says it belongs to (GA/T 947 recorders carry this). */
export async function readBinding(profile: ProfileData, volumeRoot: string): Promise<BindingReading> {
  if (profile.binding === 'none') return { status: 'unsupported' };
  const b = profile.binding;
  const file = await readDeviceFile(volumeRoot, b.path, b.encoding);
  if (file.state !== 'ok') return file.state === 'missing' ? { status: 'missing', path: file.path } : { status: 'unreadable', path: file.path, error: file.error };
  let lookup: (k: string | number) => string | undefined;
  if (b.format === 'delimited') {
    const record = delimitedRecord(file.text, b.separator ?? ';');
    lookup = (k) => (typeof k === 'number' ? record(k) : undefined);
  } else {
    const parsed = parseDeviceFile(file, b.format);
    if (typeof parsed === 'string') return { status: 'unreadable', path: file.path, error: parsed };
    lookup = (k) => (typeof k === 'string' ? parsed(k) : undefined);
  }
  const values = emptyBinding();
  const missing: BindingField[] = [];
  for (const [field, where] of Object.entries(b.fields) as Array<[BindingField, string | string[] | number | undefined]>) {
    if (where === undefined) continue;
    const keys = Array.isArray(where) ? where : [where];
    // The first key that holds a value: a vendor's fallback is the next key.
    const v = keys.map((k) => lookup(k)?.trim()).find((x) => x);
    if (v) values[field] = v;
    else missing.push(field);
  }
  return { status: 'ok', path: file.path, values, missing };
}
