// A profile's problems and how they are told: one bilingual line per field a
// person must fix, naming the file and the field.
import type { z } from 'zod';

export interface ProfileProblem {
  file: string;
  /** Dotted path of the field, e.g. `footage.fileName.pattern`; empty for the whole file. */
  field: string;
  message: string;
}

/** One problem on one line, as every tool prints it: `file: field: message` (`(file)` for the whole file). */
export const formatProblem = (p: ProfileProblem): string => `${p.file}: ${p.field || '(file)'}: ${p.message}`;

/** The problems of each file, in the order the files first appear: one alarm, or one block of output, per file. */
export function problemsByFile(problems: readonly ProfileProblem[]): Map<string, ProfileProblem[]> {
  const byFile = new Map<string, ProfileProblem[]>();
  for (const p of problems) {
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  return byFile;
}

/** The heading of a ProfileError, without its list (the CLI prints the list itself). */
export const PROFILE_ERROR_HEADING = '相机配置文件有误 / invalid camera profile(s)';

export class ProfileError extends Error {
  constructor(readonly problems: ProfileProblem[]) {
    super(`${PROFILE_ERROR_HEADING}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join('\n'));
    this.name = 'ProfileError';
  }
}

const fieldName = (p: readonly PropertyKey[]) =>
  p
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      const name = String(s);
      if (!/^[\w-]+$/.test(name)) return `[${JSON.stringify(name)}]`; // e.g. an extension key ".jpg"
      return i === 0 ? name : `.${name}`;
    })
    .join('');

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let node = root;
  for (const s of p) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[s as string];
  }
  return node;
}

function describeValue(v: unknown): string {
  if (v === undefined) return '缺失 / missing';
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'string' ? `"${v}"` : typeof v;
}

/** Zod's issues, turned into one bilingual line per field a person must fix. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, base: PropertyKey[] = []): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    const got = valueAt(input, at);
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          field: fieldName(at),
          message:
            got === undefined
              ? `缺少必填字段（应为 ${issue.expected}） / required field is missing (expected ${issue.expected})`
              : `类型不对：应为 ${issue.expected}，实为 ${describeValue(got)} / expected ${issue.expected}, got ${describeValue(got)}`,
        });
        break;
      case 'unrecognized_keys':
        for (const k of issue.keys) {
          out.push({ field: fieldName([...at, k]), message: '不认识的字段（拼写错误？） / unknown field (a typo?)' });
        }
        break;
      case 'invalid_value':
        out.push({
          field: fieldName(at),
          message: `值 ${describeValue(got)} 不在可选范围内：${issue.values.map((v) => JSON.stringify(v)).join(', ')} / ${describeValue(got)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        });
        break;
      case 'too_small':
        out.push({
          field: fieldName(at),
          message:
            issue.origin === 'array'
              ? `至少需要 ${issue.minimum} 项 / needs at least ${issue.minimum} item(s)`
              : `不能为空（至少 ${issue.minimum}） / too short (minimum ${issue.minimum})`,
        });
        break;
      case 'too_big':
        out.push({ field: fieldName(at), message: `太长（最多 ${issue.maximum}） / too long (maximum ${issue.maximum})` });
        break;
      case 'invalid_union': {
        // `"none"` or an object: report the branch the author evidently meant,
        // not "no union member matched".
        const meant = issue.errors.find((branch) => !branch.some((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value')));
        if (meant) out.push(...describeIssues(meant, input, at));
        else out.push({ field: fieldName(at), message: `应为 "none" 或一个对象 / must be "none" or an object, got ${describeValue(got)}` });
        break;
      }
      case 'invalid_key':
        // A bad record key: the field name is the key itself.
        out.push(...describeIssues(issue.issues, input, at).map((d) => ({ ...d, field: fieldName(at) })));
        break;
      default:
        out.push({ field: fieldName(at), message: issue.message });
    }
  }
  return out;
}
