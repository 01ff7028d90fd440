// How the library words a clip's values: kinds, levels, durations and sizes,
// in the same units the dock board uses.
import type { ClipSummary } from '../../../shared/library.js';
import type { Translate } from '../../i18n/i18n.js';
import { duration, fileSize } from '../board/format.js';

export function kindText(t: Translate, kind: ClipSummary['kind']): string {
  return t(`library.kind.${kind}`);
}

export function levelText(t: Translate, level: ClipSummary['confidentiality']): string {
  return t(`library.level.${level}`);
}

export function durationText(t: Translate, ms: number | null): string {
  return ms === null ? '—' : duration(t, ms);
}

export function sizeText(t: Translate, bytes: number): string {
  return fileSize(t, bytes);
}

export function officerText(t: Translate, clip: Pick<ClipSummary, 'officer' | 'badge'>): string {
  if (clip.officer) return t('common.personRef', { name: clip.officer.name, badge: clip.officer.badge });
  return clip.badge ? t('library.badgeOnly', { badge: clip.badge }) : t('library.noOfficer');
}
