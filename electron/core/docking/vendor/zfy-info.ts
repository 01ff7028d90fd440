// ZFY_INFO, the record GetZFYInfo fills and WriteZFYInfo takes, as vendors'
// headers declare it (packed, pack(1); all char arrays, so no padding either way):
//   char cSerial[8]; char userNo[7]; char userName[33]; char unitNo[13]; char unitName[33];
// Read and written as bytes here, not through an FFI struct type, so that each
// field's terminator and encoding are checked by the station, not assumed.
import { readField, writeField, type VendorEncoding } from './text.js';

export const ZFY_FIELDS = [
  { key: 'serial', c: 'cSerial', size: 8, words: { zh: '产品序号', en: 'serial' } },
  { key: 'badge', c: 'userNo', size: 7, words: { zh: '警号', en: 'badge number' } },
  { key: 'name', c: 'userName', size: 33, words: { zh: '姓名', en: 'name' } },
  { key: 'unitId', c: 'unitNo', size: 13, words: { zh: '单位编号', en: 'unit number' } },
  { key: 'unitName', c: 'unitName', size: 33, words: { zh: '单位名称', en: 'unit name' } },
] as const;

export type ZfyField = (typeof ZFY_FIELDS)[number]['key'];

/** sizeof(ZFY_INFO): 94 bytes. */
export const ZFY_INFO_SIZE = ZFY_FIELDS.reduce((n, f) => n + f.size, 0);

const offsets = new Map<ZfyField, number>();
{
  let at = 0;
  for (const f of ZFY_FIELDS) {
    offsets.set(f.key, at);
    at += f.size;
  }
}

/** The record's values as text; null for an empty field (a camera not yet bound to an officer). */
export type ZfyValues = Record<ZfyField, string | null>;

export type ZfyReading = { ok: true; values: ZfyValues } | { ok: false; field: (typeof ZFY_FIELDS)[number]; why: { zh: string; en: string } };

/** Decodes the record; the first field that is not sane makes the whole record garbage. */
export function parseZfyInfo(bytes: Uint8Array, encoding: VendorEncoding): ZfyReading {
  if (bytes.length < ZFY_INFO_SIZE) throw new Error(`ZFY_INFO needs ${ZFY_INFO_SIZE} bytes, got ${bytes.length}`);
  const values = {} as ZfyValues;
  for (const f of ZFY_FIELDS) {
    const at = offsets.get(f.key)!;
    const r = readField(bytes.subarray(at, at + f.size), encoding);
    if (!r.ok) return { ok: false, field: f, why: r.why };
    values[f.key] = r.value === '' ? null : r.value;
  }
  return { ok: true, values };
}

/** The record for WriteZFYInfo; throws (bilingual, naming the field) for a value that does not fit. */
export function encodeZfyInfo(values: ZfyValues, encoding: VendorEncoding): Buffer {
  const out = Buffer.alloc(ZFY_INFO_SIZE);
  for (const f of ZFY_FIELDS) writeField(out, offsets.get(f.key)!, f.size, values[f.key] ?? '', encoding, f.words);
  return out;
}
