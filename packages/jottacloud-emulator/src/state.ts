// The emulator's state hub: account tree, tokens, uploads, content, faults, persistence and the mutation lock.

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { TokenService } from './auth/tokens.js';
import type { Clock } from './clock.js';
import { FaultInjector } from './faults/injector.js';
import type { FaultKind, RequestOp } from './faults/spec.js';
import { Account, type IdSource } from './model/account.js';
import type { OpsContext } from './model/file-ops.js';
import type { NameRules } from './model/tree.js';
import type { FolderNode } from './model/types.js';
import { UploadRegistry } from './model/uploads.js';
import type { Behaviour, ResolvedOptions } from './options.js';
import { MemoryContentStore, type ContentStore } from './storage/content-store.js';
import { DiskContentStore } from './storage/disk-store.js';
import { Persister } from './storage/persister.js';
import { parseSnapshot, serializeSnapshot } from './storage/snapshot.js';
import { createRng, deriveSeed } from './util/rng.js';
import { Mutex } from './util/mutex.js';

/** One served request, as kept in the request log. */
export interface RequestRecord {
  /** Milliseconds since the epoch (emulator clock). */
  at: number;
  method: string;
  /** The raw request target. */
  url: string;
  host: string;
  op: RequestOp;
  /** Response status (0 when the connection was dropped before a response). */
  status: number;
  fault: FaultKind | null;
  /** The transfer-related request headers, as sent (absent when not sent). */
  headers: RequestHeaderSubset;
  /** Request body bytes received from the client so far (also those the server discarded). */
  bytesReceived: number;
  /** Response body bytes handed to the connection so far (headers not counted). */
  bytesSent: number;
}

/** The request headers kept in the request log. */
export interface RequestHeaderSubset {
  range?: string;
  'content-length'?: string;
  'content-range'?: string;
}

const ids: IdSource = { uuid: () => randomUUID() };
const LOG_LIMIT = 10_000;

/** Internal state shared by every route. */
export class EmulatorState {
  readonly lock = new Mutex();
  readonly uploads = new UploadRegistry();
  readonly faults: FaultInjector;
  readonly tokens: TokenService;
  readonly requests: RequestRecord[] = [];
  /** Folders holding injected raw entries (in memory only; see raw-entry-admin.ts). */
  readonly rawFolders = new Set<FolderNode>();
  readonly hostName = 'dn-emu';
  /** The plain-HTTP base URL once listening (`http://127.0.0.1:P`). */
  baseUrl = '';
  private persister: Persister | undefined;
  private gcScheduled = false;

  private constructor(
    readonly account: Account,
    readonly content: ContentStore,
    readonly options: ResolvedOptions,
  ) {
    this.faults = new FaultInjector(options.seed);
    this.faults.add(options.faults);
    this.tokens = new TokenService(options.clock, options.tokenLifetimeSeconds, account.info.username);
  }

  /** Loads (from `dataDir`) or creates the state. */
  static async create(options: ResolvedOptions): Promise<EmulatorState> {
    const b = options.behaviour;
    const rules: NameRules = { maxNameLength: b.maxNameLength, strictNames: b.strictNames };
    const now = Math.floor(options.clock.now() / 1000);
    const rng = createRng(deriveSeed(options.seed, 'username'));
    const fresh = (): Account => Account.create({
      username: options.username ?? rng.hex(12), loginName: options.loginName, email: options.loginName,
      fullName: 'Emulated User', capacity: options.capacity,
    }, ids, rules, now);
    if (!options.dataDir) return new EmulatorState(fresh(), new MemoryContentStore(), options);

    await mkdir(options.dataDir, { recursive: true });
    const content = await DiskContentStore.open(options.dataDir);
    const text = await Persister.load(options.dataDir);
    const loaded = text === undefined ? undefined : parseSnapshot(text, ids, rules);
    const state = new EmulatorState(loaded?.account ?? fresh(), content, options);
    if (loaded) {
      state.tokens.restore(loaded.tokens);
      for (const u of loaded.uploads) state.uploads.add(u);
    }
    await state.sweepStorage();
    state.persister = new Persister(options.dataDir, () => state.serialize());
    await state.persister.commit();
    return state;
  }

  /** Removes blobs nobody references and parts without a pending upload (start-up only). */
  private async sweepStorage(): Promise<void> {
    for (const md5 of await this.content.listBlobs()) if (!this.account.index.referenced(md5)) await this.content.deleteBlob(md5);
    for (const id of await this.content.listParts()) if (!this.uploads.get(id)) await this.content.deletePart(id);
  }

  private serialize(): string {
    return serializeSnapshot({ account: this.account, uploads: this.uploads.all(), tokens: this.tokens.snapshot(), now: this.options.clock.now() });
  }

  /** Behaviour switches. */
  get behaviour(): Behaviour {
    return this.options.behaviour;
  }

  /** The clock. */
  get clock(): Clock {
    return this.options.clock;
  }

  /** Now in whole seconds. */
  nowSec(): number {
    return Math.floor(this.options.clock.now() / 1000);
  }

  /** A context for model operations. */
  ops(): OpsContext {
    return { account: this.account, now: this.nowSec(), behaviour: this.behaviour };
  }

  /** Runs a mutation under the account lock, then waits until it is durable; collects garbage afterwards. */
  async mutate<T>(fn: (ops: OpsContext) => T | Promise<T>): Promise<T> {
    const result = await this.lock.run(() => fn(this.ops()));
    await this.persist();
    if (this.account.index.hasGarbage()) this.scheduleGc();
    return result;
  }

  /** Waits until the current state is durable (no-op in memory). */
  async persist(): Promise<void> {
    await this.persister?.commit();
  }

  /** Waits for pending snapshot writes. */
  async flush(): Promise<void> {
    await this.persister?.flush();
  }

  private scheduleGc(): void {
    if (this.gcScheduled) return;
    this.gcScheduled = true;
    setImmediate(() => {
      void this.lock.run(async () => {
        this.gcScheduled = false;
        await this.flush();
        for (const md5 of this.account.index.takeGarbage()) await this.content.deleteBlob(md5);
      }).catch(() => {
        this.gcScheduled = false;
      });
    });
  }

  /** Appends to the bounded request log. */
  log(rec: RequestRecord): void {
    this.requests.push(rec);
    if (this.requests.length > LOG_LIMIT) this.requests.splice(0, this.requests.length - LOG_LIMIT);
  }

  /** Waits for queued mutations, garbage collection and snapshot writes. */
  async settle(): Promise<void> {
    await this.lock.run(() => undefined);
    await new Promise((r) => setImmediate(r));
    await this.lock.run(() => undefined);
    await this.flush();
  }
}
