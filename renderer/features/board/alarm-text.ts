// What an alarm on the board says: its cause in the station's own words and
// what to do about it, from the details the core recorded when it raised it.
// A plain function of the alarm, so each cause's sentence is tested without a
// browser (test/unit/alarm-text.test.ts).
import { vaultProblemKinds, type Alarm } from '../../../shared/ingest.js';
import type { Translate } from '../../i18n/i18n.js';
import { fileSize } from './format.js';

function detail(alarm: Alarm, key: string): string | null {
  const v = alarm.details?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** What `station verify` found, by kind, in the order a custodian should act on them. */
const VAULT_CHECK_KINDS = ['mismatch', 'missing', 'unreadable'] as const;

/** The alarm's text; a line break between sentences where it has several. */
export function alarmText(t: Translate, a: Alarm): string {
  const badge = detail(a, 'bindingBadge');
  if (a.kind === 'binding_mismatch' && badge) return t('board.alarm.bindingDetail', { badge });
  const free = a.details?.freeBytes;
  const reserve = a.details?.reserveBytes;
  if (a.kind === 'vault_low_space' && typeof free === 'number' && typeof reserve === 'number') {
    return t('board.alarm.lowSpaceDetail', { free: fileSize(t, Math.max(0, free)), reserve: fileSize(t, reserve) });
  }
  const problem = detail(a, 'problem');
  const vault = detail(a, 'vault');
  if (a.kind === 'vault_unavailable' && vault && (vaultProblemKinds as readonly string[]).includes(problem ?? '')) {
    return t(`board.alarm.vaultProblem.${problem}`, { vault });
  }
  const reason = detail(a, 'reason');
  if (a.kind === 'probe_unavailable' && reason) return t('board.alarm.probeDetail', { reason });
  if (a.kind === 'verify_failure') {
    // Raised by a copy whose read-back differed (the file stays on the camera) ...
    const path = detail(a, 'path');
    if (path) return t('board.alarm.copyMismatchDetail', { path });
    // ... or by `station verify`, with how many clips it found in each state. Missing files have
    // a remedy the custodian can carry out (dock the camera again); altered ones are for 综合处.
    const found = a.details?.found;
    if (typeof found === 'object' && found !== null) {
      const counts = found as Record<string, unknown>;
      const parts = VAULT_CHECK_KINDS.filter((k) => typeof counts[k] === 'number' && counts[k] > 0).map((k) =>
        t(`board.alarm.vaultCheck.${k}`, { count: counts[k] as number }),
      );
      // One sentence a line (the board's alarm text keeps line breaks): read from across the room.
      const putRight = a.details?.putRight;
      if (typeof putRight === 'number' && putRight > 0) parts.push(t('board.alarm.vaultCheck.putRight', { count: putRight }));
      if (parts.length > 0) return [t('board.alarm.vaultCheck.lead'), ...parts].join('\n');
    }
  }
  return t(`board.alarmHint.${a.kind}`);
}
