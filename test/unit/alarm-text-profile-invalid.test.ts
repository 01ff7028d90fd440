// What the board says of a camera profile that does not load (profile_invalid): which file, each
// field with its problem, and what to do, in both languages; the folder's own alarm when nothing
// loads says that no camera can be recognised.
import { describe, expect, it } from 'vitest';
import { alarmText } from '../../renderer/features/board/alarm-text.js';
import { catalogs, lookup, translate, type Language } from '../../renderer/i18n/catalog.js';
import type { Alarm } from '../../shared/ingest.js';

const alarm = (details: Record<string, unknown> | null): Alarm => ({
  id: 1,
  kind: 'profile_invalid',
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

const FILE = '/opt/station/profiles/acme-x1.json';
const problem = (field: string, message: string) => ({ field, message });

describe('alarmText: profile_invalid', () => {
  it('names the file, each field with its problem, and says to fix it and restart', () => {
    const a = alarm({
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
    const lines = alarmText(en, alarm({ scope: 'file', file: FILE, field: 'x', message: 'bad', problems, total: 31 })).split('\n');
    expect(lines.slice(1, 6)).toEqual([0, 1, 2, 3, 4].map((i) => `footage.extensions.e${i}: bad`));
    expect(lines[6]).toBe('… and 26 more: npm run profile:check shows them all.');
  });

  it('says of the folder that no camera can be recognised, and what to do then', () => {
    const a = alarm({ scope: 'folder', file: '/opt/station/profiles', field: '', message: 'none loads', problems: [problem('', 'none loads')], total: 1 });
    const lines = alarmText(zh, a).split('\n');
    expect(lines[0]).toBe('相机配置目录 /opt/station/profiles 中没有能加载的相机配置，任何执法记录仪都无法识别：');
    expect(lines.at(-1)).toMatch(/在此之前不导出任何执法记录仪/u);
  });

  it("falls back to the kind's hint when the details name no file", () => {
    expect(alarmText(zh, alarm(null))).toBe(translate('zh-CN', 'board.alarmHint.profile_invalid'));
    expect(alarmText(en, alarm({ problems: [] }))).toBe(translate('en', 'board.alarmHint.profile_invalid'));
  });
});
