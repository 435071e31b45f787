// Terminal question primitives of rclone's config wizard (fs/config/ui.go): menus, choices, values, passwords.

import { randomBytes } from 'node:crypto';
import { decodeUtf8Escaped, hasLoneSurrogate, obscure } from '@jsync/core';
import { CliFatalError } from '../context.js';
import type { CliIo } from '../io.js';

type TtyInput = { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Reads stdin line by line across questions (unlike rclone 1.60, piped answers are not lost to buffering). */
class LineReader {
  private readonly it: AsyncIterator<Uint8Array | string>;
  private buf = Buffer.alloc(0);

  constructor(input: AsyncIterable<Uint8Array | string>) {
    this.it = input[Symbol.asyncIterator]();
  }

  /** Next chunk appended to the buffer; false at end of input. */
  private async fill(): Promise<boolean> {
    const r = await this.it.next();
    if (r.done) return false;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value);
    this.buf = Buffer.concat([this.buf, chunk]);
    return true;
  }

  /** One line without its `\n`; undefined at end of input before a newline (Go's ReadString error). */
  async line(): Promise<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        return decodeUtf8Escaped(line);
      }
      if (!(await this.fill())) return undefined;
    }
  }

  /** One line typed without echo on a terminal in raw mode (backspace honoured, Ctrl-C aborts). */
  async rawLine(): Promise<string> {
    let out = Buffer.alloc(0);
    for (;;) {
      if (this.buf.length === 0 && !(await this.fill())) throw new CliFatalError('Failed to read password: EOF');
      const b = this.buf[0]!;
      this.buf = this.buf.subarray(1);
      if (b === 0x0d || b === 0x0a) return decodeUtf8Escaped(out);
      if (b === 0x03) throw new CliFatalError('Failed to read password: interrupted');
      if (b === 0x7f || b === 0x08) out = out.subarray(0, Math.max(0, out.length - 1));
      else out = Buffer.concat([out, Buffer.from([b])]);
    }
  }
}

/** Go strconv.Atoi accepting only what it accepts (sign, decimal digits); undefined otherwise. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= Number.MAX_SAFE_INTEGER ? Number(s) : undefined;
}

/** The wizard's questions, printed to stdout (passwords prompt on stderr) and answered from stdin. */
export class Prompter {
  private readonly io: CliIo;
  private readonly reader: LineReader;

  constructor(io: CliIo) {
    this.io = io;
    this.reader = new LineReader(io.stdin);
  }

  /** Writes text to stdout. */
  print(text: string): void {
    this.io.stdout.write(text);
  }

  /** rclone ReadLine: one trimmed line; end of input is fatal (`Failed to read line: EOF`, exit 1). */
  async readLine(): Promise<string> {
    const line = await this.reader.line();
    if (line === undefined) throw new CliFatalError('Failed to read line: EOF');
    return line.trim();
  }

  /** A one-letter menu (`"yYes"` → `y) Yes`); Enter picks `defaultIndex` when ≥ 0. Returns the letter. */
  async commandDefault(commands: readonly string[], defaultIndex = -1): Promise<string> {
    const letters = commands.map((c) => c[0]!);
    commands.forEach((c, i) => this.print(`${c[0]}) ${c.slice(1)}${i === defaultIndex ? ' (default)' : ''}\n`));
    for (;;) {
      this.print(`${letters.join('/')}> `);
      const result = (await this.readLine()).toLowerCase();
      if (result.length === 0) {
        if (defaultIndex >= 0) return letters[defaultIndex]!;
        this.print('This value is required and it has no default.\n');
      } else if (Buffer.byteLength(result) === 1) {
        if (letters.includes(result)) return result;
        this.print(`This value must be one of the following characters: ${letters.join(', ')}.\n`);
      } else {
        this.print(`This value must be a single character, one of the following: ${letters.join(', ')}.\n`);
      }
    }
  }

  /** Yes/No with a default. */
  async confirm(dflt: boolean): Promise<boolean> {
    return (await this.commandDefault(['yYes', 'nNo'], dflt ? 0 : 1)) === 'y';
  }

  /** A numbered list of `choices` (with optional help lines); a number, a listed value, or (newOk) any text. */
  async choose(what: string, kind: string, choices: readonly string[], help: readonly string[] | undefined, dflt: string, required: boolean, newOk: boolean): Promise<string> {
    const desc = newOk ? 'your own' : 'an existing';
    this.print(`Choose a number from below, or type in ${desc} ${kind}.\n`);
    if (dflt !== '') this.print(`Press Enter for the default (${dflt}).\n`);
    else if (!required) this.print('Press Enter to leave empty.\n');
    choices.forEach((text, i) => {
      const pos = String(i + 1).padStart(2);
      const h = help?.[i];
      if (!h) return this.print(`${pos} > ${text}\n`);
      const lines = [...h.split('\n'), `(${text})`];
      const mid = Math.floor((lines.length - 1) / 2);
      lines.forEach((line, j) => {
        const sep = j === 0 ? '/' : j === lines.length - 1 ? '\\' : '|';
        this.print(`${j === mid ? pos : '  '} ${sep} ${line}\n`);
      });
    });
    for (;;) {
      this.print(`${what}> `);
      const result = await this.readLine();
      const n = atoi(result);
      if (n !== undefined) {
        if (n >= 1 && n <= choices.length) return choices[n - 1]!;
        this.print('No choices with this number.\n');
        continue;
      }
      if (choices.includes(result)) return result;
      if (result === '') {
        if (!required) return result;
        if (dflt !== '') return dflt;
        this.print('This value is required and it has no default.\n');
      } else if (newOk) return result;
      else this.print(`This value must match ${desc} value.\n`);
    }
  }

  /** Free text with an optional default; `secret` input is not echoed on a terminal. */
  async enter(what: string, kind: string, dflt: string, required: boolean, opts: { secret?: boolean } = {}): Promise<string> {
    this.print(`Enter a ${kind}.`);
    if (dflt !== '') this.print(` Press Enter for the default (${dflt}).\n`);
    else if (!required) this.print(' Press Enter to leave empty.\n');
    else this.print('\n');
    for (;;) {
      this.print(`${what}> `);
      const result = opts.secret ? (await this.readPassword()).trim() : await this.readLine();
      if (!required || result !== '') return result;
      if (dflt !== '') return dflt;
      this.print('This value is required and it has no default.\n');
    }
  }

  /** A number in [min, max]. */
  async chooseNumber(what: string, min: number, max: number): Promise<number> {
    for (;;) {
      this.print(`${what}> `);
      const result = await this.readLine();
      const n = atoi(result);
      if (n === undefined) this.print(`Bad number: strconv.Atoi: parsing ${JSON.stringify(result)}: invalid syntax\n`);
      else if (n < min || n > max) this.print(`Out of range - ${min} to ${max} inclusive\n`);
      else return n;
    }
  }

  /** rclone ChoosePassword: type one, generate one, or keep/leave blank; returns the OBSCURED value (or `dflt`). */
  async choosePassword(dflt: string, required: boolean): Promise<string> {
    this.print('Choose an alternative below.');
    const actions = ['yYes, type in my own password', 'gGenerate random password'];
    let defaultAction = -1;
    if (dflt !== '' || !required) {
      defaultAction = actions.length;
      actions.push(dflt !== '' ? 'nNo, keep existing' : 'nNo, leave this optional password blank');
      this.print(' Press Enter for the default (n).');
    }
    this.print('\n');
    let password = '';
    switch (await this.commandDefault(actions, defaultAction)) {
      case 'y':
        password = await this.changePassword('the');
        break;
      case 'g':
        for (;;) {
          this.print('Password strength in bits.\n64 is just about memorable\n128 is secure\n1024 is the maximum\n');
          const bits = await this.chooseNumber('Bits', 64, 1024);
          password = randomBytes(Math.ceil(bits / 8)).toString('base64url');
          this.print(`Your password is: ${password}\n`);
          this.print('Use this password? Please note that an obscured version of this \npassword (and not the password itself) will be stored under your \nconfiguration file, so keep this generated password in a safe place.\n');
          if (await this.confirm(true)) break;
        }
        break;
      default:
        return dflt;
    }
    return obscure(password);
  }

  /** Asks twice until both entries match. */
  async changePassword(name: string): Promise<string> {
    for (;;) {
      const a = await this.getPassword(`Enter ${name} password:`);
      const b = await this.getPassword(`Confirm ${name} password:`);
      if (a === b) return a;
      this.print('Passwords do not match!\n');
    }
  }

  /** One password (prompt on stderr, no echo on a terminal), NFKC-normalised, not blank. */
  async getPassword(prompt: string): Promise<string> {
    this.io.stderr.write(`${prompt}\n`);
    for (;;) {
      this.io.stderr.write('password:');
      const raw = await this.readPassword();
      const trimmed = raw.trim();
      if (hasLoneSurrogate(raw)) {
        this.io.stderr.write('Bad password: password contains invalid utf8 characters\n');
        continue;
      }
      if (raw.length !== trimmed.length) {
        this.io.stderr.write('Your password contains leading/trailing whitespace - in previous versions of rclone this was stripped\n');
      }
      if (trimmed === '') {
        this.io.stderr.write('Bad password: no characters in password\n');
        continue;
      }
      return raw.normalize('NFKC');
    }
  }

  private async readPassword(): Promise<string> {
    const tty = this.io.stdin as TtyInput;
    if (!tty.isTTY || !tty.setRawMode) return this.readLine();
    tty.setRawMode(true);
    try {
      return await this.reader.rawLine();
    } finally {
      tty.setRawMode(false);
      this.io.stderr.write('\n');
    }
  }
}
