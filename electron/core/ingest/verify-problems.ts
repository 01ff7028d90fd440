// What `station verify` can find, and how each finding reads ("中文 / English", as every message
// of the core, with what to do). Three sources of truth are compared: the vault's files, the
// index (the clip table), and the audit rows written when each clip entered the index.

/**
 * Every kind of finding, in the order a person should act on them: the index or the vault
 * altered first, then what a dock can put right, then what needs the disk looked at.
 */
export const VAULT_PROBLEM_KINDS = [
  'mismatch', // the file no longer hashes as its clip row says
  'audit_mismatch', // the clip row no longer says what its entry's audit row recorded
  'committed_not_indexed', // an audit row recorded a clip the index no longer holds
  'index_gap', // clip ids the index skips, with no audit row left to say what they were
  'audit_missing', // a clip row no audit row records the entry of
  'missing', // the clip row's file is not in the vault
  'orphan_file', // a file in the vault no clip row lists
  'orphan_sidecar', // a sidecar in the vault beside no clip the index lists
  'unreadable', // a file or folder that could not be read
] as const;

export type VaultProblemKind = (typeof VAULT_PROBLEM_KINDS)[number];

/** The findings about one clip row the index holds: they make that clip not "ok". */
export const CLIP_ROW_KINDS: ReadonlySet<VaultProblemKind> = new Set(['mismatch', 'audit_mismatch', 'audit_missing', 'missing', 'unreadable']);

/** The clip facts an entry's audit row records, as the clip row names them. */
export type AuditedField = 'hash' | 'hashAlgorithm' | 'size' | 'vaultPath';

/** One field a clip row and its entry's audit row disagree on: both values, as stored. */
export interface AuditFieldDifference {
  field: AuditedField;
  index: string | number;
  audit: string | number;
}

export interface VaultProblem {
  /** The clip the finding is about; null for a file no clip lists (orphans) and a folder that cannot be read. */
  clipId: number | null;
  /** Where in the vault, '/'-separated; for index_gap, empty (the ids are in `clipId` and `lastClipId`). */
  vaultPath: string;
  problem: VaultProblemKind;
  /** The hash the file should have (the index's, or for committed_not_indexed the audit row's), where one is known. */
  expected: string | null;
  /** The hash the file has now (mismatch), else null. */
  actual: string | null;
  message: string;
  /** audit_mismatch: each field the clip row and its audit row disagree on. */
  fields?: AuditFieldDifference[];
  /** The audit row (seq) the finding compares with: audit_mismatch, committed_not_indexed. */
  auditSeq?: number;
  /** index_gap: the last id of the run of ids the index skips (the first is `clipId`). */
  lastClipId?: number;
}

const FIELD_WORDS: Readonly<Record<AuditedField, { zh: string; en: string }>> = {
  hash: { zh: '哈希', en: 'hash' },
  hashAlgorithm: { zh: '哈希算法', en: 'hash algorithm' },
  size: { zh: '大小', en: 'size' },
  vaultPath: { zh: '证据库路径', en: 'vault path' },
};

export function fieldWords(field: AuditedField): { zh: string; en: string } {
  return FIELD_WORDS[field];
}

const REPORT = '请立即报告综合处，不要修改或删除证据库、索引和审计记录中的任何内容。';
const REPORT_EN = 'Report it to the general office at once, and change or delete nothing in the vault, the index or the audit log.';

export function auditMismatch(clipId: number, vaultPath: string, auditSeq: number, fields: AuditFieldDifference[]): VaultProblem {
  const zh = fields.map((f) => `${FIELD_WORDS[f.field].zh}：索引为 ${f.index}，审计记录为 ${f.audit}`).join('；');
  const en = fields.map((f) => `${FIELD_WORDS[f.field].en}: ${f.index} in the index, ${f.audit} in the audit row`).join('; ');
  return {
    clipId,
    vaultPath,
    problem: 'audit_mismatch',
    expected: null,
    actual: null,
    fields,
    auditSeq,
    message:
      `片段 #${clipId} 的索引记录与其入库时的审计记录 #${auditSeq} 不符（${zh}）：索引被改动过。${REPORT} / ` +
      `Clip #${clipId}'s row in the index differs from audit row #${auditSeq}, written when it was stored (${en}): the index was altered. ${REPORT_EN}`,
  };
}

export function auditMissing(clipId: number, vaultPath: string, hash: string): VaultProblem {
  return {
    clipId,
    vaultPath,
    problem: 'audit_missing',
    expected: hash,
    actual: null,
    message:
      `索引中的片段 #${clipId} 没有入库审计记录（clip.committed）：它不是采集站存入的，或其审计记录被删除。${REPORT} / ` +
      `Clip #${clipId} has no audit row recording how it entered the index (clip.committed): the station did not store it, or that row was removed. ${REPORT_EN}`,
  };
}

/** An audit row recorded clip #clipId entering the index, and the index no longer holds it (`reused`: its id now names another clip). */
export function committedNotIndexed(clipId: number, auditSeq: number, recorded: { vaultPath?: string; hash?: string }, reused: boolean): VaultProblem {
  const where = recorded.vaultPath ?? '?';
  return {
    clipId,
    vaultPath: recorded.vaultPath ?? '',
    problem: 'committed_not_indexed',
    expected: recorded.hash ?? null,
    actual: null,
    auditSeq,
    message: reused
      ? `审计记录 #${auditSeq} 记载片段 #${clipId}（${where}）已入库，但索引中编号 #${clipId} 现在是另一个片段：原片段记录被删除，编号被再次使用。证据从不从索引中删除。${REPORT} / ` +
        `Audit row #${auditSeq} records clip #${clipId} (${where}) as stored, but id #${clipId} now names another clip in the index: the first one's row was removed and its id used again. Evidence is never removed from the index. ${REPORT_EN}`
      : `审计记录 #${auditSeq} 记载片段 #${clipId}（${where}）已入库，但索引中没有该片段：片段记录被删除。证据从不从索引中删除。${REPORT} / ` +
        `Audit row #${auditSeq} records clip #${clipId} (${where}) as stored, but the index no longer holds it: its row was removed. Evidence is never removed from the index. ${REPORT_EN}`,
  };
}

/** Ids first..last absent from the index, with no audit row naming them. */
export function indexGap(first: number, last: number): VaultProblem {
  const ids = first === last ? `#${first}` : `#${first}–#${last}`;
  return {
    clipId: first,
    lastClipId: last,
    vaultPath: '',
    problem: 'index_gap',
    expected: null,
    actual: null,
    message:
      `索引中没有片段 ${ids}，而片段编号从不跳号：这些片段记录被删除，其入库审计记录也已不在。${REPORT} / ` +
      `The index has no clip ${ids}, though clip ids are never skipped: those rows were removed, and the audit rows of their entry are gone too. ${REPORT_EN}`,
  };
}

export function orphan(vaultPath: string, sidecar: boolean): VaultProblem {
  return {
    clipId: null,
    vaultPath,
    problem: sidecar ? 'orphan_sidecar' : 'orphan_file',
    expected: null,
    actual: null,
    message: sidecar
      ? `证据库中的附属文件 ${vaultPath} 所描述的片段不在索引中：其片段记录被删除，或该文件不是采集站写入的。未删除任何文件；请报告综合处核查。 / ` +
        `The sidecar ${vaultPath} in the vault describes no clip the index holds: that clip's row was removed, or the station did not write this file. Nothing was deleted; report it to the general office to look into.`
      : `证据库中的文件 ${vaultPath} 不在索引中：其片段记录被删除，或该文件不是采集站存入的。未删除任何文件；请报告综合处核查。 / ` +
        `${vaultPath} is in the vault but not in the index: its clip row was removed, or the station did not store it. Nothing was deleted; report it to the general office to look into.`,
  };
}

export function folderUnreadable(vaultPath: string, error: unknown): VaultProblem {
  const why = error instanceof Error ? error.message : String(error);
  return {
    clipId: null,
    vaultPath,
    problem: 'unreadable',
    expected: null,
    actual: null,
    message: `无法列出证据库目录 ${vaultPath || '/'}，其中的文件未能与索引核对（${why}）。请管理员检查证据库磁盘和权限。 / The vault folder ${vaultPath || '/'} cannot be listed, so its files were not checked against the index (${why}). Have an administrator check the vault's disk and permissions.`,
  };
}
