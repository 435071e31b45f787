// The config file as one object: load, query, edit and atomically save (rclone fs/config/configfile).

import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { invalidArgument, jsyncError } from '../fs/errors.js';
import { encodeUtf8Escaped } from '../util/utf8.js';
import { type FileStamp, parseConfigText, readConfig, sameStamp, stamp, writeAtomically } from './config-io.js';
import { type ConfigLockOptions, withConfigLock } from './config-lock.js';
import { getIniValue, serializeIni, setIniValue, type IniData } from './ini.js';

/** Options for {@link ConfigFile.load}. */
export interface LoadConfigOptions {
  /** Absolute config file path; undefined = in-memory config (nothing read or written). */
  path?: string;
  /** Timing of the cross-process lock taken by `save` and `update` (tests shorten it). */
  lock?: ConfigLockOptions;
}

/** Computes new values for a section from its current ones; `undefined` = no change. */
export type SectionUpdater = (current: Readonly<Record<string, string>>) => Promise<Record<string, string> | undefined>;

const DIR_MODE = 0o700;

function checkValue(what: string, s: string): void {
  if (/[\r\n]/.test(s)) throw invalidArgument(`config ${what} must not contain a line break: ${JSON.stringify(s)}`);
}

/**
 * rclone's config file: sections of `key = value`, read and written in rclone's exact INI dialect. Saving is
 * atomic and merges with changes other processes made to other sections since this one was loaded.
 */
export class ConfigFile {
  /** Absolute file path, or undefined for an in-memory config. */
  readonly path: string | undefined;
  private data: IniData;
  private loadedStamp: FileStamp | undefined;
  private readonly changed = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  private readonly lockOptions: ConfigLockOptions;

  private constructor(path: string | undefined, data: IniData, fileStamp: FileStamp | undefined, lockOptions: ConfigLockOptions = {}) {
    this.path = path;
    this.data = data;
    this.loadedStamp = fileStamp;
    this.lockOptions = lockOptions;
  }

  /** Reads the file at `opts.path` (a missing file is an empty config); no path → empty in-memory config. */
  static async load(opts: LoadConfigOptions = {}): Promise<ConfigFile> {
    if (opts.path === undefined) return new ConfigFile(undefined, new Map(), undefined, opts.lock);
    const { data, stamp: st } = await readConfig(opts.path);
    return new ConfigFile(opts.path, data, st, opts.lock);
  }

  /** An in-memory config parsed from `text` (tests, `--config` piping). */
  static fromText(text: string): ConfigFile {
    return new ConfigFile(undefined, parseConfigText(text, '<memory>'), undefined);
  }

  /** True when nothing is read from or written to disk. */
  get inMemory(): boolean {
    return this.path === undefined;
  }

  /** True when the file existed when loaded or has been saved since. */
  get exists(): boolean {
    return this.loadedStamp !== undefined;
  }

  /** Section names in file order (a `DEFAULT` section appears if keys precede the first header). */
  sectionNames(): string[] {
    return [...this.data.keys()];
  }

  /** True when `[section]` exists. */
  hasSection(section: string): boolean {
    return this.data.has(section);
  }

  /** Keys of `section` in file order (empty when missing). */
  keys(section: string): string[] {
    return [...(this.data.get(section)?.entries.keys() ?? [])];
  }

  /** The value of `key` as rclone reads it (`%(name)s` expanded, `a.b` falls back to `a`), or undefined. */
  get(section: string, key: string): string | undefined {
    return getIniValue(this.data, section, key);
  }

  /** A copy of the section's key/values as rclone reads them, or undefined when missing. */
  getSection(section: string): Record<string, string> | undefined {
    const sec = this.data.get(section);
    if (!sec) return undefined;
    const out: Record<string, string> = {};
    for (const key of sec.entries.keys()) out[key] = getIniValue(this.data, section, key) ?? '';
    return out;
  }

  /** Sets a value (creating the section at the end); on-the-fly names (`:x`) and line breaks are refused. */
  set(section: string, key: string, value: string): void {
    if (section.startsWith(':')) throw invalidArgument(`can't save config ${JSON.stringify(key)} for on the fly backend ${JSON.stringify(section)}`);
    if (section === '' || key === '') throw invalidArgument('config section and key must not be empty');
    checkValue('key', key);
    checkValue('value', value);
    checkValue('section name', section);
    setIniValue(this.data, section, key, value);
    this.changed.add(section);
  }

  /** Removes a key; false when it was not there. */
  deleteKey(section: string, key: string): boolean {
    const removed = this.data.get(section)?.entries.delete(key) ?? false;
    if (removed) this.changed.add(section);
    return removed;
  }

  /** Removes a whole section; false when it was not there. */
  deleteSection(section: string): boolean {
    const removed = this.data.delete(section);
    if (removed) this.changed.add(section);
    return removed;
  }

  /** Renames a section (it moves to the end, as `rclone config rename` does); the target must not exist. */
  renameSection(from: string, to: string): void {
    const sec = this.data.get(from);
    if (!sec) throw invalidArgument(`config section ${JSON.stringify(from)} not found`);
    if (this.data.has(to)) throw invalidArgument(`config section ${JSON.stringify(to)} already exists`);
    checkValue('section name', to);
    this.data.delete(from);
    this.data.set(to, sec);
    this.changed.add(from).add(to);
  }

  /** The file text rclone would write for the current contents. */
  serialize(): string {
    return serializeIni(this.data);
  }

  /**
   * Writes the config atomically (temp file in the same directory, fsync, previous mode or 0600, rename) while
   * holding the cross-process lock (`<path>.lock`). If the file changed on disk since it was loaded, it is re-read
   * first and only the sections changed here are applied on top, so concurrent processes keep each other's
   * sections. No-op for in-memory configs.
   */
  save(): Promise<void> {
    return this.serially(async () => {
      if (this.path === undefined) return;
      const target = await this.prepareTarget();
      await withConfigLock(target, async () => {
        const current = await stamp(target);
        if (!sameStamp(current, this.loadedStamp)) this.mergeFrom((await readConfig(target)).data);
        await this.writeNow(target);
      }, this.lockOptions);
    });
  }

  /**
   * Locked read-modify-write of one section (rclone-compatible token rotation across processes): takes the lock,
   * re-reads the file, calls `fn` with the section as it is on disk (this process's unsaved edits applied), sets the
   * values `fn` returns and saves atomically before releasing the lock (also on error). In-memory configs just run
   * `fn` on the in-memory section. A missing section is a CONFIG error. `fn` must not save this config itself.
   */
  update(section: string, fn: SectionUpdater): Promise<void> {
    return this.serially(async () => {
      if (this.path === undefined) {
        this.applyUpdate(section, await fn(this.sectionOrThrow(section)));
        return;
      }
      const target = await this.prepareTarget();
      await withConfigLock(target, async () => {
        const fresh = await readConfig(target);
        this.mergeFrom(fresh.data);
        this.loadedStamp = fresh.stamp;
        const values = await fn(this.sectionOrThrow(section));
        if (values === undefined || Object.keys(values).length === 0) return;
        this.applyUpdate(section, values);
        await this.writeNow(target);
      }, this.lockOptions);
    });
  }

  /** Runs file operations of this object one at a time. */
  private serially(op: () => Promise<void>): Promise<void> {
    const run = this.saving.then(op);
    this.saving = run.catch(() => undefined);
    return run;
  }

  private sectionOrThrow(section: string): Record<string, string> {
    const current = this.getSection(section);
    if (current === undefined) {
      throw jsyncError('CONFIG', { message: `config section ${JSON.stringify(section)} not found${this.path === undefined ? '' : ` in ${JSON.stringify(this.path)}`}`, context: { section } });
    }
    return current;
  }

  private applyUpdate(section: string, values: Record<string, string> | undefined): void {
    for (const [key, value] of Object.entries(values ?? {})) this.set(section, key, value);
  }

  /** The real file path (symlinks followed), its directory created. */
  private async prepareTarget(): Promise<string> {
    const target = await realpath(this.path as string).catch(() => this.path as string);
    await mkdir(dirname(target), { recursive: true, mode: DIR_MODE });
    return target;
  }

  /** Writes `this.data` to `target` atomically; the caller holds the lock. */
  private async writeNow(target: string): Promise<void> {
    await writeAtomically(target, encodeUtf8Escaped(this.serialize()));
    this.loadedStamp = await stamp(target);
    this.changed.clear();
  }

  /** Replaces `this.data` by `fresh` with this process's changed sections applied on top. */
  private mergeFrom(fresh: IniData): void {
    for (const name of this.changed) {
      const mine = this.data.get(name);
      if (mine) fresh.set(name, mine);
      else fresh.delete(name);
    }
    this.data = fresh;
  }
}
