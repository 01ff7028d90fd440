import type { CallInput, CallName, CallOutput } from '../../../shared/contract.js';
import type { Connection, Station } from '../station.js';
import type { Actor } from '../audit/actor.js';
import { fromBody } from './errors.js';
import type { Words } from './format.js';
import type { SecretInput } from './input.js';

/** What a command gets once its flags are parsed and (if it needs one) the station is open. */
export interface CommandContext {
  station: Station;
  /** The CLI's one connection: caller `os`, so every row it writes names the OS user. */
  connection: Connection;
  actor: Actor;
  dataDir: string;
  timeZone: string;
  json: boolean;
  secrets: SecretInput;
  out: Output;
}

/**
 * Calls the core exactly as the UI does (same dispatcher, same validation,
 * same audit); a refusal comes back as the StationError the core threw.
 */
export async function call<K extends CallName>(ctx: CommandContext, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const result = await ctx.connection.invoke(name, input);
  if (!result.ok) throw fromBody(result.error);
  return result.value as CallOutput<K>;
}

/** stdout carries the answer and nothing else (so `--json` output always parses); stderr the rest. */
export class Output {
  constructor(
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** The answer: the value as JSON with --json, else the human lines. */
  answer(json: boolean, value: unknown, human: () => Array<string | Words>): void {
    if (json) {
      this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    for (const line of human()) this.stdout.write(`${render(line)}\n`);
  }

  /** Warnings and alarms: always stderr, never mixed into the answer. */
  warn(line: string | Words): void {
    this.stderr.write(`${render(line)}\n`);
  }

  raw(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    (stream === 'stdout' ? this.stdout : this.stderr).write(text);
  }
}

/** A Words pair prints as two lines, Chinese first. */
function render(line: string | Words): string {
  return typeof line === 'string' ? line : `${line.zh}\n${line.en}`;
}
