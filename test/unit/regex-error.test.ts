// A bad regular expression in a profile is told with the place it goes wrong: V8 names the
// problem only, so the message shows the pattern around the position, as the JSON file spells it.
import { describe, expect, it } from 'vitest';
import { regexProblem } from '../../electron/core/docking/profile/index.js';
import { REGEX_MARKER } from '../../electron/core/docking/profile/regex-error.js';

describe('regexProblem', () => {
  it('is null for a pattern the station can compile, with the flags the station uses', () => {
    expect(regexProblem('(?<serial>[A-Z0-9]+)_(?<start>\\d{14})\\.MP4', 'iu')).toBeNull();
    expect(regexProblem('^(?<=x)y$', 'u')).toBeNull();
  });

  it('names the problem, the character and the text around it, bilingual, Chinese first', () => {
    const message = regexProblem('(?<se|rial>x)', 'iu')!;
    expect(message).toBe(`正则表达式无效（第 6 个字符处） / invalid regular expression (at character 6): Invalid capture group name: "(?<se${REGEX_MARKER}|rial>x)"`);
  });

  it('shows backslashes as the JSON file has them, and counts the character there', () => {
    // In the file: "\\d{14}_(?<seq>\\d{4}" — what the author sees and searches for.
    const source = '\\d{14}_(?<seq>\\d{4}';
    const message = regexProblem(source, 'u')!;
    expect(message).toContain('Unterminated group');
    expect(message).toContain(`"\\\\d{14}_(?<seq>\\\\d{4}${REGEX_MARKER}"`);
    expect(message).toContain(`at character ${JSON.stringify(source).length - 1}`);
  });

  it('cuts a long pattern around the position, never through an escape', () => {
    const head = '(?<serial>[A-Za-z0-9-]+)_(?<badge>[A-Za-z0-9]+)_';
    const tail = '_(?<seq>\\d{4})(?<important>_IMP)?\\.[A-Za-z0-9]+';
    const message = regexProblem(`${head}(?<start>\\d{14}${tail}`, 'iu')!;
    const shown = /: "(.*)"$/.exec(message)![1]!;
    expect(shown.startsWith('…')).toBe(true);
    // The whole pattern is not repeated: the place is what matters, a few dozen characters of it.
    expect(shown.length).toBeLessThan(80);
    expect(shown).toContain(REGEX_MARKER);
    // Every backslash shown is doubled, as in the file: no escape is cut in half.
    const withoutMarker = shown.replace(REGEX_MARKER, '').replace(/^…|…$/g, '');
    expect(withoutMarker.replace(/\\\\/g, '')).not.toContain('\\');
  });

  it('marks the end of the pattern when it stops there (an unclosed class or group)', () => {
    expect(regexProblem('(?<serial>[A-Z+_(', 'u')).toMatch(new RegExp(`Unterminated character class: "\\(\\?<serial>\\[A-Z\\+_\\(${REGEX_MARKER}"$`));
    expect(regexProblem('a{2,1}', 'u')).toContain(`numbers out of order in {} quantifier: "a{2,1}${REGEX_MARKER}"`);
  });

  it('says when the flags are wrong rather than the pattern', () => {
    expect(regexProblem('x', 'iuu')).toMatch(/^正则表达式标志无效 \/ invalid regular expression flags "iuu": Duplicated flag/);
  });

  it('falls back to V8\'s own words, without a place, for syntax the position finder and V8 disagree on', () => {
    // Duplicate group names in alternatives are ES2025 (the validator allows them); V8 may not.
    const message = regexProblem('(?<a>x)|(?<a>y)', 'u');
    let v8Accepts = true;
    try {
      new RegExp('(?<a>x)|(?<a>y)', 'u');
    } catch {
      v8Accepts = false;
    }
    if (v8Accepts) expect(message).toBeNull();
    else expect(message).toBe('正则表达式无效 / invalid regular expression: Duplicate capture group name');
  });
});
