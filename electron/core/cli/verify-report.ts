// What `station verify` prints: the findings grouped by kind, in the order a person should act on
// them (VAULT_PROBLEM_KINDS), each with what it was compared with, then what to do for each kind.
import type { VaultProblem, VaultProblemKind, VaultVerification } from '../ingest/verify-vault.js';
import { VAULT_PROBLEM_KINDS } from '../ingest/verify-vault.js';
import { fieldWords } from '../ingest/verify-problems.js';
import type { Words } from './format.js';
import { formatBytes, labelled } from './format.js';

/** Each kind's name in Chinese; the English is the kind itself, as `--json` and stderr name it. */
const problemWords: Readonly<Record<VaultProblemKind, string>> = {
  mismatch: '内容不符',
  audit_mismatch: '与审计记录不符',
  committed_not_indexed: '索引中已无此片段',
  index_gap: '片段编号缺失',
  audit_missing: '无入库审计记录',
  missing: '文件缺失',
  orphan_file: '索引外的文件',
  orphan_sidecar: '索引外的附属文件',
  unreadable: '无法读取',
};

/** The clip ids a finding names: `#3`, `#4–#6`, or nothing for a file no clip lists. */
function ids(p: VaultProblem): string {
  if (p.clipId === null) return '';
  return p.lastClipId !== undefined && p.lastClipId !== p.clipId ? `#${p.clipId}–#${p.lastClipId}` : `#${p.clipId}`;
}

function heading(p: VaultProblem): string {
  const tag = `[${problemWords[p.problem]} ${p.problem}]`;
  if (p.problem === 'index_gap') return `${tag} 片段 clips ${ids(p)}`;
  const about = [...(p.clipId !== null ? [`片段 clip ${ids(p)}`] : []), ...(p.auditSeq !== undefined ? [`审计记录 audit #${p.auditSeq}`] : [])];
  return about.length > 0 ? `${tag} ${p.vaultPath}  (${about.join('，')})` : `${tag} ${p.vaultPath || '/'}`;
}

/** What the finding was compared with, as label and value rows. */
function compared(p: VaultProblem): Array<[string, string]> {
  if (p.fields) {
    return p.fields.flatMap((f): Array<[string, string]> => {
      const w = fieldWords(f.field);
      return [
        [`${w.zh} ${w.en}，索引 index`, String(f.index)],
        [`${w.zh} ${w.en}，审计 audit`, String(f.audit)],
      ];
    });
  }
  if (p.problem === 'committed_not_indexed') return p.expected === null ? [] : [['审计记录的哈希 hash in the audit row', p.expected]];
  if (p.problem === 'mismatch' || p.problem === 'missing' || (p.problem === 'unreadable' && p.clipId !== null)) {
    return [
      ['应为 expected', p.expected ?? '—'],
      ['实际 actual', p.actual ?? '—'],
    ];
  }
  return [];
}

/** What to do, once per kind found. */
const todo: ReadonlyArray<{ kinds: readonly VaultProblemKind[]; words: Words }> = [
  {
    kinds: ['audit_mismatch', 'committed_not_indexed', 'index_gap', 'audit_missing'],
    words: {
      zh: '索引与审计记录不符：片段记录在入库后被改动或删除。请立即报告综合处；在其核查之前，不要运行 `station rebuild-index`，也不要改动证据库、索引或审计记录：它们就是证据。',
      en: 'The index disagrees with the audit log: clip rows were changed or removed after the clips were stored. Report it to the general office at once; until they have looked, do not run `station rebuild-index`, and change nothing in the vault, the index or the audit log: they are the evidence.',
    },
  },
  {
    // What a person can do about a missing file (VaultRepair.putBack, ingest/vault-repair.ts).
    kinds: ['missing'],
    words: {
      zh: '缺失的文件：原执法记录仪上若仍存有该文件，再次接入（或 `station ingest`）时，采集站会重新复制、校验一致后放回原位置。',
      en: 'Missing files: if the camera still holds the file, docking it again (or `station ingest`) copies it again and, once verified, puts it back in its place.',
    },
  },
  {
    kinds: ['mismatch'],
    words: {
      zh: '内容不符的文件：请立即报告综合处，不要删除或覆盖。原执法记录仪上若仍存有原件，再次接入时采集站会把被改动的文件原样移至证据库的 .altered 目录保存，并放回校验一致的原件。',
      en: "Altered files: report them to the general office at once; delete or overwrite nothing. If the camera still holds the original, docking it again moves the altered file, as it is, to the vault's .altered folder and puts the verified original back.",
    },
  },
  {
    kinds: ['orphan_file', 'orphan_sidecar'],
    words: {
      zh: '索引外的文件：证据库中有索引未列出的文件或附属文件，可能是片段记录被删除后留下的证据。未删除任何文件；请报告综合处核查，不要自行删除。',
      en: 'Files outside the index: the vault holds files or sidecars the index does not list, possibly evidence left behind when its clip row was removed. Nothing was deleted; report them to the general office to look into, and do not delete them.',
    },
  },
];

/** The lines of a check that found problems. */
export function verifyFailedLines(result: VaultVerification, root: string, readRow: [string, string]): Array<string | Words> {
  const lines: Array<string | Words> = [
    {
      zh: `证据库校验发现 ${result.problems.length} 个问题！共 ${result.clips} 个文件，${result.ok} 个一致。`,
      en: `Vault check FAILED: ${result.problems.length} problem(s) in ${result.clips} file(s); ${result.ok} match.`,
    },
    ...labelled([['证据库 vault', root], readRow, walkedRow(result)]),
  ];
  for (const kind of VAULT_PROBLEM_KINDS) {
    const found = result.problems.filter((p) => p.problem === kind);
    if (found.length === 0) continue;
    lines.push('', `${problemWords[kind]} ${kind} (${found.length})`);
    for (const p of found) lines.push(`  ${heading(p)}`, ...labelled(compared(p), '      '), `      ${p.message}`);
  }
  for (const t of todo) if (result.problems.some((p) => t.kinds.includes(p.problem))) lines.push('', t.words);
  return [...lines, ...uncommittedLines(result)];
}

/** How much of the vault the walk for files outside the index looked at. */
export function walkedRow(result: VaultVerification): [string, string] {
  return ['证据库中的条目 vault entries', `${result.walked}（与索引核对 checked against the index）`];
}

/** Copies an interrupted commit left, which the next dock adopts: told, not counted as problems. */
export function uncommittedLines(result: VaultVerification): Array<string | Words> {
  if (result.uncommitted.length === 0) return [];
  return [
    '',
    {
      zh: `中断的入库 ${result.uncommitted.length} 个：以下文件已存入证据库，但采集站在写入索引前停止；该执法记录仪下次接入时会自动收录，无需处理。`,
      en: `Interrupted commits: ${result.uncommitted.length}. These copies reached the vault but the station stopped before indexing them; the next dock of their camera takes them in, nothing to do.`,
    },
    ...result.uncommitted.map((p) => `  ${p}`),
  ];
}

/** The stderr line of a finding, where cron mail and log collectors look for trouble. */
export function problemLine(p: VaultProblem, root: string): string {
  const where = p.problem === 'index_gap' ? `clips ${ids(p)}` : `${root}/${p.vaultPath}${p.clipId !== null ? ` (clip ${ids(p)})` : ''}`;
  return `证据库问题 / Vault problem: ${p.problem} ${where}`;
}

/** The summary of a check that found nothing. */
export function verifiedWords(result: VaultVerification, root: string): Words {
  return result.clips === 0
    ? { zh: `证据库校验完成：索引中还没有文件（${root}）。`, en: `Vault verified: the index holds no files yet (${root}).` }
    : {
        zh: `证据库校验通过：${result.clips} 个文件（${formatBytes(result.bytes)}）全部与入库时的哈希及审计记录一致，证据库中没有索引外的文件。`,
        en: `Vault verified: all ${result.clips} file(s) (${formatBytes(result.bytes)}) match the hash taken at ingest and the audit log, and the vault holds nothing outside the index.`,
      };
}
