// Bounded, seeded fuzzing of the config parser: any text either loads or fails with a CONFIG error, and what loads
// is a fixpoint of parse → serialize → parse (same text, same sections and values).

import { describe, expect, it } from 'vitest';
import { ConfigFile } from '../../src/config/index.js';
import { JsyncError } from '../../src/fs/errors.js';
import { awkwardString, fuzz, Prng } from './prng.js';

function check(cond: boolean, what: () => string): void {
  if (!cond) throw new Error(`fuzz property failed: ${what()}`);
}

const KEYS = ['type', 'token', 'remote', 'a.b', '-', 'x y', '"k=v"', '`k:v`', '"""k"""', '"unterminated', '`half', '#not', ';semi', '[br]'];
const VALUES = ['local', '', ' spaced ', '`quoted`', '"""triple"""', '`', '"""', '%(type)s', '%(missing)s', '%(%(x)s)s', '{"a":"b"}', 'a = b', 'x:y'];

/** One line of config-like text. */
function line(r: Prng): string {
  switch (r.int(9)) {
    case 0:
      return `[${r.chance(0.7) ? r.pick(['remote', 'jc', 'a.b', ' spaced ', '', 'DEFAULT', ':memory']) : awkwardString(r, 3)}]`;
    case 1:
      return r.pick(['# comment', '; comment', '', '   ', '\t', '[', ']', '=', ':', 'RCLONE_ENCRYPT_V0:', 'RCLONE_ENCRYPT_V1:']);
    case 2:
      return `${awkwardString(r, 3)}${r.pick(['=', ':', ' = ', ''])}${awkwardString(r, 4)}`;
    default: {
      const key = r.chance(0.8) ? r.pick(KEYS) : awkwardString(r, 3);
      const value = r.chance(0.7) ? r.pick(VALUES) : awkwardString(r, 5);
      return `${r.chance(0.2) ? ' ' : ''}${key}${r.pick([' = ', '=', ': ', ' :'])}${value}${r.chance(0.1) ? '\r' : ''}`;
    }
  }
}

function configText(r: Prng): string {
  const n = r.int(12);
  const text = Array.from({ length: n }, () => line(r)).join('\n');
  return (r.chance(0.05) ? '\ufeff' : '') + text + (r.chance(0.5) ? '\n' : '');
}

/**
 * goconfig (rclone's INI library, reproduced byte for byte) writes a value holding a backquote as `"value"` but reads
 * only `` `…` `` and `"""…"""` quoting back, so such a value gains a pair of quotes on every load/save: texts whose
 * loaded values hold a backquote are left out of the fixpoint property (reported to the config owner).
 */
function hasBackquoteValue(c: ConfigFile): boolean {
  return c.sectionNames().some((s) => c.keys(s).some((k) => (c.get(s, k) ?? '').includes('`')));
}

/**
 * goconfig also writes the DEFAULT section without its `[DEFAULT]` header wherever it sits, so a DEFAULT section
 * that is not first (a `[DEFAULT]` header after another section) hands its keys to the section before it on reload.
 */
function hasLateDefault(c: ConfigFile): boolean {
  return c.sectionNames().indexOf('DEFAULT') > 0;
}

/** Every section as rclone reads it (values expanded), for comparing two loads. */
function contents(c: ConfigFile): Record<string, Record<string, string>> {
  return Object.fromEntries(c.sectionNames().map((s) => [s, c.getSection(s) ?? {}]));
}

describe('config parser fuzz', () => {
  it('loads or fails with CONFIG; parse → serialize → parse is a fixpoint (15 000 texts)', () => {
    let loaded = 0;
    const ran = fuzz(0xc0f1a, 15_000, 4_000, (r, i) => {
      const text = configText(r);
      let c1: ConfigFile;
      try {
        c1 = ConfigFile.fromText(text);
      } catch (err) {
        check(err instanceof JsyncError && err.code === 'CONFIG', () => `case ${i} ${JSON.stringify(text)} threw ${String(err)}`);
        return;
      }
      loaded++;
      // A key named RCLONE_ENCRYPT_V… first in the file (behind a BOM, the encryption check misses it) is saved as a
      // first line that then reads as an encrypted config: as rclone does; left out of the fixpoint property.
      // Likewise a key made of U+FEFF written first is read back as a byte-order mark.
      if (hasBackquoteValue(c1) || hasLateDefault(c1) || text.includes('RCLONE_ENCRYPT_V') || text.slice(1).includes('\ufeff')) return;
      const s1 = c1.serialize();
      let c2: ConfigFile;
      try {
        c2 = ConfigFile.fromText(s1);
      } catch (err) {
        throw new Error(`case ${i}: serialized text does not load: ${JSON.stringify(text)} → ${JSON.stringify(s1)}: ${String(err)}`);
      }
      const s2 = c2.serialize();
      // An empty DEFAULT section is written without header (its comment and a blank line only): it vanishes on reload.
      const emptyDefault = c1.hasSection('DEFAULT') && c1.keys('DEFAULT').length === 0;
      check(s2 === s1 || emptyDefault, () => `case ${i}: ${JSON.stringify(text)} → ${JSON.stringify(s1)} → ${JSON.stringify(s2)}`);
      check(ConfigFile.fromText(s2).serialize() === s2, () => `case ${i}: no fixpoint after ${JSON.stringify(s2)}`);
      const without = (x: Record<string, Record<string, string>>) =>
        JSON.stringify(Object.entries(x).filter(([n, v]) => n !== 'DEFAULT' || Object.keys(v).length > 0));
      check(without(contents(c2)) === without(contents(c1)), () => `case ${i}: values changed through ${JSON.stringify(s1)}`);
    });
    expect(ran).toBeGreaterThan(3_000);
    expect(loaded).toBeGreaterThan(ran / 10);
  });

  it('values set through the API survive save text → load, or are refused (10 000 key/value pairs)', () => {
    const ran = fuzz(0xc0f1b, 10_000, 4_000, (r, i) => {
      const c = ConfigFile.fromText('');
      const section = r.chance(0.8) ? r.pick(['remote', 'jc', 'a b', 'x.y']) : awkwardString(r, 3);
      const key = r.chance(0.6) ? r.pick(['type', 'token', 'k']) : awkwardString(r, 3);
      const value = r.chance(0.3) ? r.pick(VALUES) : awkwardString(r, 6);
      try {
        c.set(section, key, value);
      } catch (err) {
        check(err instanceof JsyncError && err.code === 'INVALID_ARGUMENT', () => `case ${i}: set threw ${String(err)}`);
        return;
      }
      let back: ConfigFile;
      try {
        back = ConfigFile.fromText(c.serialize());
      } catch (err) {
        check(err instanceof JsyncError && err.code === 'CONFIG', () => `case ${i}: reload threw ${String(err)}`);
        return;
      }
      // Whatever loads again serializes to the same text (no drift on repeated saves).
      check(ConfigFile.fromText(back.serialize()).serialize() === back.serialize(), () => `case ${i}: ${JSON.stringify([section, key, value])}`);
    });
    expect(ran).toBeGreaterThan(3_000);
  });
});
