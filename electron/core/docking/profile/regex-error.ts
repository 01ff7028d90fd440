// What is wrong with a profile's regular expression, and where. V8's message
// names the problem but not the place ("Invalid capture group name"), which in
// a 100-character file-name pattern leaves the site technician guessing;
// regexpp's validator stops at the character it could not accept, so the
// message shows the pattern around that place with a marker.
import { RegExpValidator } from '@eslint-community/regexpp';

/** Characters of the pattern shown on each side of the marker. */
const CONTEXT = 24;
/** Where the validator stopped: inserted into the pattern as shown, so it reads in any terminal font. */
export const REGEX_MARKER = '【此处 here】';

/**
 * A pattern as the author typed it in the JSON file: backslashes doubled,
 * quotes escaped. The author searches their file for what we show.
 */
const asJsonText = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The reason from a V8 or regexpp message, without the `Invalid regular expression: /…/u: ` preamble that repeats the pattern. */
function reasonOf(message: string, source: string): string {
  const preamble = `Invalid regular expression: /${source}/`;
  if (message.startsWith(preamble)) {
    const rest = message.slice(preamble.length);
    const m = /^[a-z]*: ([\s\S]*)$/.exec(rest);
    if (m) return m[1]!;
  }
  return message.replace(/^Invalid regular expression: /, '');
}

/** Moves a cut off the second half of a surrogate pair, so no character is shown broken. */
function codePointBoundary(s: string, i: number): number {
  if (i <= 0 || i >= s.length) return Math.max(0, Math.min(i, s.length));
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}

/** The pattern around `index` (a UTF-16 offset in the source), in JSON text, with the marker at `index`. */
function around(source: string, index: number): { shown: string; column: number } {
  const at = Math.max(0, Math.min(index, source.length));
  const start = codePointBoundary(source, at - CONTEXT);
  const end = codePointBoundary(source, at + CONTEXT);
  // Cut in the raw pattern and escape each side on its own: an escape is never split by the cut.
  const before = `${start > 0 ? '…' : ''}${asJsonText(source.slice(start, at))}`;
  const after = `${asJsonText(source.slice(at, end))}${end < source.length ? '…' : ''}`;
  // The column as the author's editor counts it in the JSON string (1-based): the character after the marker.
  const column = asJsonText(source.slice(0, at)).length + 1;
  return { shown: `"${before}${REGEX_MARKER}${after}"`, column };
}

/**
 * Why `new RegExp(source, flags)` fails, in the bilingual form the profile
 * problems use, with the pattern around the failing place; null when the
 * station can compile it. V8 decides validity (it is what the station runs);
 * regexpp only says where. Should the two disagree (a newer syntax one of
 * them knows), V8's own message is given without a place.
 */
export function regexProblem(source: string, flags: string): string | null {
  let v8: string;
  try {
    new RegExp(source, flags);
    return null;
  } catch (err) {
    v8 = (err as Error).message;
  }
  const validator = new RegExpValidator({ ecmaVersion: 2025 });
  try {
    validator.validateFlags(flags);
  } catch (err) {
    return `正则表达式标志无效 / invalid regular expression flags "${flags}": ${reasonOf((err as Error).message, source)}`;
  }
  try {
    validator.validatePattern(source, 0, source.length, { unicode: flags.includes('u'), unicodeSets: flags.includes('v') });
  } catch (err) {
    const index = (err as { index?: unknown }).index;
    if (typeof index === 'number') {
      const { shown, column } = around(source, index);
      return `正则表达式无效（第 ${column} 个字符处） / invalid regular expression (at character ${column}): ${reasonOf((err as Error).message, source)}: ${shown}`;
    }
  }
  return `正则表达式无效 / invalid regular expression: ${reasonOf(v8, source)}`;
}
