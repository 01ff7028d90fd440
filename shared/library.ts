// The evidence library's vocabulary (issue 20; 第四、十八、十九、二十、二十一条): how a clip is
// classified, who may see it, and why someone asks to view it. The core enforces every rule; the
// renderer only words these values (renderer/i18n).

/**
 * Confidentiality (第二十一条), per clip or per case; a clip's level is the highest of its own and
 * its cases'. The two secret levels need a department head's approval for every view, are never
 * proxied to disk unencrypted, and are hidden from the searches of anyone without that approval.
 */
export const confidentialityLevels = [
  'normal', // 普通
  'internal', // 内部
  'commercial_secret', // 商业秘密
  'state_secret', // 国家秘密
] as const;
export type Confidentiality = (typeof confidentialityLevels)[number];

export const isSecret = (level: Confidentiality): boolean => level === 'commercial_secret' || level === 'state_secret';

/** The higher of two levels, in the order above. */
export function higherLevel(a: Confidentiality, b: Confidentiality): Confidentiality {
  return confidentialityLevels.indexOf(a) >= confidentialityLevels.indexOf(b) ? a : b;
}

/** 第十九条: what a view of recordings may be for. */
export const viewPurposes = [
  'litigation', // 涉法涉诉
  'supervision', // 执法监督
  'case_analysis', // 案情研判
  'other', // 其他
] as const;
export type ViewPurpose = (typeof viewPurposes)[number];

/** What a view request asks for: clips chosen in the library, a whole case, or a whole checkout. */
export const viewScopes = ['clips', 'case', 'checkout'] as const;
export type ViewScope = (typeof viewScopes)[number];
