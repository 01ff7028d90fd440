import readline from 'node:readline';
import type { Words } from './format.js';
import { CliError, EXIT } from './errors.js';

/**
 * Where a new secret (password, PIN) comes from. On a terminal it is typed
 * twice without echo; from a pipe or file it is read as lines, so scripts and
 * tests can run `printf '%s\n%s\n' "$pw" "$pw" | station init …`. Never from a
 * command-line flag: those end up in shell history and in `ps`.
 */
export class SecretInput {
  private lines: AsyncIterator<string> | null = null;
  private rl: readline.Interface | null = null;

  constructor(
    private readonly stdin: NodeJS.ReadStream = process.stdin,
    private readonly prompts: NodeJS.WriteStream = process.stderr,
  ) {}

  get interactive(): boolean {
    return this.stdin.isTTY === true;
  }

  /**
   * A new secret: on a terminal always asked twice; from a pipe, `pipedLines`
   * lines (2 for a password, which must then match; 1 for a PIN handed over by
   * a script).
   */
  async newSecret(what: Words, pipedLines: 1 | 2): Promise<string> {
    if (this.interactive) {
      const [first, second] = await this.hiddenLines([
        `${what.zh} / ${what.en.charAt(0).toUpperCase()}${what.en.slice(1)}: `,
        '再输入一次 / Again: ',
      ]);
      this.assertSame(first!, second!, what);
      return first!;
    }
    const first = await this.line(what, pipedLines);
    if (pipedLines === 1) return first;
    this.assertSame(first, await this.line(what, pipedLines), what);
    return first;
  }

  /** Lets the process end: a pipe that is still open must not hold it. */
  close(): void {
    this.rl?.close();
    if (!this.interactive) this.stdin.destroy();
  }

  private assertSame(a: string, b: string, what: Words): void {
    if (a !== b) {
      throw new CliError(
        'secret_mismatch',
        `两次输入的${what.zh}不一致，未做任何更改。 / The two ${what.en} entries differ; nothing was changed.`,
        EXIT.failed,
      );
    }
  }

  private async line(what: Words, expected: number): Promise<string> {
    if (!this.lines) {
      // One interface for the whole run: readline buffers lines that arrive before they are asked for.
      this.rl = readline.createInterface({ input: this.stdin, crlfDelay: Infinity, terminal: false });
      this.lines = this.rl[Symbol.asyncIterator]();
    }
    const next = await this.lines.next();
    if (next.done) {
      const times = expected === 2 ? { zh: '两次（每行一次）', en: 'twice, one per line' } : { zh: '一行', en: 'on one line' };
      throw new CliError(
        'missing_input',
        `标准输入中没有读到${what.zh}：需要${times.zh}。 / Standard input ended before the ${what.en}: expected it ${times.en}.`,
        EXIT.failed,
      );
    }
    return next.value;
  }

  /**
   * Reads lines on the terminal in raw mode, echoing nothing. Raw mode is held
   * across all the prompts so that typing ahead is never echoed in between;
   * whatever follows an Enter in the same chunk belongs to the next prompt.
   */
  private async hiddenLines(prompts: string[]): Promise<string[]> {
    const stdin = this.stdin;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    let pending = '';
    const lines: string[] = [];
    try {
      for (const prompt of prompts) {
        this.prompts.write(prompt);
        try {
          lines.push(await this.hiddenLine(pending, (rest) => (pending = rest)));
        } finally {
          // Nothing was echoed, so end the prompt's line ourselves (also before an error).
          this.prompts.write('\n');
        }
      }
      return lines;
    } finally {
      stdin.setRawMode(false);
      stdin.pause();
    }
  }

  private hiddenLine(typedAhead: string, keep: (rest: string) => void): Promise<string> {
    const stdin = this.stdin;
    return new Promise((resolve, reject) => {
      let value = '';
      const consume = (chunk: string): boolean => {
        const chars = [...chunk];
        for (let i = 0; i < chars.length; i++) {
          const ch = chars[i]!;
          if (ch === '\r' || ch === '\n') {
            keep(chars.slice(i + 1).join('').replace(/^\n/, ''));
            resolve(value);
            return true;
          }
          if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
            reject(new CliError('cancelled', '已取消，未做任何更改。 / Cancelled; nothing was changed.', EXIT.failed));
            return true;
          }
          if (ch === '\u007f' || ch === '\b') {
            value = [...value].slice(0, -1).join('');
          } else if (ch === '\u001b') {
            // An arrow or function key: its escape sequence is not part of the secret.
            break;
          } else if (ch >= ' ') {
            value += ch;
          }
        }
        return false;
      };
      if (consume(typedAhead)) return;
      const onData = (chunk: string) => {
        if (consume(chunk)) {
          stdin.off('data', onData);
          stdin.pause();
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  }
}
