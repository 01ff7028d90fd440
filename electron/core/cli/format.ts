import type { AuditBreakReason, DeviceStatus, PersonRef } from '../../../shared/domain.js';
import type { Role } from '../../../shared/roles.js';
import { roles } from '../../../shared/roles.js';
import { deviceStatuses } from '../../../shared/domain.js';

/** zh first, en second: how every user-visible word of the CLI is kept. */
export interface Words {
  zh: string;
  en: string;
}

export const roleWords: Readonly<Record<Role, Words>> = {
  officer: { zh: '执法人员', en: 'officer' },
  custodian: { zh: '保管人', en: 'custodian' },
  general_office: { zh: '综合处', en: 'general office' },
  department_head: { zh: '部门负责人', en: 'department head' },
  auditor: { zh: '审计员', en: 'auditor' },
  administrator: { zh: '系统管理员', en: 'administrator' },
};

export const statusWords: Readonly<Record<DeviceStatus, Words>> = {
  in_service: { zh: '在用', en: 'in service' },
  out_of_service: { zh: '停用', en: 'out of service' },
  retired: { zh: '报废', en: 'retired' },
};

export const breakWords: Readonly<Record<AuditBreakReason, Words>> = {
  hash_mismatch: { zh: '内容被修改', en: 'row edited' },
  chain_mismatch: { zh: '前面有记录被删除或插入', en: 'a row before it was removed or inserted' },
  truncated: { zh: '末尾记录缺失', en: 'rows cut off the end' },
  anchor_missing: { zh: '审计锚点文件缺失或损坏', en: 'the audit anchor file is gone or damaged' },
};

const squash = (s: string) => s.trim().toLowerCase().replace(/[-\s]+/g, '_');

/** A role by its id (`general_office`, `general-office`) or its Chinese name (`综合处`). */
export function parseRole(text: string): Role | undefined {
  const key = squash(text);
  return roles.find((r) => r === key || roleWords[r].zh === text.trim() || squash(roleWords[r].en) === key);
}

/** A device status by its id (`in_service`) or its Chinese word (`在用`). */
export function parseStatus(text: string): DeviceStatus | undefined {
  const key = squash(text);
  return deviceStatuses.find((s) => s === key || statusWords[s].zh === text.trim());
}

export const roleList = (rs: readonly Role[]): Words => ({
  zh: rs.map((r) => roleWords[r].zh).join('、'),
  en: rs.map((r) => roleWords[r].en).join(', '),
});

export const personLabel = (p: PersonRef | { badge: string; name: string }): Words => ({
  zh: `${p.name}（${p.badge}）`,
  en: `${p.name} (${p.badge})`,
});

/**
 * `2026-11-27 09:00:00` in the station's zone. Stored times are UTC; whoever
 * reads the output is at the station, so its zone is the one that means
 * something (the zone is named once per output, not on every line).
 */
export { formatStationTime as formatTime } from '../../../shared/time.js';

/** Terminal columns a string takes: CJK and full-width forms take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Left-aligned columns, two spaces apart, aligned by display width so Chinese names line up. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** `12.3 MB`: decimal units, the same ones the MB/s beside them use. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** `85.3 MB/s`. */
export const formatRate = (bytesPerSecond: number): string => `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** `0:07`, `12:05`, `1:02:03`: a clock-style span for an ETA. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** A time taken: `850 ms`, `3.2 s`, `2 min 05 s` (units read the same in both languages). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The camera's clock against the station's (第七条): camera minus station, as measured at dock. */
export function skewWords(skewMs: number | null): Words {
  if (skewMs === null) return { zh: '无法测量（记录仪未提供时钟）', en: 'not measured (the camera offers no clock)' };
  const abs = Math.round(Math.abs(skewMs) / 1000);
  if (abs === 0) return { zh: '与采集站一致（相差不到 1 秒）', en: 'in step with the station (under 1 s apart)' };
  const m = Math.floor(abs / 60);
  const s = abs % 60;
  const zhSpan = m > 0 ? `${m} 分 ${s} 秒` : `${s} 秒`;
  const enSpan = m > 0 ? `${m} min ${s} s` : `${s} s`;
  return skewMs < 0
    ? { zh: `记录仪慢 ${zhSpan}；片段时间已据此校正`, en: `the camera is ${enSpan} slow; clip times are corrected for it` }
    : { zh: `记录仪快 ${zhSpan}；片段时间已据此校正`, en: `the camera is ${enSpan} fast; clip times are corrected for it` };
}

/** `label  value` rows, the values aligned by display width (bilingual labels vary in width). */
export function labelled(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([l]) => displayWidth(l)));
  return rows.map(([l, v]) => `${indent}${l}${' '.repeat(width - displayWidth(l))}  ${v}`.trimEnd());
}

/**
 * A path as a shell would need it typed, for the commands the CLI suggests
 * (`station devices add …`): quoted only when it has to be.
 */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/u.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
