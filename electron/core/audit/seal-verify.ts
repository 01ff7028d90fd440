// `station audit verify --seal`, `audit.seal.verify`: does today's station
// still hold what a seal vouched for? The seal comes from the QR code's
// payload (every field: nothing stored on the station is needed) or from the
// 32-character human form, found among the stored seals. Then: the audit chain
// must hold from its first row to the sealed head and that row must carry the
// sealed hash (a chain rewritten whole, its anchor with it, fails here), and
// the day's clips must still add up to the sealed Merkle root (named one by
// one where the seal's file still lists them).
import { StationError } from '../../../shared/errors.js';
import type { Seal, SealFinding, SealVerification } from '../../../shared/seal.js';
import type { Db } from '../db/open.js';
import { prepared } from '../db/statements.js';
import { GENESIS_HASH, rowHash } from './log.js';
import type { SealedClip } from './seal-day.js';
import { clipsOfDay, rootOf } from './seal-day.js';
import { readSealInput, sealOf } from './seal-format.js';
import type { SealStore } from './seal-store.js';

/** Clips named one by one in each kind of difference; the rest are counted. */
const NAMED_CLIPS = 50;

type AuditRow = Parameters<typeof rowHash>[0] & { hash: string };

function finding(kind: SealFinding['kind'], params: SealFinding['params'], zh: string, en: string): SealFinding {
  return { kind, params, message: `${zh} / ${en}` };
}

/** The chain from its first row to `seq`: where it first fails to hold, else whether row `seq` is there with `hash`. */
function auditFindings(db: Db, seq: number, hash: string): SealFinding[] {
  let prev = GENESIS_HASH;
  let last: { seq: number; hash: string } | null = null;
  for (const r of prepared<[number], AuditRow>(db, 'SELECT * FROM audit WHERE seq <= ? ORDER BY seq').iterate(seq)) {
    const { hash: stored, ...rest } = r;
    if (r.prev_hash !== prev || rowHash(rest) !== stored) {
      return [
        finding(
          'audit_chain_broken',
          { seq: r.seq },
          `审计链在第 ${r.seq} 条记录处断开（封存的记录头为第 ${seq} 条）：封存之前的记录被修改、删除或插入。`,
          `The audit chain breaks at row #${r.seq}, before the sealed head #${seq}: rows sealed were edited, removed or inserted.`,
        ),
      ];
    }
    prev = stored;
    last = { seq: r.seq, hash: stored };
  }
  if (seq === 0) return [];
  if (!last || last.seq !== seq) {
    return [
      finding(
        'audit_row_missing',
        { seq },
        `审计日志中已没有封存时的第 ${seq} 条记录：记录被截断或整体重写。`,
        `The audit log no longer holds row #${seq}, the head when sealed: it was cut short or rewritten.`,
      ),
    ];
  }
  if (last.hash !== hash) {
    return [
      finding(
        'audit_row_changed',
        { seq },
        `审计记录 #${seq} 已不是封存时的内容（哈希不同）：审计链在封存后被整体改写。`,
        `Audit row #${seq} is not the row that was sealed (its hash differs): the chain was rewritten after the seal.`,
      ),
    ];
  }
  return [];
}

function clipFindings(seal: Seal, now: SealedClip[], sealed: SealedClip[] | null): SealFinding[] {
  const out: SealFinding[] = [
    finding(
      'clips_differ',
      { day: seal.day, sealed: seal.clipCount, now: now.length },
      `${seal.day} 的入库片段与封存时不符：封存时 ${seal.clipCount} 个，现在 ${now.length} 个，默克尔根不同。`,
      `The clips committed on ${seal.day} are not those sealed: ${seal.clipCount} when sealed, ${now.length} now, and the Merkle root differs.`,
    ),
  ];
  if (!sealed) {
    out.push(
      finding(
        'clips_unnamed',
        {},
        '封存文件及其片段清单已不在本站，无法逐一指出哪些片段不符；请用 station verify 检查证据库，并核对审计日志中的 clip.committed 记录。',
        "The seal's file with its list of clips is no longer on this station, so the clips that differ cannot be named; check the vault with station verify and the clip.committed rows of the audit log.",
      ),
    );
    return out;
  }
  const byPath = new Map(now.map((c) => [c.vaultPath, c]));
  const sealedPaths = new Set(sealed.map((c) => c.vaultPath));
  const missing = sealed.filter((c) => !byPath.has(c.vaultPath));
  const changed = sealed.filter((c) => {
    const n = byPath.get(c.vaultPath);
    return n !== undefined && (n.hash !== c.hash || n.size !== c.size || n.hashAlgorithm !== c.hashAlgorithm);
  });
  const added = now.filter((c) => !sealedPaths.has(c.vaultPath));
  for (const c of missing.slice(0, NAMED_CLIPS)) {
    out.push(
      finding(
        'clip_missing',
        { clipId: c.clipId, vaultPath: c.vaultPath },
        `封存的片段 #${c.clipId}（${c.vaultPath}）已不在索引中。`,
        `Sealed clip #${c.clipId} (${c.vaultPath}) is no longer in the index.`,
      ),
    );
  }
  for (const c of changed.slice(0, NAMED_CLIPS)) {
    const n = byPath.get(c.vaultPath)!;
    out.push(
      finding(
        'clip_changed',
        { clipId: n.clipId, vaultPath: c.vaultPath, sealedHash: c.hash, hash: n.hash },
        `片段 #${n.clipId}（${c.vaultPath}）的索引记录已被改动：封存时哈希 ${c.hash}，现在 ${n.hash}。`,
        `The index row of clip #${n.clipId} (${c.vaultPath}) was changed: hash ${c.hash} when sealed, ${n.hash} now.`,
      ),
    );
  }
  for (const c of added.slice(0, NAMED_CLIPS)) {
    out.push(
      finding(
        'clip_added',
        { clipId: c.clipId, vaultPath: c.vaultPath },
        `片段 #${c.clipId}（${c.vaultPath}）不在封存中，却记为当日入库。`,
        `Clip #${c.clipId} (${c.vaultPath}) is recorded as committed that day but was not sealed.`,
      ),
    );
  }
  return out;
}

export function verifySeal(d: { db: Db; store: SealStore; stationName: string }, text: string): SealVerification {
  const input = readSealInput(text);
  if (input.kind === 'unreadable') {
    throw new StationError('invalid_input', `无法读取封存：${input.why}。请输入封存单上的 32 位封存码，或扫描其二维码。 / Cannot read the seal: ${input.why}. Type the 32-character code from the seal sheet, or scan its QR code.`, {
      issues: [{ path: 'seal', message: input.why }],
    });
  }
  let seal: Seal;
  if (input.kind === 'code') {
    const found = d.store.findByCode(input.code);
    if (!found) {
      return {
        ok: false,
        given: 'code',
        seal: null,
        now: null,
        findings: [
          finding(
            'record_not_found',
            { code: input.code },
            '本站已没有这个封存码的封存记录（数据库和封存文件中都没有）：记录被删除或改写了。请扫描封存单上的二维码（或输入其内容）再核验，二维码带有封存的全部内容。',
            "This station no longer holds a seal with this code (neither its database nor its seal files): the record was removed or rewritten. Scan the seal sheet's QR code (or type its text) to verify: it carries the whole seal.",
          ),
        ],
      };
    }
    seal = found.seal;
  } else {
    seal = sealOf(input.fields);
  }

  const findings: SealFinding[] = [];
  if (seal.station !== d.stationName) {
    findings.push(
      finding(
        'station_differs',
        { sealed: seal.station, station: d.stationName },
        `这份封存属于“${seal.station}”，本站是“${d.stationName}”。`,
        `This seal is of “${seal.station}”; this station is “${d.stationName}”.`,
      ),
    );
  }
  findings.push(...auditFindings(d.db, seal.auditSeq, seal.auditHash));
  if (d.store.rowOf(seal.digest) === null) {
    findings.push(
      finding(
        'seal_row_missing',
        { number: seal.number },
        `审计日志中已没有第 ${seal.number} 号封存本身的记录（audit.seal）：它被删除，或审计链被改写。`,
        `The audit log no longer holds seal no. ${seal.number}'s own row (audit.seal): it was removed, or the chain rewritten.`,
      ),
    );
  }
  const file = d.store.fileOf(seal, { clips: true });
  if (!file) {
    findings.push(
      finding(
        'seal_file_missing',
        { number: seal.number, file: d.store.fileName(seal) },
        `第 ${seal.number} 号封存的文件 ${d.store.fileName(seal)} 已不在或已被改动。`,
        `Seal no. ${seal.number}'s file ${d.store.fileName(seal)} is gone or was altered.`,
      ),
    );
  }
  const now = clipsOfDay(d.db, seal.dayStartAt, seal.dayEndAt, seal.clipsThrough);
  const nowRoot = rootOf(now);
  if (nowRoot !== seal.merkleRoot || now.length !== seal.clipCount) findings.push(...clipFindings(seal, now, file?.clips ?? null));
  return { ok: findings.length === 0, given: input.kind, seal, now: { clipCount: now.length, merkleRoot: nowRoot }, findings };
}
