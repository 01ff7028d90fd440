// How the evidence-disc screens word their values (第十七、二十条): states, purposes, media,
// who made the discs (制作人) and who takes them (提取人), why a head's approval is needed.
import type { ApprovalReason, BuildStep, ExportMedium, ExportPurpose, ExportRecord, ExportState, Recipient } from '../../../shared/export.js';
import type { Translate } from '../../i18n/i18n.js';

/** Most evidence fits one DVD; the other sizes are there for a case too large for it or a drive that only takes CDs. */
export const DEFAULT_MEDIUM: ExportMedium = 'dvd';

/** The tag tone of a state: waiting or working is a warning, ready and handed over good, refused and failed bad. */
export function stateTone(state: ExportState): string {
  switch (state) {
    case 'pending_approval':
    case 'approved':
    case 'building':
      return 'tag-warn';
    case 'ready':
    case 'handed_over':
      return 'tag-ok';
    case 'refused':
    case 'failed':
      return 'tag-bad';
    default:
      return 'tag-off';
  }
}

export function stateText(t: Translate, state: ExportState): string {
  return t(`exports.state.${state}`);
}

export function purposeText(t: Translate, purpose: ExportPurpose): string {
  return t(`exports.purpose.${purpose}`);
}

export function mediumText(t: Translate, medium: ExportMedium): string {
  return t(`exports.medium.${medium}`);
}

export function stepText(t: Translate, step: BuildStep): string {
  return t(`exports.step.${step}`);
}

export function reasonText(t: Translate, reason: ApprovalReason): string {
  return t(`exports.approvalReason.${reason}`);
}

/** 提取人 on one line: a registered person with their 警号, someone from outside with their unit. */
export function recipientText(t: Translate, r: Recipient): string {
  return r.kind === 'person' ? t('common.personRef', { name: r.name, badge: r.badge }) : t('exports.outsideRef', { name: r.name, unit: r.unit });
}

export function caseText(t: Translate, e: Pick<ExportRecord, 'caseId' | 'caseNo'>): string {
  return e.caseId === null ? t('exports.noCase') : (e.caseNo ?? `#${e.caseId}`);
}
