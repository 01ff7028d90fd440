// Who may see a clip's pictures, decided again for every byte range served (第十八、二十一条):
// a grant in force that covers the clip, or (when the station allows it) an officer's own recent
// footage. Secret clips open only under a grant a department head gave on a request naming them
// (its clips, case or checkout), never under a standing grant nor the own-footage setting.
import type { ViewDenial, ViewingSettings } from '../../../shared/viewing.js';
import { isSecret } from '../../../shared/library.js';
import type { Role } from '../../../shared/roles.js';
import { permissionsOf } from '../../../shared/roles.js';
import { StationError } from '../../../shared/errors.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { clipConfidentiality } from '../library/confidentiality.js';

const DAY_MS = 24 * 3600 * 1000;

export interface GrantRow {
  id: number;
  grantee_id: number;
  request_id: number | null;
  purpose: string;
  reason: string;
  scope: 'all' | 'clips' | 'case' | 'checkout';
  case_id: number | null;
  checkout_id: number | null;
  granted_at: number;
  granted_by: string;
  granted_by_id: number;
  by_head: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoked_by_id: number | null;
  revoke_reason: string | null;
}

export type ViewDecision =
  | { allowed: true; basis: 'grant'; grant: GrantRow }
  | { allowed: true; basis: 'own_footage'; grant: null }
  | { allowed: false; reason: ViewDenial };

function rolesOf(db: Db, personId: number): Role[] {
  return prepared<[number], { role: Role }>(db, 'SELECT role FROM person_role WHERE person_id = ?')
    .all(personId)
    .map((r) => r.role);
}

const isActive = (db: Db, personId: number): boolean =>
  prepared<[number], { active: number }>(db, 'SELECT active FROM person WHERE id = ?').get(personId)?.active === 1;

/** Every grant of the viewer that covers the clip, in force or not (the refusal says which ended). */
function grantsCovering(db: Db, viewerId: number, clipId: number, checkoutId: number | null): GrantRow[] {
  return prepared<[{ viewer: number; clip: number; checkout: number | null }], GrantRow>(
    db,
    `SELECT g.* FROM view_grant g
      WHERE g.grantee_id = @viewer
        AND (g.scope = 'all'
          OR (g.scope = 'clips' AND EXISTS (SELECT 1 FROM view_request_clip rc WHERE rc.request_id = g.request_id AND rc.clip_id = @clip))
          OR (g.scope = 'case' AND EXISTS (SELECT 1 FROM case_clip cc WHERE cc.case_id = g.case_id AND cc.clip_id = @clip))
          OR (g.scope = 'checkout' AND g.checkout_id = @checkout))
      ORDER BY g.expires_at DESC, g.id DESC`,
  ).all({ viewer: viewerId, clip: clipId, checkout: checkoutId });
}

/** A grant that may open a secret clip: a head's decision on a request that named it. */
const opensSecret = (g: GrantRow): boolean => g.request_id !== null && g.by_head === 1 && g.scope !== 'all';

interface Evaluation {
  decision: ViewDecision;
  /** Every grant in force that allows this view now (the session check asks whether its own is one). */
  allowing: GrantRow[];
  ownFootage: boolean;
  /** The latest grant that covered the clip, in force or not. */
  lastCovering: GrantRow | undefined;
}

function evaluate(db: Db, settings: ViewingSettings, viewerId: number, clipId: number, now: number): Evaluation {
  const clip = prepared<[number], { officer_id: number | null; checkout_id: number | null; at: number }>(
    db,
    'SELECT officer_id, checkout_id, COALESCE(start_at, committed_at) AS at FROM clip WHERE id = ?',
  ).get(clipId);
  if (!clip) throw new StationError('not_found', `没有编号为 ${clipId} 的录像。 / There is no clip ${clipId}.`, { field: 'clipId' });
  const roles = rolesOf(db, viewerId);
  // Roles change and people leave: the grant was given to a viewer, and only a viewer may use it.
  if (!isActive(db, viewerId) || !permissionsOf(roles).has('viewing.request')) {
    return { decision: { allowed: false, reason: 'not_a_viewer' }, allowing: [], ownFootage: false, lastCovering: undefined };
  }
  const secret = isSecret(clipConfidentiality(db, [clipId]).get(clipId) ?? 'normal');
  const all = grantsCovering(db, viewerId, clipId, clip.checkout_id);
  const inForce = (g: GrantRow) => g.revoked_at === null && g.expires_at > now;
  const allowing = all.filter((g) => inForce(g) && (!secret || opensSecret(g)));
  const ownFootage =
    !secret &&
    settings.ownFootageDays > 0 &&
    roles.includes('officer') &&
    clip.officer_id === viewerId &&
    clip.at >= now - settings.ownFootageDays * DAY_MS;
  const lastCovering = all[0];
  let decision: ViewDecision;
  if (allowing[0]) decision = { allowed: true, basis: 'grant', grant: allowing[0] };
  else if (ownFootage) decision = { allowed: true, basis: 'own_footage', grant: null };
  else if (secret && (all.some(inForce) || !lastCovering)) decision = { allowed: false, reason: 'secret_needs_head_grant' };
  // The grant that last covered the clip says why it no longer does.
  else if (lastCovering) decision = { allowed: false, reason: lastCovering.revoked_at !== null && lastCovering.revoked_at <= now ? 'revoked' : 'expired' };
  else decision = { allowed: false, reason: 'no_grant' };
  return { decision, allowing, ownFootage, lastCovering };
}

/**
 * Whether `viewerId` may see the clip's pictures at `now`, and under what: the grant in force that
 * expires last (so a session lasts as long as it can), or the own-footage setting. Throws
 * not_found for a clip the index does not hold.
 */
export function mayView(db: Db, settings: ViewingSettings, viewerId: number, clipId: number, now: number): ViewDecision {
  return evaluate(db, settings, viewerId, clipId, now).decision;
}

/**
 * Whether a view session opened under `grantId` (null: the own-footage setting) may go on at
 * `now`: that very basis must still allow the view. Another grant that allows it does not carry
 * the session on, since the register row names the grant; the player opens a new session.
 */
export function sessionMayContinue(
  db: Db,
  settings: ViewingSettings,
  viewerId: number,
  clipId: number,
  grantId: number | null,
  now: number,
): { ok: true } | { ok: false; because: 'expired' | 'revoked' | 'not_granted'; reason: ViewDenial } {
  const e = evaluate(db, settings, viewerId, clipId, now);
  if (grantId === null ? e.ownFootage : e.allowing.some((g) => g.id === grantId)) return { ok: true };
  const own = grantId === null ? undefined : prepared<[number], GrantRow>(db, 'SELECT * FROM view_grant WHERE id = ?').get(grantId);
  if (own && own.revoked_at !== null && own.revoked_at <= now) return { ok: false, because: 'revoked', reason: 'revoked' };
  if (own && own.expires_at <= now) return { ok: false, because: 'expired', reason: 'expired' };
  return { ok: false, because: 'not_granted', reason: e.decision.allowed ? 'no_grant' : e.decision.reason };
}

/**
 * For the library search (electron/core/library/, issue 20): which secret clips `viewerPersonId`
 * may see listed at `now`. The search hides every secret clip (secretClipSql) except those in the
 * set; 'all' means it hides none.
 *
 * - 'all' for a department head: the head approves every view of a secret clip (第二十一条) and
 *   must be able to find what they judge. Listing is metadata only; playing a secret clip still
 *   needs a head's grant naming it (mayView), and a head never approves their own request.
 * - otherwise the clips named by the viewer's grants in force that may open a secret clip: given
 *   by a department head on a request for those clips, their case or their checkout. The set may
 *   hold clips that are not secret (a checkout's others); the search only asks it about secret ones.
 * - an empty set for anyone else, an inactive person, or a person unknown.
 */
export function grantedClipIds(db: Db, viewerPersonId: number, now: number): Set<number> | 'all' {
  if (!isActive(db, viewerPersonId)) return new Set();
  const roles = rolesOf(db, viewerPersonId);
  if (roles.includes('department_head')) return 'all';
  if (!permissionsOf(roles).has('viewing.request')) return new Set();
  const rows = prepared<[{ viewer: number; now: number }], { clip_id: number }>(
    db,
    `SELECT rc.clip_id FROM view_grant g JOIN view_request_clip rc ON rc.request_id = g.request_id
      WHERE g.grantee_id = @viewer AND g.revoked_at IS NULL AND g.expires_at > @now AND g.by_head = 1 AND g.scope = 'clips'
     UNION
     SELECT cc.clip_id FROM view_grant g JOIN case_clip cc ON cc.case_id = g.case_id
      WHERE g.grantee_id = @viewer AND g.revoked_at IS NULL AND g.expires_at > @now AND g.by_head = 1 AND g.request_id IS NOT NULL AND g.scope = 'case'
     UNION
     SELECT c.id FROM view_grant g JOIN clip c ON c.checkout_id = g.checkout_id
      WHERE g.grantee_id = @viewer AND g.revoked_at IS NULL AND g.expires_at > @now AND g.by_head = 1 AND g.request_id IS NOT NULL AND g.scope = 'checkout'`,
  ).all({ viewer: viewerPersonId, now });
  return new Set(rows.map((r) => r.clip_id));
}

/**
 * The hook the library search calls by name: whether the viewer may see the given secret clip(s)
 * listed at `now` (grantedClipIds' rule). One id answers a boolean; several, the set of those allowed.
 */
export function mayListSecret(db: Db, viewerPersonId: number, clipIds: number, now: number): boolean;
export function mayListSecret(db: Db, viewerPersonId: number, clipIds: readonly number[], now: number): Set<number>;
export function mayListSecret(db: Db, viewerPersonId: number, clipIds: number | readonly number[], now: number): boolean | Set<number> {
  const granted = grantedClipIds(db, viewerPersonId, now);
  const allowed = (id: number) => granted === 'all' || granted.has(id);
  return typeof clipIds === 'number' ? allowed(clipIds) : new Set(clipIds.filter(allowed));
}
