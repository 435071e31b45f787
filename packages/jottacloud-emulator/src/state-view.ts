// The `state` handle tests get from startEmulator: read the account directly, seed content, drive faults and tokens.

import { createHash } from 'node:crypto';
import type { FaultRule } from './faults/spec.js';
import type { FaultRuleStatus } from './faults/injector.js';
import { putContent } from './model/file-ops.js';
import type { PendingRevision, Revision } from './model/types.js';
import { clearAllRawEntries, injectRawEntry, listRawEntries, type RawEntryInfo, type RawEntryInput } from './raw-entry-admin.js';
import { usageRules } from './routes/api.js';
import type { EmulatorState, RequestRecord } from './state.js';

/** A revision as reported by {@link EmulatorStateView.stat} (times in whole seconds since the epoch). */
export type RevisionInfo = Readonly<Revision | PendingRevision>;

/** A file or folder as reported by {@link EmulatorStateView.stat}. */
export interface NodeInfo {
  kind: 'file' | 'folder';
  /** Name with its stored casing. */
  name: string;
  /** Trash time in seconds, or null while live. */
  deleted: number | null;
  publicURI: string | null;
  /** Files: the current COMPLETED revision. */
  current?: RevisionInfo | null;
  /** Files: older revisions, newest first. */
  older?: RevisionInfo[];
  /** Files: an INCOMPLETE or CORRUPT newer revision. */
  latest?: RevisionInfo | null;
  /** Folders: child names (tombstones included). */
  children?: string[];
}

function splitPath(path: string): { device: string; mountpoint: string; names: string[] } {
  const [device, mountpoint, ...names] = path.split('/').filter((s) => s !== '');
  if (!device || !mountpoint) throw new Error(`path must start with <device>/<mountpoint>: ${JSON.stringify(path)}`);
  return { device, mountpoint, names };
}

/** Direct access to a running emulator's account (paths are `<device>/<mountpoint>/<path…>`, e.g. `Jotta/Archive/a.txt`). */
export class EmulatorStateView {
  constructor(private readonly s: EmulatorState) {}

  /** The internal username (the one in JFS paths). */
  get username(): string {
    return this.s.account.info.username;
  }

  /** The login name inside personal login tokens. */
  get loginName(): string {
    return this.s.account.info.loginName;
  }

  /** Bytes used, counted as the `<user>` document reports them. */
  usage(): number {
    return this.s.account.usage(usageRules(this.s));
  }

  /** The node at `path`, or undefined. */
  stat(path: string): NodeInfo | undefined {
    const p = splitPath(path);
    const node = this.s.account.locate(p.device, p.mountpoint, p.names)?.node;
    if (!node) return undefined;
    const base = { kind: node.kind, name: node.name, deleted: node.deleted, publicURI: node.publicURI };
    if (node.kind === 'folder') return { ...base, children: [...node.children.values()].map((c) => c.name) };
    return { ...base, current: node.current && { ...node.current }, older: node.older.map((r) => ({ ...r })), latest: node.latest && { ...node.latest } };
  }

  /** The current content of the file at `path` (trashed files too), or undefined. */
  async readFile(path: string): Promise<Buffer | undefined> {
    const info = this.stat(path);
    const cur = info?.current;
    if (!cur) return undefined;
    const chunks: Buffer[] = [];
    for await (const c of this.s.content.readBlob(cur.md5, 0, cur.size)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** Stores `data` at `path` as a new revision (creating folders), bypassing the protocol (and its name encoding). */
  async putFile(path: string, data: Buffer | string, times: { modified?: number; created?: number } = {}): Promise<void> {
    const p = splitPath(path);
    const buf = Buffer.from(data);
    const md5 = createHash('md5').update(buf).digest('hex');
    await this.s.mutate(async (ops) => {
      const loc = ops.account.locate(p.device, p.mountpoint, []);
      if (!loc || p.names.length === 0) throw new Error(`no such mountpoint or empty path: ${path}`);
      await this.s.content.putBlob(md5, buf);
      const modified = times.modified ?? ops.now;
      putContent(ops, loc.mp, p.names, { md5, size: buf.length, modified, created: times.created ?? modified });
    });
  }

  /** Creates folders (mkdir -p). */
  async mkdir(path: string): Promise<void> {
    const p = splitPath(path);
    await this.s.mutate((ops) => {
      const loc = ops.account.locate(p.device, p.mountpoint, []);
      if (!loc) throw new Error(`no such mountpoint: ${path}`);
      ops.account.ensureFolders(loc.mp, p.names, ops.now);
    });
  }

  /**
   * Adds a hostile entry to a folder whose raw name (and optionally liststream `<path>`) is served verbatim in XML,
   * e.g. `../x`, `a/b`, `/abs`, `..`, `&#0;x`; GET/`mode=bin` of its (leniently decoded) path serves it. In memory only.
   */
  injectRawEntry(input: RawEntryInput): Promise<RawEntryInfo> {
    return injectRawEntry(this.s, input);
  }

  /** The injected raw entries. */
  rawEntries(): RawEntryInfo[] {
    return listRawEntries(this.s);
  }

  /** Removes every injected raw entry. */
  clearRawEntries(): void {
    clearAllRawEntries(this.s);
  }

  /** The request log (admin requests excluded), oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.s.requests;
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.s.requests.length = 0;
  }

  /** Adds fault rules at run time. */
  addFaults(rules: readonly (string | FaultRule)[]): void {
    this.s.faults.add(rules);
  }

  /** Removes every fault rule. */
  clearFaults(): void {
    this.s.faults.clear();
  }

  /** The fault rules with their counters. */
  faults(): FaultRuleStatus[] {
    return this.s.faults.list();
  }

  /** Makes every issued access token expire now (clients must refresh). */
  expireAccessTokens(): void {
    this.s.tokens.expireAll();
  }

  /** Token counters: unused login tokens, families, revoked families, live access tokens. */
  tokenStats(): ReturnType<EmulatorState['tokens']['stats']> {
    return this.s.tokens.stats();
  }

  /** Pending uploads with the bytes received so far. */
  async pendingUploads(): Promise<{ id: string; path: string; size: number; md5: string; received: number }[]> {
    return Promise.all(this.s.uploads.all().map(async (u) => ({
      id: u.id, path: [u.device, u.mountpoint, ...u.names].join('/'), size: u.size, md5: u.md5, received: await this.s.content.partLength(u.id),
    })));
  }

  /** Waits until queued mutations are applied and durable. */
  settle(): Promise<void> {
    return this.s.settle();
  }
}
