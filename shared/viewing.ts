// Viewing under approval (issue 20; 第十八、十九、二十条): requests, grants, the view register and
// the viewing settings, as the contract carries them. The rules live in electron/core/viewing/.
import type { PersonRef } from './domain.js';
import type { ClipKind } from './ingest.js';
import type { ViewPurpose, ViewScope } from './library.js';
import type { Role } from './roles.js';
import { rolePermissions, roles } from './roles.js';

export const viewRequestStates = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export type ViewRequestState = (typeof viewRequestStates)[number];

/** What a grant covers: a request's scope, or (standing grants only) every clip that is not secret. */
export const grantScopes = ['all', 'clips', 'case', 'checkout'] as const;
export type GrantScope = (typeof grantScopes)[number];
/** A standing grant covers every clip that is not secret, or one case's or one checkout's. */
export const standingScopes = ['all', 'case', 'checkout'] as const;
export type StandingScope = (typeof standingScopes)[number];

/** Why a register row's session ended. */
export const viewCloseReasons = ['closed', 'expired', 'revoked', 'not_granted', 'interrupted'] as const;
export type ViewCloseReason = (typeof viewCloseReasons)[number];

/** Why a view is not allowed (details.reason of a view_not_granted error). */
export const viewDenials = ['no_grant', 'expired', 'revoked', 'secret_needs_head_grant', 'not_a_viewer'] as const;
export type ViewDenial = (typeof viewDenials)[number];

/** Bounds: a request or an approval runs at most 92 days (a quarter); a standing grant at most a year. */
export const MAX_VIEW_HOURS = 92 * 24;
export const MAX_STANDING_DAYS = 366;
export const MAX_OWN_FOOTAGE_DAYS = 90;
export const MAX_REQUEST_CLIPS = 500;

/**
 * Roles the approver setting may name: those the role table gives viewing.approve, since the
 * dispatcher lets only them reach the decision at all (shared/roles.ts).
 */
export const approverRoleChoices: readonly Role[] = roles.filter((r) => rolePermissions[r].includes('viewing.approve'));

export interface ViewingSettings {
  /** Who approves view requests (第十八条: 支队主要负责人); default department_head. */
  approverRole: Role;
  /** An officer may view their own footage of the last this many days without a request; 0 = off (the default). */
  ownFootageDays: number;
}

export interface ViewRequest {
  id: number;
  requester: PersonRef;
  reason: string;
  purpose: ViewPurpose;
  scope: ViewScope;
  clipIds: number[];
  caseId: number | null;
  caseNo: string | null;
  checkoutId: number | null;
  hours: number;
  requestedAt: number;
  state: ViewRequestState;
  decidedAt: number | null;
  decidedBy: string | null;
  /** The approver's note, or the refusal's reason. */
  decisionNote: string | null;
  /** The grant an approval made. */
  grantId: number | null;
}

export interface ViewGrant {
  id: number;
  grantee: PersonRef;
  /** null: a standing grant. */
  requestId: number | null;
  purpose: ViewPurpose;
  reason: string;
  scope: GrantScope;
  clipIds: number[];
  caseId: number | null;
  checkoutId: number | null;
  grantedAt: number;
  grantedBy: string;
  byHead: boolean;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  revokeReason: string | null;
  /** In force at the core's clock when listed. */
  active: boolean;
}

export interface ViewRegisterEntry {
  id: number;
  viewer: PersonRef;
  clipId: number;
  /** null: the officer's own footage under the station's setting. */
  grantId: number | null;
  reason: string;
  purpose: ViewPurpose | null;
  approver: string | null;
  openedAt: number;
  closedAt: number | null;
  closedBecause: ViewCloseReason | null;
  bytesServed: number;
}

/**
 * An open view (viewing.open): what the player shows and asks the media endpoint for. The bytes
 * come only from the endpoint, under this view's id, each range checked against the grant.
 */
export interface ViewOpened {
  /** The view's id: the media endpoint's key (unguessable; good only for this viewer's window). */
  viewId: string;
  clipId: number;
  /** Its row in the register (查阅登记). */
  registerId: number;
  kind: ClipKind;
  /** What the endpoint serves: the original's type, or video/mp4 for a proxy. */
  mediaType: string;
  /** A proxy (H.264 made from the original for playback), never the original: the player says so. */
  proxy: boolean;
  /** The clip's contact sheet (its key frames in one picture), not the clip itself. */
  contactSheet: boolean;
  /** For the overlay on the picture: who is watching, and under which grant until when. */
  viewer: PersonRef;
  /** null: the officer's own recent footage under the station's setting. */
  grantId: number | null;
  expiresAt: number | null;
  /** The core's time when the view opened: the overlay's clock runs on from it. */
  openedAt: number;
}
