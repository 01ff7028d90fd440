// How the viewing screens word their values (第十八、十九条): purposes, what a
// request or grant covers, a request's state, the lengths one may ask for.
import type { PersonRef } from '../../../shared/domain.js';
import type { ViewPurpose } from '../../../shared/library.js';
import type { ViewGrant, ViewRequestState } from '../../../shared/viewing.js';
import type { Translate } from '../../i18n/i18n.js';

/** The lengths a request asks for and an approval gives, in hours: an afternoon's work up to three days. */
export const REQUEST_HOURS = [1, 2, 4, 8, 24, 72] as const;
export const DEFAULT_REQUEST_HOURS = 2;
/** A standing grant's length, in days: a week, a month, a quarter. */
export const STANDING_DAYS = [7, 30, 90] as const;
export const DEFAULT_STANDING_DAYS = 30;

export function purposeText(t: Translate, purpose: ViewPurpose | null): string {
  return purpose === null ? '—' : t(`viewing.purpose.${purpose}`);
}

export function personText(t: Translate, p: PersonRef): string {
  return t('common.personRef', { name: p.name, badge: p.badge });
}

export function hoursText(t: Translate, hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? t('viewing.days', { n: hours / 24 }) : t('viewing.hours', { n: hours });
}

/** The tag tone of a request's state: waiting is a warning, approved good, the rest done with. */
export function stateTone(state: ViewRequestState): string {
  return state === 'pending' ? 'tag-warn' : state === 'approved' ? 'tag-ok' : state === 'refused' ? 'tag-bad' : 'tag-off';
}

export type GrantStatus = 'active' | 'expired' | 'revoked';

export function grantStatus(g: Pick<ViewGrant, 'active' | 'revokedAt'>): GrantStatus {
  return g.revokedAt !== null ? 'revoked' : g.active ? 'active' : 'expired';
}

export const grantStatusTone: Record<GrantStatus, string> = { active: 'tag-ok', expired: 'tag-off', revoked: 'tag-bad' };
