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
export function formatTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

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
