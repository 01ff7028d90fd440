// The view register (查阅登记) as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel
// reads the Chinese), both languages in the header, and every cell a spreadsheet would take for a
// formula defused (CSV injection): a 查阅事由 is free text a requester typed.
import type { ViewPurpose } from '../../../shared/library.js';
import { formatStationTime } from '../../../shared/time.js';
import type { ViewCloseReason, ViewRegisterEntry } from '../../../shared/viewing.js';

const BOM = '\uFEFF';

export const HEADERS = [
  '登记号 / No.',
  '查阅人 / Viewer',
  '警号 / Badge',
  '录像编号 / Clip',
  '批准编号 / Grant',
  '查阅事由 / Reason',
  '查阅目的 / Purpose',
  '批准人 / Approver',
  '开始时间 / Opened',
  '结束时间 / Closed',
  '时长（秒） / Duration (s)',
  '结束原因 / Ended because',
  '读取字节 / Bytes served',
];

export const PURPOSES: Record<ViewPurpose, string> = {
  litigation: '涉法涉诉 / Litigation',
  supervision: '执法监督 / Supervision',
  case_analysis: '案情研判 / Case analysis',
  other: '其他 / Other',
};

export const CLOSED: Record<ViewCloseReason, string> = {
  closed: '查阅结束 / Closed',
  expired: '批准到期 / Grant expired',
  revoked: '批准撤销 / Grant revoked',
  not_granted: '无有效批准 / No valid grant',
  interrupted: '工作站重启中断 / Station restarted',
};

export const OWN_FOOTAGE = '本人近期录像（工作站设置） / Own recent footage (station setting)';

/** A cell a spreadsheet would run as a formula (= + - @, or a tab or CR it strips first) starts with an apostrophe. */
export function defuseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: a cell with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvCell(value: string): string {
  const safe = defuseCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function registerCsv(entries: readonly ViewRegisterEntry[], timeZone: string): string {
  const rows = entries.map((e) => [
    String(e.id),
    e.viewer.name,
    e.viewer.badge,
    String(e.clipId),
    e.grantId === null ? OWN_FOOTAGE : String(e.grantId),
    e.reason,
    e.purpose ? PURPOSES[e.purpose] : '',
    e.approver ?? '',
    formatStationTime(e.openedAt, timeZone),
    e.closedAt === null ? '' : formatStationTime(e.closedAt, timeZone),
    e.closedAt === null ? '' : String(Math.round((e.closedAt - e.openedAt) / 1000)),
    e.closedBecause ? CLOSED[e.closedBecause] : '',
    String(e.bytesServed),
  ]);
  return BOM + [HEADERS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
