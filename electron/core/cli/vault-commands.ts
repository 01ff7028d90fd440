// `station verify` and `station rebuild-index`: the vault checked against the
// index, and the index put back from the vault.
import type { Command, OptionSpec } from './commands.js';
import { EXIT } from './errors.js';
import { labelled } from './format.js';
import { problemLine, uncommittedLines, verifiedWords, verifyFailedLines, walkedRow } from './verify-report.js';

/**
 * `--vault <folder>`: the vault is `<data folder>/vault` unless the station
 * keeps it elsewhere (a separate disk); the app's setting is not stored in the
 * data folder, so the CLI is told. Only the commands that touch the vault take it.
 */
export const vaultOption: OptionSpec = {
  type: 'string',
  value: '<目录 folder>',
  help: {
    zh: '证据库目录，默认为 <数据目录>/vault；须已存在。证据库在其他磁盘上时必须给出',
    en: 'the evidence vault, by default <data folder>/vault; must exist. Needed when the vault is on another disk',
  },
};

export const verify: Command = {
  name: 'verify',
  summary: { zh: '重新校验证据库中每个文件的哈希，并与审计记录核对索引', en: 'Re-hash every file in the vault and check the index against the audit log' },
  options: { vault: vaultOption },
  notes: [
    {
      zh: '逐个重新读取证据库中的文件（尽量绕过内存缓存，直接从磁盘介质读取），与入库时的哈希比较，列出每个内容不符、缺失或无法读取的文件。',
      en: 'Reads every file in the vault again (from the disk itself, bypassing the page cache where the filesystem allows) and compares it with the hash taken at ingest; every file that differs, is missing or cannot be read is listed.',
    },
    {
      zh: '再把每条片段记录与其入库时的审计记录（哈希、大小、证据库路径）核对，列出被改动的记录、没有入库审计记录的片段、审计记录中有而索引中已没有的片段；并遍历证据库，列出索引未列出的文件和附属文件（只报告，从不删除）。',
      en: 'Then checks every clip row against the audit row written when it was stored (hash, size, vault path), listing rows changed since, clips with no such audit row, and clips the audit log records that the index no longer holds; and walks the vault for files and sidecars the index does not list (reported, never deleted).',
    },
    {
      zh: '退出码 0：全部一致；1：发现问题（按类别列出，同时写到 stderr）。',
      en: 'Exit code 0: everything matches; 1: problems found (listed by kind, and also written to stderr).',
    },
  ],
  async run(ctx) {
    const bar = ctx.out.progressBar(ctx.json);
    let result;
    try {
      result = await ctx.station.verifyVault((done, total) => bar?.draw(total > 0 ? done / total : 1, `文件 files ${done}/${total}`));
    } finally {
      bar?.clear();
    }
    const root = ctx.station.vault.root;
    const readRow: [string, string] = [
      '读取自 read from',
      `磁盘介质 the medium ${result.readFromMedium}，内存缓存 memory (page cache) ${result.hashed - result.readFromMedium}`,
    ];
    ctx.out.answer(ctx.json, { vault: root, ...result }, () =>
      result.problems.length === 0
        ? [verifiedWords(result, root), ...labelled([['证据库 vault', root], readRow, walkedRow(result)]), ...uncommittedLines(result)]
        : verifyFailedLines(result, root, readRow),
    );
    if (result.problems.length === 0) return EXIT.ok;
    // Also on stderr, where cron mail and log collectors look for trouble.
    for (const p of result.problems) ctx.out.warn(problemLine(p, root));
    return EXIT.failed;
  },
};

export const rebuildIndex: Command = {
  name: 'rebuild-index',
  summary: { zh: '从证据库（附属 JSON 文件）重建片段索引', en: "Rebuild the clip index from the vault's sidecar files" },
  options: { vault: vaultOption },
  notes: [
    {
      zh: '读取证据库中每个片段旁的附属 JSON 文件，把索引中缺少的片段补回；已有的索引记录从不修改或删除。附属文件中的记录仪未登记时，会自动登记（有审计记录）。',
      en: 'Reads the JSON sidecar beside every clip in the vault and puts back the clips the index lacks; rows already there are never changed or removed. A camera a sidecar names that the registry lacks is registered (audited).',
    },
    {
      zh: '退出码 0：完成；1：有冲突（同一记录仪文件在索引中的证据库路径或哈希与附属文件不同，需人工核查）。',
      en: 'Exit code 0: done; 1: conflicts (the index holds that camera file under another vault path or hash than its sidecar says: a person must look).',
    },
  ],
  async run(ctx) {
    const r = await ctx.station.rebuildIndex();
    const root = ctx.station.vault.root;
    ctx.out.answer(ctx.json, { vault: root, ...r }, () => [
      {
        zh: `已从证据库重建索引：读取 ${r.scanned} 个附属文件。`,
        en: `Index rebuilt from the vault: ${r.scanned} sidecar file(s) read.`,
      },
      ...labelled([
        ['证据库 vault', root],
        ['恢复 restored', String(r.restored)],
        ['已在索引中 present', String(r.present)],
        ['新登记的记录仪 devices created', r.devicesCreated.length === 0 ? '0' : `${r.devicesCreated.length}: ${r.devicesCreated.join(', ')}`],
        ['冲突 conflicts', String(r.conflicts.length)],
      ]),
      ...r.conflicts.flatMap((c) => [
        `[冲突 conflict] ${c.vaultPath}`,
        ...labelled(
          [
            ['索引中 in the index', c.indexHash],
            ['附属文件 in the sidecar', c.sidecarHash],
          ],
          '    ',
        ),
      ]),
    ]);
    if (r.conflicts.length === 0) return EXIT.ok;
    ctx.out.warn(
      `索引与证据库有 ${r.conflicts.length} 处冲突，未做更改，请人工核查。 / ${r.conflicts.length} conflict(s) between the index and the vault; nothing was changed there: a person must look.`,
    );
    return EXIT.failed;
  },
};

export const adoptVault: Command = {
  name: 'adopt-vault',
  summary: { zh: '把本站绑定到现在的证据库目录（更换证据库磁盘后）', en: 'Bind the station to the vault folder as it is now (after replacing the vault disk)' },
  options: { vault: vaultOption },
  notes: [
    {
      zh: '证据库目录中的 evidence-vault.json 标明它是哪个证据库；与本站记录的不符时（磁盘未挂载、换了磁盘、目录搬了家），本站暂停导出并报警。只有在确认原证据库磁盘已损坏更换、或证据库已迁到该目录后才使用本命令：它把本站绑定到该目录（目录中没有标识文件时写入一个），并记入审计（含原证据库标识）。请先关闭采集站程序。',
      en: "The vault's evidence-vault.json says which vault a folder is; when it is not the one the station recorded (the disk not mounted, replaced, or the vault moved), the station offloads nothing and raises an alarm. Use this command only once the old vault disk is known to be dead and replaced, or the vault moved to this folder: it binds the station to the folder (writing a marker if it has none), audited with the id it replaces. Close the station app first.",
    },
    {
      zh: '索引中的片段记录保持不变；不在该目录中的片段，`station verify` 会逐个列为缺失。退出码 0：已绑定。',
      en: 'The index keeps every clip row; the clips not in this folder are what `station verify` lists as missing. Exit code 0: bound.',
    },
  ],
  async run(ctx) {
    const r = await ctx.station.adoptVault(ctx.actor);
    const unchanged = r.previous === r.id;
    ctx.out.answer(ctx.json, r, () => [
      unchanged
        ? { zh: `本站已绑定该证据库，未做更改（${r.vault}）。`, en: `The station is already bound to this vault; nothing changed (${r.vault}).` }
        : { zh: `已把本站绑定到证据库 ${r.vault}。`, en: `The station is now bound to the vault ${r.vault}.` },
      ...labelled([
        ['证据库标识 vault id', r.id],
        ['原证据库标识 replaced id', r.previous ?? '—'],
        ['写入标识文件 marker written', r.made ? '是 yes' : '否 no'],
        ['索引中的片段 clips in the index', String(r.indexedClips)],
      ]),
      ...(unchanged || r.indexedClips === 0
        ? []
        : [
            {
              zh: '请运行 `station verify`：不在该证据库中的片段会逐个列为缺失；仍存有这些文件的执法记录仪再次接入时，采集站会把它们校验后放回。',
              en: 'Run `station verify`: every clip not in this vault is listed as missing; a camera that still holds them puts them back, verified, when it is docked again.',
            },
          ]),
    ]);
    return EXIT.ok;
  },
};
