// Backend option strings → typed values, as rclone's configstruct does it (fmt.Sscanln per Go type).

import { parseEncoding } from '../encoding/index.js';
import { invalidArgument, type JsyncError } from './errors.js';
import type { OptionSpec, OptionType } from './options.js';
import { goQuote, parseDuration, parseSizeSuffix } from '../util/units.js';

/** A parsed option value: string/password → string, bool → boolean, int/size(bytes)/duration(ms)/encoding → number. */
export type OptionValue = string | number | boolean;

/** rclone's Go type names, used verbatim in its error messages. */
const GO_TYPE: Readonly<Record<OptionType, string>> = {
  string: 'string', password: 'string', bool: 'bool', int: 'int', size: 'fs.SizeSuffix', duration: 'fs.Duration', encoding: 'encoder.MultiEncoder',
};

/** Value of a Go zero-initialised field: what rclone keeps when a non-string option is set to `""`. */
const ZERO: Readonly<Record<OptionType, OptionValue>> = {
  string: '', password: '', bool: false, int: 0, size: 0, duration: 0, encoding: 0,
};

class ScanError extends Error {}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** fmt `Token(true, nil)` + Sscanln's end check: the one whitespace-free token, or "expected newline"/"EOF". */
function scanToken(raw: string): string {
  const s = raw.trimStart();
  if (s === '') throw new ScanError('EOF');
  const end = s.search(/\s/);
  if (end === -1) return s;
  if (s.slice(end).trim() !== '') throw new ScanError('expected newline');
  return s.slice(0, end);
}

function expectEnd(rest: string): void {
  if (rest.trim() !== '') throw new ScanError('expected newline');
}

/**
 * fmt's boolean scan: `0`, `1`, `t`/`true`, `f`/`false` in any letter case, surrounded by spaces. Unlike Go, other
 * first letters are an error here (Go silently reads `x` as false).
 */
function scanBool(raw: string): boolean {
  const s = raw.trimStart();
  if (s === '') throw new ScanError('EOF');
  const lower = s.toLowerCase();
  const c = lower[0];
  let used = 1;
  let value: boolean;
  if (c === '0' || c === '1') value = c === '1';
  else if (c === 't' || c === 'f') {
    const word = c === 't' ? 'true' : 'false';
    value = c === 't';
    if (lower[1] === word[1]) {
      if (!lower.startsWith(word)) throw new ScanError('syntax error scanning boolean');
      used = word.length;
    }
  } else throw new ScanError('syntax error scanning boolean');
  expectEnd(s.slice(used));
  return value;
}

/** Go `underscoreOK`: `_` only between digits or right after a base prefix. */
function underscoreOk(body: string): boolean {
  let saw = '^';
  let i = 0;
  if (/^0[bBoOxX]/.test(body)) {
    i = 2;
    saw = '0';
  }
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      saw = '0';
    }
  }
  return saw !== '_';
}

/** fmt's `%v` integer scan then `strconv.ParseInt(tok, 0, 64)`: sign, `0b`/`0o`/`0x`/leading-`0` octal, `_`. */
function scanInt(raw: string): number {
  const s = raw.trimStart();
  if (s === '') throw new ScanError('EOF');
  const m = /^([+-]?)(0[bB][01_]*|0[oO][0-7_]*|0[xX][0-9a-fA-F_]*|0[0-7_]*|[0-9_]*)/.exec(s);
  const tok = m?.[0] ?? '';
  const body = m?.[2] ?? '';
  if (body === '') throw new ScanError(s.length === tok.length ? 'EOF' : 'expected integer');
  expectEnd(s.slice(tok.length));
  const bad = (what: string): never => {
    throw new ScanError(`strconv.ParseInt: parsing ${goQuote(tok)}: ${what}`);
  };
  const letter = body.length >= 3 && body[0] === '0' ? (body[1] ?? '').toLowerCase() : '';
  const base = letter === 'b' ? 2 : letter === 'o' ? 8 : letter === 'x' ? 16 : body[0] === '0' ? 8 : 10;
  const digits = letter === 'b' || letter === 'o' || letter === 'x' ? body.slice(2) : body[0] === '0' ? body.slice(1) : body;
  let n = 0n;
  for (const d of digits) {
    if (d === '_') continue;
    const v = parseInt(d, base);
    if (Number.isNaN(v)) bad('invalid syntax');
    n = n * BigInt(base) + BigInt(v);
  }
  if (!underscoreOk(body)) bad('invalid syntax');
  if (m?.[1] === '-') n = -n;
  if (n > (1n << 63n) - 1n || n < -(1n << 63n)) bad('value out of range');
  return Number(n);
}

function reasonOf(err: unknown): string {
  if (err instanceof ScanError) return err.message;
  const ctx = (err as JsyncError).context as { reason?: unknown } | undefined;
  return typeof ctx?.reason === 'string' ? ctx.reason : err instanceof Error ? err.message : String(err);
}

function convert(type: OptionType, raw: string): OptionValue {
  switch (type) {
    case 'string':
    case 'password':
      return raw;
    case 'bool':
      return scanBool(raw);
    case 'int':
      return scanInt(raw);
    case 'size':
      return parseSizeSuffix(scanToken(raw));
    case 'duration':
      return parseDuration(raw.trimStart());
    case 'encoding':
      return parseEncoding(scanToken(raw));
  }
}

/**
 * Parses one raw option value by `spec.type` exactly as rclone's configstruct reads it. `""` for a non-string
 * option yields the Go zero value (rclone masks that parse error). Throws INVALID_ARGUMENT with rclone's text:
 * `couldn't parse config item "name" = "value" as bool: parsing "value" as bool failed: <reason>`.
 */
export function parseOptionValue(spec: OptionSpec, raw: string): OptionValue {
  const type = spec.type ?? 'string';
  try {
    return convert(type, raw);
  } catch (err) {
    if (raw === '') return ZERO[type];
    const goType = GO_TYPE[type];
    const reason = reasonOf(err);
    const e = invalidArgument(
      `couldn't parse config item ${goQuote(spec.name)} = ${goQuote(raw)} as ${goType}: parsing ${goQuote(raw)} as ${goType} failed: ${reason}`,
      err,
    );
    Object.assign(e.context, { option: spec.name, value: raw, reason });
    throw e;
  }
}

/** The typed value of every declared option: `raw[name]` when present, else the option's default (or zero value). */
export function parseOptions(specs: readonly OptionSpec[], raw: Readonly<Record<string, string>>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const spec of specs) {
    const value = Object.hasOwn(raw, spec.name) ? raw[spec.name] : spec.default;
    out[spec.name] = value === undefined ? ZERO[spec.type ?? 'string'] : parseOptionValue(spec, value);
  }
  return out;
}
