import { describe, expect, it } from 'vitest';
import { VAULT_PROBLEM_KINDS } from '../../electron/core/ingest/verify-problems.js';
import { alarmText, VAULT_CHECK_KINDS } from '../../renderer/features/board/alarm-text.js';
import { unrecognizedText } from '../../renderer/features/board/unrecognized-text.js';
import type { UnrecognizedCause } from '../../shared/events.js';
import { catalogs, lookup, translate, type Language } from '../../renderer/i18n/catalog.js';
import type { Alarm, AlarmKind } from '../../shared/ingest.js';

// What the board's alarms say, in both languages, from the details the core
// records when it raises them (a copy's failed read-back; `station verify`'s
// findings; a vault that is not there; a binding; low space).

const alarm = (kind: AlarmKind, details: Record<string, unknown> | null): Alarm => ({
  id: 1,
  kind,
  dockSessionId: null,
  deviceId: null,
  serial: null,
  details,
  raisedAt: 0,
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
});

/** A translator that fails on any key the catalog lacks, so a sentence can never fall back to its key. */
const strict =
  (language: Language) =>
  (key: string, vars?: Record<string, string | number>): string => {
    if (lookup(catalogs[language], key) === undefined) throw new Error(`${language} has no ${key}`);
    return translate(language, key, vars);
  };

const zh = strict('zh-CN');
const en = strict('en');

describe('alarmText', () => {
  it('says of a copy whose read-back differed which file, that it stays on the camera, and what to do', () => {
    const a = alarm('verify_failure', { path: 'DCIM/100MEDIA/A.MP4' });
    expect(alarmText(zh, a)).toMatch(/^DCIM\/100MEDIA\/A\.MP4：.*回读校验不一致.*仍在执法记录仪上.*重新接入/u);
    expect(alarmText(en, a)).toMatch(/^DCIM\/100MEDIA\/A\.MP4: .*read back.*stays on the camera.*dock the camera again/u);
  });

  it("gives `station verify`'s findings a line each, altered first, with what to do for each, and leaves out kinds it did not find", () => {
    const a = alarm('verify_failure', { found: { missing: 2, mismatch: 1, unreadable: 0 }, problems: [] });
    expect(alarmText(zh, a).split('\n')).toEqual([
      '证据库复核发现问题。',
      expect.stringMatching(/^与入库时的哈希不符 1 个（被改动或损坏）：请立即联系综合处/u),
      expect.stringMatching(/^缺失 2 个：仍存有这些文件的执法记录仪再次接入时，采集站会校验后放回原位置。$/u),
    ]);
    expect(alarmText(en, alarm('verify_failure', { found: { missing: 0, mismatch: 0, unreadable: 3 } })).split('\n')).toEqual([
      'The vault check found problems.',
      "Cannot be read: 3. Have an administrator check the vault's disk.",
    ]);
    expect(alarmText(en, alarm('verify_failure', { found: { missing: 4, mismatch: 0, unreadable: 0 } }))).toBe(
      'The vault check found problems.\nMissing: 4. Docking a camera that still holds them puts them back, verified.',
    );
  });

  it("has a line for every kind `station verify` can find, in the core's order, each saying what to do", () => {
    expect([...VAULT_CHECK_KINDS]).toEqual([...VAULT_PROBLEM_KINDS]);
    const found = Object.fromEntries(VAULT_PROBLEM_KINDS.map((k, i) => [k, i + 1]));
    for (const [language, t] of [['zh', zh], ['en', en]] as const) {
      const lines = alarmText(t, alarm('verify_failure', { found })).split('\n');
      expect(lines, language).toHaveLength(VAULT_PROBLEM_KINDS.length + 1);
      VAULT_PROBLEM_KINDS.forEach((k, i) => expect(lines[i + 1], `${language} ${k}`).toContain(String(i + 1)));
    }
    expect(alarmText(zh, alarm('verify_failure', { found: { audit_mismatch: 1, committed_not_indexed: 2, orphan_file: 3 } })).split('\n')).toEqual([
      '证据库复核发现问题。',
      expect.stringMatching(/^索引记录与入库时的审计记录不符 1 个（索引被改动过）：请立即联系综合处/u),
      expect.stringMatching(/^审计记录中有、索引中却已没有的片段 2 个（片段记录被删除）：请立即联系综合处/u),
      expect.stringMatching(/^证据库中有索引外的文件 3 个：未删除任何文件/u),
    ]);
    expect(alarmText(en, alarm('verify_failure', { found: { index_gap: 1, audit_missing: 2, orphan_sidecar: 1 } })).split('\n')).toEqual([
      'The vault check found problems.',
      expect.stringMatching(/^Runs of clip ids missing from the index: 1 .*general office/u),
      expect.stringMatching(/^Clips with no audit row recording their storing: 2 .*general office/u),
      expect.stringMatching(/^Sidecars in the vault that describe no clip in the index: 1\. Nothing was deleted/u),
    ]);
  });

  it('adds how many of them docks have put right since, and what to do then', () => {
    const a = alarm('verify_failure', { found: { missing: 2, mismatch: 0, unreadable: 0 }, putRight: 2 });
    expect(alarmText(en, a).split('\n')).toEqual([
      'The vault check found problems.',
      expect.stringMatching(/^Missing: 2\./u),
      'Put right since by a camera docked again: 2 (verified). Run station verify again to confirm, then resolve this alarm.',
    ]);
    expect(alarmText(zh, a).split('\n').at(-1)).toBe('此后已由再次接入的执法记录仪放回 2 个（已校验）：可再次运行 station verify 确认，然后处理本警报。');
  });

  it('falls back to the kind\'s hint when the details say nothing it knows (an alarm raised by an older station)', () => {
    const old = alarm('verify_failure', { problems: [{ vaultPath: 'x', problem: 'missing' }] });
    expect(alarmText(zh, old)).toBe(translate('zh-CN', 'board.alarmHint.verify_failure'));
    expect(alarmText(en, alarm('verify_failure', { found: { missing: 0, mismatch: 0, unreadable: 0 } }))).toBe(translate('en', 'board.alarmHint.verify_failure'));
    expect(alarmText(en, alarm('unregistered_device', null))).toBe(translate('en', 'board.alarmHint.unregistered_device'));
  });

  it('names the binding, the free space and the vault problem from their details', () => {
    expect(alarmText(zh, alarm('binding_mismatch', { bindingBadge: '100002' }))).toContain('100002');
    expect(alarmText(en, alarm('vault_low_space', { freeBytes: 2 * 1024 ** 3, reserveBytes: 10 * 1024 ** 3 }))).toMatch(/2\.0 GB.*10\.0 GB/u);
    expect(alarmText(en, alarm('vault_unavailable', { problem: 'missing', vault: '/mnt/evidence/vault' }))).toContain('/mnt/evidence/vault');
    expect(alarmText(en, alarm('vault_unavailable', { problem: 'nonsense', vault: '/v' }))).toBe(translate('en', 'board.alarmHint.vault_unavailable'));
  });

  it('says why ffprobe does not run, that footage is still stored whole, and who puts it right', () => {
    const a = alarm('probe_unavailable', { ffprobe: 'ffprobe', reason: 'ffprobe: spawn ffprobe ENOENT' });
    expect(alarmText(zh, a)).toBe(
      '检测程序 ffprobe 无法运行（ffprobe: spawn ffprobe ENOENT）。资料照常导出，经哈希校验后完整保存，但无法检查能否正常播放，其间存入的文件先标记为“未能检查”。请管理员安装或修复 ffmpeg（含 ffprobe）；修复后本警报在半分钟内自动解除，这些文件随后自动补查。',
    );
    expect(alarmText(en, a)).toMatch(/^ffprobe, the program that checks recordings, does not run \(ffprobe: spawn ffprobe ENOENT\)\. Footage is still offloaded/u);
    expect(alarmText(en, alarm('probe_unavailable', null))).toBe(translate('en', 'board.alarmHint.probe_unavailable'));
  });

  it('names each part of a camera that could not be read, a line each with its error code, then what to do', () => {
    const a = alarm('footage_unreadable', {
      dockSessionId: 3,
      unread: [
        { kind: 'unreadable_folder', path: 'RECORD/20261127', code: 'EIO' },
        { kind: 'special_file', path: 'RECORD/PIPE.MP4', code: null },
      ],
      total: 2,
    });
    expect(alarmText(zh, a).split('\n')).toEqual([
      '未能读取 2 处，其中的资料可能仍在执法记录仪上，本次导出未完成：',
      'RECORD/20261127（目录无法列出，EIO）',
      'RECORD/PIPE.MP4（非普通文件）',
      expect.stringMatching(/^请勿取走、清空或继续使用该记录仪。.*请在综合处监督下手工复制.*本警报自动解除。$/u),
    ]);
    expect(alarmText(en, a).split('\n').slice(1, 3)).toEqual(['RECORD/20261127 (folder cannot be listed, EIO)', 'RECORD/PIPE.MP4 (not a regular file)']);
    expect(alarmText(en, a)).toMatch(/copied by hand under the general office's supervision/u);
  });

  it('shows five parts of a long list and how many more, and falls back to the hint when the details name none it knows', () => {
    const unread = Array.from({ length: 50 }, (_, i) => ({ kind: 'unreadable_entry', path: `RECORD/F${i}.MP4`, code: 'EIO' }));
    const lines = alarmText(en, alarm('footage_unreadable', { dockSessionId: 3, unread, total: 120 })).split('\n');
    expect(lines[0]).toBe('120 part(s) could not be read; footage may still be on the camera there, so this offload is not complete:');
    expect(lines.slice(1, 6)).toEqual([0, 1, 2, 3, 4].map((i) => `RECORD/F${i}.MP4 (cannot be examined, EIO)`));
    expect(lines[6]).toBe("… and 115 more: see that dock's Details.");
    expect(alarmText(zh, alarm('footage_unreadable', { unread: [{ kind: 'nonsense', path: 'x' }] }))).toBe(translate('zh-CN', 'board.alarmHint.footage_unreadable'));
    expect(alarmText(en, alarm('footage_unreadable', null))).toBe(translate('en', 'board.alarmHint.footage_unreadable'));
  });
});

describe('what the board says of a camera whose sources of identity disagree', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`names the field, every source and the value used (${language})`, () => {
      const text = alarmText(
        strict(language),
        alarm('binding_mismatch', { field: 'deviceSerial', said: [{ source: 'binding', value: 'DSJ-B1' }, { source: 'name', value: 'DSJ-N1' }] }),
      );
      expect(text).toContain('DSJ-B1');
      expect(text).toContain('DSJ-N1');
      expect(text).toMatch(language === 'en' ? /serial: DSJ-B1 from the binding file, DSJ-N1 from the file names; DSJ-B1 is used/ : /产品序号——绑定文件为 DSJ-B1，文件名为 DSJ-N1；采用 DSJ-B1/);
    });
  }
});

describe('what the board says of a volume it did not take as a camera', () => {
  const causes: UnrecognizedCause[] = [
    { kind: 'no_match' },
    { kind: 'tie', profiles: ['acme-x1', 'acme-x2'] },
    { kind: 'vendor_not_configured', profile: 'novatek-movie' },
    { kind: 'vendor_failed', profile: 'novatek-movie' },
    { kind: 'unreadable' },
  ];
  for (const language of ['zh-CN', 'en'] as const) {
    it(`says why, for every cause, with and without a label (${language})`, () => {
      const texts = causes.flatMap((cause) => [unrecognizedText(strict(language), { label: 'CAM1', cause }), unrecognizedText(strict(language), { label: null, cause })]);
      expect(new Set(texts).size).toBe(texts.length);
      const tie = unrecognizedText(strict(language), { label: 'CAM1', cause: causes[1]! });
      expect(tie).toMatch(language === 'en' ? /a tie: acme-x1, acme-x2/ : /平局：acme-x1、acme-x2/);
      expect(unrecognizedText(strict(language), { label: null, cause: causes[2]! })).toContain('station vendor-library set --profile novatek-movie');
    });
  }
});

// A camera profile that does not load (profile_invalid): which file, each field with its problem,
// and what to do, in both languages; the folder's own alarm when nothing loads says that no camera
// can be recognised.
const FILE = '/opt/station/profiles/acme-x1.json';
const problem = (field: string, message: string) => ({ field, message });

describe('alarmText: profile_invalid', () => {
  it('names the file, each field with its problem, and says to fix it and restart', () => {
    const a = alarm('profile_invalid', {
      scope: 'file',
      file: FILE,
      field: 'footage.fileName.pattern',
      message: '正则表达式无效 / invalid regular expression',
      problems: [problem('footage.fileName.pattern', '正则表达式无效 / invalid regular expression'), problem('', '不是有效的 JSON / not valid JSON')],
      total: 2,
    });
    const lines = alarmText(zh, a).split('\n');
    expect(lines[0]).toBe(`相机配置文件 ${FILE} 有误，已跳过；在修正之前，该型号的执法记录仪无法识别：`);
    expect(lines[1]).toBe('footage.fileName.pattern：正则表达式无效 / invalid regular expression');
    expect(lines[2]).toBe('（整个文件）：不是有效的 JSON / not valid JSON');
    expect(lines[3]).toMatch(/docs\/camera-profiles\.md.*npm run profile:check.*重启采集站程序.*自动解除/u);
    const english = alarmText(en, a).split('\n');
    expect(english[0]).toContain(`The camera profile ${FILE} has errors and was skipped`);
    expect(english[2]).toBe('(whole file): 不是有效的 JSON / not valid JSON');
    expect(english[3]).toMatch(/correct the file.*restart the station.*clears by itself/u);
  });

  it('shows five problems and how many more', () => {
    const problems = Array.from({ length: 20 }, (_, i) => problem(`footage.extensions.e${i}`, 'bad'));
    const lines = alarmText(en, alarm('profile_invalid', { scope: 'file', file: FILE, field: 'x', message: 'bad', problems, total: 31 })).split('\n');
    expect(lines.slice(1, 6)).toEqual([0, 1, 2, 3, 4].map((i) => `footage.extensions.e${i}: bad`));
    expect(lines[6]).toBe('… and 26 more: npm run profile:check shows them all.');
  });

  it('says of the folder that no camera can be recognised, and what to do then', () => {
    const a = alarm('profile_invalid', { scope: 'folder', file: '/opt/station/profiles', field: '', message: 'none loads', problems: [problem('', 'none loads')], total: 1 });
    const lines = alarmText(zh, a).split('\n');
    expect(lines[0]).toBe('相机配置目录 /opt/station/profiles 中没有能加载的相机配置，任何执法记录仪都无法识别：');
    expect(lines.at(-1)).toMatch(/在此之前不导出任何执法记录仪/u);
  });

  it("falls back to the kind's hint when the details name no file", () => {
    expect(alarmText(zh, alarm('profile_invalid', null))).toBe(translate('zh-CN', 'board.alarmHint.profile_invalid'));
    expect(alarmText(en, alarm('profile_invalid', { problems: [] }))).toBe(translate('en', 'board.alarmHint.profile_invalid'));
  });
});
