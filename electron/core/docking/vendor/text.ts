// Strings to and from a vendor's library: fixed-size, NUL-terminated fields in
// the profile's encoding (GBK in the 公安部 interface, read as GB18030, its
// superset). Decoding is strict: a field that is not NUL-terminated within its
// size, is not valid in the encoding, or holds control characters is not a
// value the camera meant, and the caller reports it as garbage instead of
// storing a serial that will never match the registry.
//
// Node decodes GB18030 but cannot encode it, so the two-byte table is built
// once by decoding the whole GBK grid (0x81–0xFE × 0x40–0xFE less 0x7F, all of
// it assigned) and inverting it. Characters outside it are refused: a GBK
// library could not store them anyway.

export type VendorEncoding = 'utf-8' | 'gb18030';

let table: Map<string, number> | null = null;

function twoByteTable(): Map<string, number> {
  if (table) return table;
  const codes: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) codes.push((lead << 8) | trail);
  }
  const bytes = new Uint8Array(codes.length * 2);
  codes.forEach((c, i) => {
    bytes[2 * i] = c >> 8;
    bytes[2 * i + 1] = c & 0xff;
  });
  const chars = [...new TextDecoder('gb18030').decode(bytes)];
  if (chars.length !== codes.length) throw new Error('GB18030 two-byte table did not decode one character per code');
  const built = new Map<string, number>();
  chars.forEach((ch, i) => {
    if (!built.has(ch)) built.set(ch, codes[i]!);
  });
  table = built;
  return built;
}

/** Why `text` cannot be encoded, or null. */
function unencodable(text: string, encoding: VendorEncoding): string | null {
  if (encoding === 'utf-8') return null;
  for (const ch of text) {
    if (ch.codePointAt(0)! < 0x80) continue;
    if (!twoByteTable().has(ch)) return ch;
  }
  return null;
}

/** `text` in the library's encoding, without a terminator. Throws (bilingual) for a character the encoding lacks. */
export function encodeVendorText(text: string, encoding: VendorEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bad = unencodable(text, encoding);
  if (bad !== null) {
    throw new Error(`字符“${bad}”不在 GBK 字符集内，厂商库无法保存 / the character "${bad}" is not in GBK; the vendor's library cannot store it`);
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const code = twoByteTable().get(ch)!;
      out.push(code >> 8, code & 0xff);
    }
  }
  return Buffer.from(out);
}

/** A NUL-terminated string for a `char *` argument (the password). */
export function cString(text: string, encoding: VendorEncoding): Buffer {
  if (text.includes('\0')) throw new Error('文本中不能有 NUL 字符 / the text must not contain a NUL character');
  return Buffer.concat([encodeVendorText(text, encoding), Buffer.from([0])]);
}

/** Characters no camera writes in a serial, badge, name or clock: C0 and C1 controls, DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type FieldReading = { ok: true; value: string } | { ok: false; why: { zh: string; en: string } };

/**
 * Reads a C string from a fixed-size field: the bytes up to the first NUL, decoded strictly and
 * trimmed of the spaces some firmware pads with. Bytes after the NUL are the library's leftovers
 * and are ignored, as C ignores them.
 */
export function readField(bytes: Uint8Array, encoding: VendorEncoding): FieldReading {
  const end = bytes.indexOf(0);
  if (end < 0) {
    return {
      ok: false,
      why: { zh: `在 ${bytes.length} 字节内没有结束符 NUL`, en: `not NUL-terminated within its ${bytes.length} bytes` },
    };
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    const name = encoding === 'gb18030' ? 'GBK/GB18030' : 'UTF-8';
    return { ok: false, why: { zh: `不是有效的 ${name} 文本`, en: `not valid ${name} text` } };
  }
  if (CONTROL.test(text)) {
    const hex = Buffer.from(bytes.subarray(0, Math.min(end, 16))).toString('hex');
    return { ok: false, why: { zh: `含有控制字符（前几个字节：${hex}）`, en: `holds control characters (first bytes: ${hex})` } };
  }
  return { ok: true, value: text.trim() };
}

/**
 * Writes `text` into a fixed-size field, NUL-terminated; throws (bilingual) when it does not fit
 * or cannot be encoded, naming the field. A value cut to fit would put another officer's
 * number on the camera.
 */
export function writeField(target: Buffer, offset: number, size: number, text: string, encoding: VendorEncoding, field: { zh: string; en: string }): void {
  let bytes: Buffer;
  try {
    if (text.includes('\0') || CONTROL.test(text)) throw new Error('不能含有控制字符 / must not contain control characters');
    bytes = encodeVendorText(text, encoding);
  } catch (err) {
    throw new Error(`${field.zh}“${text}”无法写入记录仪：${(err as Error).message.split(' / ')[0]} / the ${field.en} "${text}" cannot be written to the camera: ${(err as Error).message.split(' / ').slice(1).join(' / ')}`, {
      cause: err,
    });
  }
  if (bytes.length > size - 1) {
    throw new Error(
      `${field.zh}“${text}”太长：编码后 ${bytes.length} 字节，记录仪中该项最多 ${size - 1} 字节 / the ${field.en} "${text}" is too long: ${bytes.length} bytes encoded, the camera's field holds at most ${size - 1}`,
    );
  }
  target.fill(0, offset, offset + size);
  bytes.copy(target, offset);
}
