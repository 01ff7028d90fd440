// Who is looking at the library, and so which clips they may see listed (issue 20). The contract's
// `library.search` lets the call in; this narrows what it returns: an officer sees their own
// clips, the roles that keep or supervise the footage see all, and secret clips (第二十一条) stay
// hidden from anyone without approval. Every library read asks here, in one place.
import type { Role } from '../../../shared/roles.js';
import type { CallContext } from '../context.js';

export interface Viewer {
  /** null for the CLI (an OS user acting with every permission). */
  personId: number | null;
  /** True when the viewer sees every clip; false: only clips whose officer_id is theirs. */
  allClips: boolean;
  /** Holds the approving role (部门负责人): may list secret clips and lower a secret level. */
  head: boolean;
  /**
   * The clips a department head's grant in force lets this viewer see although they are secret
   * (electron/core/viewing/access.ts grantedClipIds): 'all' for a head.
   */
  secretGranted: ReadonlySet<number> | 'all';
}

/** The roles that keep, supervise or audit the footage and so see every clip's metadata. */
const SEES_ALL: readonly Role[] = ['custodian', 'general_office', 'department_head', 'auditor'];

export function viewerOf(
  ctx: CallContext,
  roles: (personId: number) => Role[],
  secretGranted: (personId: number) => ReadonlySet<number> | 'all',
): Viewer {
  if (ctx.actor.kind === 'os' || !ctx.session) return { personId: null, allClips: true, head: true, secretGranted: 'all' };
  const mine = roles(ctx.session.personId);
  const head = mine.includes('department_head');
  return {
    personId: ctx.session.personId,
    allClips: mine.some((r) => SEES_ALL.includes(r)),
    head,
    secretGranted: head ? 'all' : secretGranted(ctx.session.personId),
  };
}

/**
 * Whether this viewer may list every secret clip and secret case (commercial or state secret, by
 * effective level): a department head (the approver). Anyone else sees a secret clip only while a
 * head's grant covering it is in force (`secretGranted`), and secret cases not at all.
 */
export function mayListSecret(viewer: Viewer): boolean {
  return viewer.head;
}

/**
 * The WHERE term that hides the secret clips this viewer may not list (clip alias `alias`), or
 * null when they may list them all. `secretSql` is confidentiality.ts's secretClipSql. The granted
 * ids are integers read from the database, written into the statement as literals.
 */
export function secretHiddenSql(viewer: Viewer, alias: string, secretSql: (alias: string) => string): string | null {
  if (viewer.secretGranted === 'all') return null;
  const granted = [...viewer.secretGranted].filter(Number.isSafeInteger);
  return granted.length === 0 ? `NOT ${secretSql(alias)}` : `(${alias}.id IN (${granted.join(', ')}) OR NOT ${secretSql(alias)})`;
}

/** Whether the viewer may see this one clip's record (its officer and effective level given). */
export function maySeeClip(viewer: Viewer, clipId: number, officerId: number | null, secret: boolean): boolean {
  if (!viewer.allClips && (viewer.personId === null || officerId !== viewer.personId)) return false;
  return !secret || viewer.secretGranted === 'all' || viewer.secretGranted.has(clipId);
}
