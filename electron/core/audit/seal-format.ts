// How a seal is written down: the QR code's payload (every field, so a seal
// verifies even when every stored copy is gone), its digest, and the
// 32-character human form printed for 综合处's register.
//
// The payload is `ES-SEAL1/` then the fields, `/`-separated, in upper case:
// hex, decimal digits, `-` and `/` only. That is QR's alphanumeric alphabet
// (11 bits per two characters instead of 8 per byte: a smaller code on the
// sheet), it is typed the same by a keyboard-wedge scanner on any keyboard
// layout, and it reads the same with Caps Lock on (parsing ignores case). The
// station's name is therefore carried as the hex of its UTF-8 bytes: a scanner
// typing keystrokes cannot type Chinese. The payload is also the canonical
// serialisation: the digest is the SHA-256 of its text, and parsing accepts
// only text that serialises back to itself (no leading zeros, no spare fields).
import { createHash } from 'node:crypto';
import type { Seal, SealFields } from '../../../shared/seal.js';

export const SEAL_FORMAT = 'ES-SEAL1';
export const GENESIS_SEAL = '0'.repeat(64);

const FIELD_ORDER = [
  'station',
  'day',
  'dayStartAt',
  'dayEndAt',
  'number',
  'madeAt',
  'clipsThrough',
  'auditSeq',
  'auditHash',
  'clipCount',
  'merkleRoot',
  'previous',
] as const satisfies ReadonlyArray<keyof SealFields>;

const HEX_FIELDS = new Set<keyof SealFields>(['auditHash', 'merkleRoot', 'previous']);
const INT_FIELDS = new Set<keyof SealFields>(['dayStartAt', 'dayEndAt', 'number', 'madeAt', 'clipsThrough', 'auditSeq', 'clipCount']);

export function sealPayload(f: SealFields): string {
  const parts = FIELD_ORDER.map((k) => {
    if (k === 'station') return Buffer.from(f.station, 'utf8').toString('hex').toUpperCase();
    if (HEX_FIELDS.has(k)) return String(f[k]).toUpperCase();
    return String(f[k]);
  });
  return [SEAL_FORMAT, ...parts].join('/');
}

// Crockford's base32: no I, L, O or U, so a code copied by hand from paper has no 1/I/L or 0/O
// to confuse, and decoding takes I and L for 1 and O for 0 as Crockford says.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out;
}

/** The 32-character human form: 160 bits of the digest, enough that no forged seal will share it. */
export function sealCode(digest: string): string {
  return base32(Buffer.from(digest, 'hex').subarray(0, 20));
}

export function sealOf(f: SealFields): Seal {
  const payload = sealPayload(f);
  const digest = createHash('sha256').update(payload, 'ascii').digest('hex');
  return { ...f, digest, code: sealCode(digest), payload, complete: f.madeAt >= f.dayEndAt };
}

/** What someone typed or scanned: a payload (fields), a human form, or neither (with why). */
export type SealInput = { kind: 'payload'; fields: SealFields } | { kind: 'code'; code: string } | { kind: 'unreadable'; why: string };

const INT = /^(0|[1-9][0-9]{0,15})$/;
const HEX64 = /^[0-9A-F]{64}$/;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const STATION_HEX = /^(?:[0-9A-F]{2}){0,256}$/;

function parsePayload(text: string): SealInput {
  const parts = text.split('/');
  if (parts[0] !== SEAL_FORMAT) {
    return { kind: 'unreadable', why: `不认识的封存格式 ${parts[0]}（本站支持 ${SEAL_FORMAT}） / unknown seal format ${parts[0]} (this station reads ${SEAL_FORMAT})` };
  }
  if (parts.length !== FIELD_ORDER.length + 1) {
    return { kind: 'unreadable', why: `二维码内容不完整：应有 ${FIELD_ORDER.length + 1} 段，实有 ${parts.length} 段 / the payload is incomplete: ${parts.length} parts, not ${FIELD_ORDER.length + 1}` };
  }
  const f: Record<string, string | number> = {};
  for (const [i, k] of FIELD_ORDER.entries()) {
    const v = parts[i + 1]!;
    if (k === 'station') {
      if (!STATION_HEX.test(v)) return { kind: 'unreadable', why: `二维码内容中的站名无效 / the station name in the payload is not valid` };
      try {
        f[k] = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(v, 'hex'));
      } catch {
        return { kind: 'unreadable', why: `二维码内容中的站名无效 / the station name in the payload is not valid` };
      }
    } else if (k === 'day') {
      if (!DAY.test(v)) return { kind: 'unreadable', why: `二维码内容中的日期无效 / the day in the payload is not valid` };
      f[k] = v;
    } else if (HEX_FIELDS.has(k)) {
      if (!HEX64.test(v)) return { kind: 'unreadable', why: `二维码内容中的 ${k} 无效 / ${k} in the payload is not valid` };
      f[k] = v.toLowerCase();
    } else if (INT_FIELDS.has(k)) {
      if (!INT.test(v) || !Number.isSafeInteger(Number(v))) return { kind: 'unreadable', why: `二维码内容中的 ${k} 无效 / ${k} in the payload is not valid` };
      f[k] = Number(v);
    }
  }
  const fields = f as unknown as SealFields;
  // Only the canonical text is a seal's payload: anything else would have another digest.
  if (sealPayload(fields) !== text) return { kind: 'unreadable', why: '二维码内容不是规范格式 / the payload is not in its canonical form' };
  return { kind: 'payload', fields };
}

/**
 * Reads what was typed or scanned. Whitespace anywhere is dropped (a scanner ends with Enter or
 * Tab, people type the groups with spaces) and case is ignored; in the human form dashes are
 * dropped too and I, L, O read as 1, 1, 0.
 */
export function readSealInput(raw: string): SealInput {
  const text = raw.replace(/\s+/g, '').toUpperCase();
  if (text.startsWith('ES-SEAL')) return parsePayload(text);
  const code = text.replace(/-/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (/^[0-9A-HJKMNP-TV-Z]{32}$/.test(code)) return { kind: 'code', code };
  return {
    kind: 'unreadable',
    why: '既不是 32 位封存码，也不是封存单二维码的内容 / neither a 32-character seal code nor the payload of a seal sheet\'s QR code',
  };
}

/** A stored seal's fields, as its audit row or file keeps them (the digest is always computed again, never read). */
export function fieldsOf(stored: unknown): SealFields | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) {
    const v = s[k];
    if (k === 'station' || k === 'day') {
      if (typeof v !== 'string') return null;
    } else if (HEX_FIELDS.has(k)) {
      if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) return null;
    } else if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return null;
    out[k] = v;
  }
  return out as unknown as SealFields;
}

/** Only the fields, in their order: what an audit row or a file stores of a seal besides its digest. */
export function fieldsOnly(f: SealFields): SealFields {
  return Object.fromEntries(FIELD_ORDER.map((k) => [k, f[k]])) as unknown as SealFields;
}
