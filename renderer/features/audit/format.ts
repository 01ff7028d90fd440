// How audit rows read in the UI: actions, actors, objects and before/after
// values, translated where the station knows the word and raw otherwise, so an
// action added later is still shown (as its code) rather than hidden.
import type { AuditEntry } from '../../../shared/domain.js';
import { deviceStatuses } from '../../../shared/domain.js';
import { roles } from '../../../shared/roles.js';
import type { Translate } from '../../i18n/i18n.js';

export interface Words {
  t: Translate;
  has(key: string): boolean;
  time(ms: number): string;
  /** What names an object today (badge and name, serial), for rows whose snapshot does not say. */
  objectName(objectType: string, objectId: string): string | undefined;
}

export function actionLabel(w: Words, action: string): string {
  const key = `audit.actions.${action}`;
  return w.has(key) ? w.t(key) : action;
}

export function actorLabel(w: Words, e: AuditEntry): string {
  if (e.actorKind === 'os') return w.t('audit.actorOs', { user: e.actorLabel.replace(/^os:/, '') });
  if (e.actorKind === 'station') return w.t('audit.actorStation');
  return e.actorLabel;
}

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** "人员 000002 李保管", "执法记录仪 DSJ-0001": the type, then what names the object in its snapshot. */
export function objectLabel(w: Words, e: AuditEntry): string {
  const typeKey = `audit.objects.${e.objectType}`;
  const type = w.has(typeKey) ? w.t(typeKey) : e.objectType;
  const snap = record(e.after) ?? record(e.before) ?? {};
  const names = [snap.serial, snap.badge, snap.name].filter((v): v is string => typeof v === 'string' && v !== '');
  if (names.length > 0) return `${type} ${names.join(' ')}`;
  if (e.objectId === null) return type;
  return `${type} ${w.objectName(e.objectType, e.objectId) ?? `#${e.objectId}`}`;
}

const isRole = (v: unknown) => typeof v === 'string' && (roles as readonly string[]).includes(v);
const isStatus = (v: unknown) => typeof v === 'string' && (deviceStatuses as readonly string[]).includes(v);

export function valueText(w: Words, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? w.t('common.yes') : w.t('common.no');
  if (typeof v === 'number' && /until|at$/i.test(field) && v > 1e11) return w.time(v);
  if (Array.isArray(v) && v.every(isRole)) return v.map((r) => w.t(`roles.${String(r)}`)).join(w.t('common.listSeparator'));
  if (isStatus(v)) return w.t(`deviceStatus.${String(v)}`);
  if (field === 'kind' && (v === 'password' || v === 'pin')) return w.t(`audit.secretKind.${v}`);
  if (field === 'reason' && typeof v === 'string' && w.has(`audit.reasons.${v}`)) return w.t(`audit.reasons.${v}`);
  const r = record(v);
  // A person reference ({id, badge}): the badge, with today's name when known. Not a camera's
  // identity or binding ({serial, badge, name, unit…}), which is shown whole: its serial matters.
  if (r && typeof r.badge === 'string' && !('serial' in r) && !('deviceSerial' in r)) {
    return (typeof r.id === 'number' && w.objectName('person', String(r.id))) || r.badge;
  }
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

export function fieldLabel(w: Words, field: string): string {
  const key = `audit.fields.${field}`;
  return w.has(key) ? w.t(key) : field;
}

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Field by field; a snapshot that is not an object shows as one "value" row. */
export function diff(before: unknown, after: unknown): DiffRow[] {
  const b = record(before);
  const a = record(after);
  if ((before !== null && !b) || (after !== null && !a)) {
    return [{ field: 'value', before, after, changed: JSON.stringify(before) !== JSON.stringify(after) }];
  }
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return fields.map((field) => {
    const bv = b?.[field];
    const av = a?.[field];
    return { field, before: bv, after: av, changed: b !== null && a !== null && JSON.stringify(bv) !== JSON.stringify(av) };
  });
}
