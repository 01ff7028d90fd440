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

/**
 * What `station verify` found, by kind, in the order a custodian should act on them (the core's
 * VAULT_PROBLEM_KINDS, electron/core/ingest/verify-problems.ts; test/unit/alarm-text.test.ts holds
 * the two lists together): the vault or the index altered, then what a dock puts right, then the disk.
 */
export const VAULT_CHECK_KINDS = [
  'mismatch',
  'audit_mismatch',
  'committed_not_indexed',
  'index_gap',
  'audit_missing',
  'missing',
  'orphan_file',
  'orphan_sidecar',
  'unreadable',
] as const;

/** The parts of a camera a footage_unreadable alarm names (electron/core/alarms/footage-unreadable.ts), of the kinds this screen can name. */
const UNREAD_KINDS = ['unreadable_folder', 'unreadable_entry', 'special_file', 'unsafe_name'] as const;
/** Lines of parts on the board; the dock's 详情 lists them all. */
const UNREAD_SHOWN = 5;
/** Lines of a camera profile's problems on the board; npm run profile:check lists them all. */
const PROFILE_PROBLEMS_SHOWN = 5;

function unreadParts(a: Alarm): Array<{ kind: (typeof UNREAD_KINDS)[number]; path: string; code: string | null }> {
  const list = a.details?.unread;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const p = item as { kind?: unknown; path?: unknown; code?: unknown } | null;
    if (!p || typeof p.path !== 'string' || !(UNREAD_KINDS as readonly unknown[]).includes(p.kind)) return [];
    return [{ kind: p.kind as (typeof UNREAD_KINDS)[number], path: p.path, code: typeof p.code === 'string' ? p.code : null }];
  });
}

const IDENTITY_SOURCES = ['vendor', 'binding', 'label', 'folder', 'name'] as const;
const IDENTITY_FIELDS = ['deviceSerial', 'badge', 'name', 'unitId', 'unitName'] as const;

/** What each source of a camera's identity said, most trusted first, of the sources and fields this screen can name. */
function sourcesSaid(a: Alarm): Array<{ source: string; value: string }> {
  const list = a.details?.said;
  if (!Array.isArray(list) || !(IDENTITY_FIELDS as readonly unknown[]).includes(a.details?.field)) return [];
  return list.flatMap((item: unknown) => {
    const s = item as { source?: unknown; value?: unknown } | null;
    return s && typeof s.value === 'string' && (IDENTITY_SOURCES as readonly unknown[]).includes(s.source) ? [{ source: s.source as string, value: s.value }] : [];
  });
}

/** The alarm's text; a line break between sentences where it has several. */
export function alarmText(t: Translate, a: Alarm): string {
  const badge = detail(a, 'bindingBadge');
  if (a.kind === 'binding_mismatch' && badge) return t('board.alarm.bindingDetail', { badge });
  const said = sourcesSaid(a);
  if (a.kind === 'binding_mismatch' && said.length > 1) {
    // Two sources of the camera's identity disagree (electron/core/docking/profile/identity.ts).
    const field = t(`board.alarm.identityField.${detail(a, 'field')}`);
    const list = said.map((s) => t('board.alarm.identitySaid', { source: t(`board.alarm.identitySource.${s.source}`), value: s.value })).join(t('board.alarm.listSeparator'));
    return t('board.alarm.identityDisagree', { field, list, used: said[0]!.value });
  }
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
  if (a.kind === 'footage_unreadable') {
    const parts = unreadParts(a);
    if (parts.length > 0) {
      const total = typeof a.details?.total === 'number' ? Math.max(a.details.total, parts.length) : parts.length;
      // Which parts, one a line, then what to do: the custodian acts on the camera while it is docked.
      const shown = parts.slice(0, UNREAD_SHOWN);
      return [
        t('board.alarm.footageUnreadable.lead', { count: total }),
        ...shown.map((p) => {
          const what = t(`board.alarm.footageUnreadable.what.${p.kind}`);
          // The system's code where reading failed (EACCES, EIO) tells an administrator where to look; a pipe has none.
          return p.code ? t('board.alarm.footageUnreadable.part', { path: p.path, what, code: p.code }) : t('board.alarm.footageUnreadable.partPlain', { path: p.path, what });
        }),
        ...(total > shown.length ? [t('board.alarm.footageUnreadable.more', { count: total - shown.length })] : []),
        t('board.alarm.footageUnreadable.todo'),
      ].join('\n');
    }
  }
  const profileFile = detail(a, 'file');
  if (a.kind === 'profile_invalid' && profileFile) {
    // A camera profile that does not load (electron/core/alarms/profile-invalid.ts): which file, each
    // field and its problem a line, then what to do; the file is skipped, so its model is not recognised.
    const folder = a.details?.scope === 'folder';
    const listed = Array.isArray(a.details?.problems) ? (a.details.problems as unknown[]) : [];
    const problems = listed.flatMap((item) => {
      const p = item as { field?: unknown; message?: unknown } | null;
      return p && typeof p.field === 'string' && typeof p.message === 'string' ? [{ field: p.field, message: p.message }] : [];
    });
    const total = typeof a.details?.total === 'number' ? Math.max(a.details.total, problems.length) : problems.length;
    const shown = problems.slice(0, PROFILE_PROBLEMS_SHOWN);
    return [
      t(folder ? 'board.alarm.profileInvalid.folderLead' : 'board.alarm.profileInvalid.lead', { file: profileFile }),
      ...shown.map((p) => t('board.alarm.profileInvalid.problem', { field: p.field || t('board.alarm.profileInvalid.wholeFile'), message: p.message })),
      ...(total > shown.length ? [t('board.alarm.profileInvalid.more', { count: total - shown.length })] : []),
      t(folder ? 'board.alarm.profileInvalid.todoFolder' : 'board.alarm.profileInvalid.todo'),
    ].join('\n');
  }
  if (a.kind === 'files_exposed' && Array.isArray(a.details?.files)) {
    // Station files other accounts may read or change (electron/core/alarms/files-exposed.ts): each a line.
    const files = (a.details.files as unknown[]).flatMap((item) => {
      const f = item as { path?: unknown; mode?: unknown; problem?: unknown } | null;
      return f && typeof f.path === 'string' && typeof f.mode === 'string' ? [{ path: f.path, mode: f.mode, owner: f.problem === 'owner' }] : [];
    });
    const total = typeof a.details.total === 'number' ? Math.max(a.details.total, files.length) : files.length;
    const shown = files.slice(0, PROFILE_PROBLEMS_SHOWN);
    return [
      t('board.alarm.filesExposed.lead', { count: total }),
      ...shown.map((f) => t(f.owner ? 'board.alarm.filesExposed.owner' : 'board.alarm.filesExposed.mode', { path: f.path, mode: f.mode })),
      ...(total > shown.length ? [t('board.alarm.filesExposed.more', { count: total - shown.length })] : []),
      t('board.alarm.filesExposed.todo'),
    ].join('\n');
  }
  if (a.kind === 'verify_failure') {
    // Raised by an evidence disc's build that found vault files no longer as stored (export/build.ts) ...
    if (a.details?.source === 'export' && Array.isArray(a.details.clips)) {
      return t('board.alarm.exportAltered', { exportNo: String(a.details.exportNo ?? ''), count: a.details.clips.length });
    }
    // ... by a copy whose read-back differed (the file stays on the camera) ...
    const path = detail(a, 'path');
    if (path) return t('board.alarm.copyMismatchDetail', { path });
    // ... or by `station verify`, with how many clips it found in each state. Missing files have
    // a remedy the custodian can carry out (dock the camera again); altered files, an index that
    // no longer agrees with the audit log and files outside the index are for 综合处.
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
