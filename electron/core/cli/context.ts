import type { CallInput, CallName, CallOutput } from '../../../shared/contract.js';
import type { Connection, Station } from '../station.js';
import type { Actor } from '../audit/actor.js';
import { fromBody } from './errors.js';
import type { Words } from './format.js';
import type { SecretInput } from './input.js';
import { ProgressBar } from './progress.js';

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

  /** One JSON value on one line: the `--json` stream of a long command (`station ingest`). */
  jsonLine(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /**
   * A progress bar on stderr when stderr is a terminal; none for a file or a
   * pipe. None either when JSON lines go to that same terminal: the bar would
   * be torn by every line.
   */
  progressBar(json: boolean): ProgressBar | null {
    const stderr = this.stderr as NodeJS.WriteStream;
    if (stderr.isTTY !== true) return null;
    if (json && (this.stdout as NodeJS.WriteStream).isTTY === true) return null;
    return new ProgressBar(stderr);
  }
}

/** A Words pair prints as two lines, Chinese first. */
function render(line: string | Words): string {
  return typeof line === 'string' ? line : `${line.zh}\n${line.en}`;
}
