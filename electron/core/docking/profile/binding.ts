// The binding: who the camera says it belongs to (产品序号, 警号, 姓名, 单位).
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
