// rclone's config INI dialect (github.com/Unknwon/goconfig v1.0.0): parser, writer and value lookup.

import { goTrimSpace } from '../util/go-text.js';
import { jsyncError } from '../fs/errors.js';
import { redactCredentials } from '../util/logger-redact.js';

/** Name of the section holding keys that appear before any `[section]` header. */
export const DEFAULT_SECTION = 'DEFAULT';

/** One `key = value` line with the comment lines directly above it. */
export interface IniEntry {
  value: string;
  /** Comment lines (each starting `#` or `;`) joined by `\n`; `""` for none. */
  comment: string;
}

/** One section: its leading comment and its entries in file order. */
export interface IniSection {
  comment: string;
  entries: Map<string, IniEntry>;
}

/** A parsed config file: sections in file order (Map order is the write order). */
export type IniData = Map<string, IniSection>;

const MAX_EXPAND_DEPTH = 200;

export { goTrimSpace } from '../util/go-text.js';

const parseError = (message: string): Error => jsyncError('CONFIG', { message, context: { reason: message } });

/** Adds the section if missing (goconfig `SetValue(section, " ", " ")`); `""` means DEFAULT. */
export function ensureSection(data: IniData, name: string): IniSection {
  const key = name === '' ? DEFAULT_SECTION : name;
  let sec = data.get(key);
  if (!sec) {
    sec = { comment: '', entries: new Map() };
    data.set(key, sec);
  }
  return sec;
}

/** goconfig `SetValue`: creates the section, keeps an existing key's position, appends a new key. */
export function setIniValue(data: IniData, section: string, key: string, value: string): void {
  if (key === '') return;
  const sec = ensureSection(data, section);
  const old = sec.entries.get(key);
  sec.entries.set(key, { value, comment: old?.comment ?? '' });
}

/** Parses config text like goconfig (BOM, `#`/`;` comments, `=` or `:`, quoting, `- =` auto keys). */
export function parseIni(text: string): IniData {
  const data: IniData = new Map();
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  let section: string = DEFAULT_SECTION;
  let comments = '';
  let count = 1;
  for (const raw of body.split('\n')) {
    const line = goTrimSpace(raw);
    if (line === '') continue;
    if (line[0] === '#' || line[0] === ';') {
      comments = comments === '' ? line : `${comments}\n${line}`;
      continue;
    }
    if (line[0] === '[' && line.endsWith(']')) {
      section = goTrimSpace(line.slice(1, -1));
      const sec = ensureSection(data, section);
      if (comments !== '') sec.comment = comments;
      comments = '';
      count = 1;
      continue;
    }
    if (section === '') throw parseError('empty section name not allowed');
    const couldNot = (): Error => parseError(`could not parse line: ${redactCredentials(line)}`);
    let key: string;
    let sep: number;
    const keyQuote = line.startsWith('"""') && line.length >= 6 ? '"""' : line[0] === '"' || line[0] === '`' ? line[0] : '';
    if (keyQuote !== '') {
      const close = line.indexOf(keyQuote, keyQuote.length);
      if (close === -1) throw couldNot();
      const rel = line.slice(close).search(/[=:]/);
      if (rel <= 0) throw couldNot();
      sep = close + rel;
      key = line.slice(keyQuote.length, close);
    } else {
      sep = line.search(/[=:]/);
      if (sep <= 0) throw couldNot();
      key = goTrimSpace(line.slice(0, sep));
    }
    if (key === '-') key = `#${count++}`;
    const right = goTrimSpace(line.slice(sep + 1));
    const valQuote = right.length >= 2 && right[0] === '`' ? '`' : right.length >= 6 && right.startsWith('"""') ? '"""' : '';
    let value = right;
    if (valQuote !== '') {
      const close = right.lastIndexOf(valQuote);
      if (close < valQuote.length) throw couldNot();
      value = right.slice(valQuote.length, close);
    }
    setIniValue(data, section, key, value);
    if (comments !== '') {
      const entry = data.get(section)?.entries.get(key);
      if (entry) entry.comment = comments;
      comments = '';
    }
  }
  return data;
}

function quoteKey(key: string): string {
  const name = key.startsWith('#') ? '-' : key;
  if (!name.includes('=') && !name.includes(':')) return name;
  if (!name.includes('`')) return `\`${name}\``;
  return name.includes('"') ? `"""${name}"""` : `"${name}"`;
}

function quoteValue(value: string): string {
  if (!value.includes('`')) return value;
  return value.includes('"') ? `"""${value}"""` : `"${value}"`;
}

/** Writes config text byte-for-byte as rclone does (`key = value`, a blank line after every section). */
export function serializeIni(data: IniData): string {
  let out = '';
  for (const [name, sec] of data) {
    if (sec.comment !== '') out += `${sec.comment}\n`;
    if (name !== DEFAULT_SECTION) out += `[${name}]\n`;
    for (const [key, entry] of sec.entries) {
      if (entry.comment !== '') out += `${entry.comment}\n`;
      out += `${quoteKey(key)} = ${quoteValue(entry.value)}\n`;
    }
    out += '\n';
  }
  return out;
}

/** Go `strings.Trim`-style removal of any characters in `set` from one end. */
function trimSet(s: string, set: string, fromStart: boolean): string {
  let a = 0;
  let b = s.length;
  if (fromStart) while (a < b && set.includes(s[a] ?? '')) a++;
  else while (b > a && set.includes(s[b - 1] ?? '')) b--;
  return s.slice(a, b);
}

/**
 * goconfig `GetValue`: the raw value with `%(name)s` references expanded (DEFAULT first, then the same section;
 * unknown names expand to `""`), falling back from `a.b` to section `a` for a missing key.
 */
export function getIniValue(data: IniData, section: string, key: string, depth = 0): string | undefined {
  const secName = section === '' ? DEFAULT_SECTION : section;
  const sec = data.get(secName);
  if (!sec || depth > MAX_EXPAND_DEPTH) return undefined;
  const entry = sec.entries.get(key);
  if (!entry) {
    const dot = secName.lastIndexOf('.');
    return dot > -1 ? getIniValue(data, secName.slice(0, dot), key, depth + 1) : undefined;
  }
  let value = entry.value;
  for (let i = 0; i < MAX_EXPAND_DEPTH; i++) {
    const ref = /%\(([^)]+)\)s/.exec(value)?.[0];
    if (ref === undefined) break;
    // goconfig trims with character sets, so `%(pass)s` looks up "pa" (bug-compatible on purpose).
    const name = trimSet(trimSet(ref, '%(', true), ')s', false);
    let sub = getIniValue(data, DEFAULT_SECTION, name, depth + 1);
    if (sub === undefined) sub = secName !== DEFAULT_SECTION ? (sec.entries.get(name)?.value ?? '') : '';
    value = value.replaceAll(ref, sub);
  }
  return value;
}
