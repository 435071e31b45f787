// JottacloudFs: a Jottacloud device/mountpoint as a jsync Fs (rclone backend/jottacloud), wire paths and core operations.

import {
  HashSet, dirNotFound, directoryNotEmpty, fillFeatures, isDirError, jsyncError, joinPath, objectNotFound,
} from '@jsync/core';
import type {
  DirEntry, Features, Fs, FsObject, GlobalOptions, ListOptions, Logger, MultiEncoder, ObjectInfo, PublicLinkOptions,
  PutOptions, Usage,
} from '@jsync/core';
import type { JfsDocument, JottaFile, JottaFolder } from '../api/types.js';
import { parseJfsDocument } from '../api/xml.js';
import type { RestClient } from '../http/rest.js';
import type { JottacloudOptions } from '../options.js';
import { uploadFile } from '../transfer/upload.js';
import { about, cleanUp, publicLink, userInfo } from './account.js';
import type { JottaContext } from './context.js';
import { ioError, isNotFound, wrapError } from './errors.js';
import { listDir, listRecursive } from './listing.js';
import { JottacloudObject, metaOfFile } from './object.js';
import { copyObject, createOrUpdate, dirMove, moveObject } from './server-side.js';
import type { CreateOrUpdateArgs } from './server-side.js';

/**
 * Entries per listing page unless changed with {@link JottacloudFs.setListPageSize}. Small enough that a page and
 * what consumers build from it die young in V8's heap (1000 held lsjson -R of 100k entries ~55 MiB higher in RSS).
 */
export const DEFAULT_LIST_PAGE_SIZE = 256;

/**
 * Most bytes of one JFS XML document (a folder listing is one document) read before the request fails with an IO error
 * instead of exhausting memory; about 500 000 files per folder fit. Liststream answers are parsed as streams instead.
 */
export const DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Everything a {@link JottacloudFs} is built from (see `newJottacloudFs`). */
export interface JottacloudFsInit {
  name: string;
  /** Root, slashes at both ends already removed. */
  root: string;
  /** Options with device/mountpoint defaults applied. */
  opt: JottacloudOptions;
  client: RestClient;
  encoder: MultiEncoder;
  jfsUrl: string;
  apiUrl: string;
  wwwUrl: string;
  /** Internal username from the customer info. */
  user: string;
  logger: Logger;
  global: GlobalOptions;
  /** Releases what the Fs owns (the HTTP dispatcher); called once by `shutdown`. */
  close?: () => Promise<void>;
}

/** A Jottacloud remote rooted at `<user>/<device>/<mountpoint>/<root>` (rclone jottacloud `Fs`). */
export class JottacloudFs implements Fs, JottaContext {
  readonly name: string;
  /** One second: the server keeps whole seconds. */
  readonly precision = 1_000_000_000n;
  readonly hashes = new HashSet(['md5']);
  readonly features: Features;
  readonly opt: JottacloudOptions;
  readonly client: RestClient;
  readonly encoder: MultiEncoder;
  readonly jfsUrl: string;
  readonly apiUrl: string;
  /** Web host root for public links. */
  readonly wwwUrl: string;
  readonly user: string;
  readonly device: string;
  readonly mountpoint: string;
  readonly logger: Logger;
  readonly global: GlobalOptions;
  /** Entries per listing page. */
  listPageSize = DEFAULT_LIST_PAGE_SIZE;
  /** Cap on one XML document's bytes ({@link DEFAULT_MAX_DOCUMENT_BYTES}). */
  maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
  private currentRoot: string;
  private close: (() => Promise<void>) | undefined;

  constructor(init: JottacloudFsInit) {
    this.name = init.name;
    this.currentRoot = init.root;
    this.opt = init.opt;
    this.client = init.client;
    this.encoder = init.encoder;
    this.jfsUrl = init.jfsUrl;
    this.apiUrl = init.apiUrl;
    this.wwwUrl = init.wwwUrl;
    this.user = init.user;
    this.device = init.opt.device;
    this.mountpoint = init.opt.mountpoint;
    this.logger = init.logger;
    this.global = init.global;
    this.close = init.close;
    // ListR cannot show trashed files (liststream lists live files only), so trashed_only turns it off as in rclone.
    const disable = [...(init.global.disable ?? []), ...(init.opt.trashed_only ? ['listR'] : [])];
    this.features = fillFeatures(this, { flags: { caseInsensitive: true, canHaveEmptyDirectories: true, readMimeType: true }, disable });
  }

  /** Root in Standard encoding, no slashes at either end. */
  get root(): string {
    return this.currentRoot;
  }

  /** Test hook: fail documents longer than `n` bytes (default {@link DEFAULT_MAX_DOCUMENT_BYTES}). */
  setMaxDocumentBytes(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`max document bytes must be a positive integer, got ${n}`);
    this.maxDocumentBytes = n;
  }

  /** Changes the root (used when the configured root names a file). */
  setRoot(root: string): void {
    this.currentRoot = root;
  }

  /** Test hook: split listings into pages of at most `n` entries. */
  setListPageSize(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`list page size must be a positive integer, got ${n}`);
    this.listPageSize = n;
  }

  /** `jottacloud root '<root>'` (rclone's String()). */
  toString(): string {
    return `jottacloud root '${this.currentRoot}'`;
  }

  // --- wire paths ---

  /** Raw absolute wire path `/<user>/<device>/<mountpoint>/<encoded root/remote>`. */
  filePath(remote: string): string {
    return joinPath('/', this.user, this.device, this.mountpoint, this.encoder.fromStandardPath(joinPath(this.currentRoot, remote)));
  }

  /** Allocate `path`: `/jfs/<device>/<mountpoint>/<encoded root/remote>`. */
  allocatePath(remote: string): string {
    return joinPath('/jfs', this.device, this.mountpoint, this.encoder.fromStandardPath(joinPath(this.currentRoot, remote)));
  }

  /** Request path (relative to the JFS root URL) of `remote`. */
  requestPath(remote: string): string {
    return this.filePath(remote).slice(1);
  }

  // --- JFS requests ---

  /** GET of a JFS document (paced with low-level retries unless `retry` is false). */
  async jfsGet(path: string, o: { query?: Record<string, string>; signal?: AbortSignal | undefined; retry?: boolean } = {}): Promise<JfsDocument> {
    const req = { method: 'GET' as const, rootUrl: this.jfsUrl, path, query: o.query, signal: o.signal, retry: o.retry ?? true };
    const xml = await this.client.text(req, { maxBytes: this.maxDocumentBytes });
    return parseJfsDocument(xml);
  }

  /** POST of a JFS command; the answer is parsed (`parse`) or drained unread (rclone `NoResponse`). */
  async jfsPost(path: string, o: { query: Record<string, string>; headers?: Record<string, string>; signal?: AbortSignal | undefined; parse: boolean }): Promise<JfsDocument | undefined> {
    const req = { method: 'POST' as const, rootUrl: this.jfsUrl, path, query: o.query, headers: o.headers, signal: o.signal };
    if (o.parse) return parseJfsDocument(await this.client.text(req, { maxBytes: this.maxDocumentBytes }));
    const res = await this.client.call(req);
    for await (const _ of res.body) {
      // drained so the connection can be reused
    }
    return undefined;
  }

  /** A file is shown when its current revision is COMPLETED and it is live (trashed with `trashed_only`). */
  validFile(file: JottaFile): boolean {
    if (file.currentRevision?.state !== 'COMPLETED') return false;
    return file.deleted ? this.opt.trashed_only : !this.opt.trashed_only;
  }

  /** A folder is shown unless trashed; with `trashed_only` every folder is (trash sits below live folders too). */
  validFolder(folder: { deleted: boolean }): boolean {
    return !folder.deleted || this.opt.trashed_only;
  }

  /** The `<file>` document at `remote` (rclone `readMetaDataForPath`): OBJECT_NOT_FOUND, IS_DIR, NOT_A_FILE. */
  async readMetaData(remote: string, signal?: AbortSignal): Promise<JottaFile> {
    let doc: JfsDocument;
    try {
      doc = await this.jfsGet(this.requestPath(remote), { signal });
    } catch (err) {
      if (isNotFound(err)) throw objectNotFound(remote);
      throw wrapError('read metadata failed', err);
    }
    if (doc.kind === 'file') return doc.file;
    if (doc.kind === 'folder') throw isDirError(remote);
    throw jsyncError('NOT_A_FILE', { context: { remote } });
  }

  /** The folder document of `dir` (404 or trashed → DIR_NOT_FOUND); a file path reads as an empty folder, as in rclone. */
  async readFolder(dir: string, signal?: AbortSignal): Promise<JottaFolder> {
    let doc: JfsDocument;
    try {
      doc = await this.jfsGet(this.requestPath(dir), { signal });
    } catch (err) {
      if (isNotFound(err)) throw dirNotFound(dir);
      throw wrapError("couldn't list files", err);
    }
    const folder: JottaFolder = doc.kind === 'folder' || doc.kind === 'mountPoint'
      ? doc.folder
      : { name: '', deleted: doc.kind === 'file' && doc.file.deleted, folders: [], files: [] };
    if (!this.validFolder(folder)) throw dirNotFound(dir);
    return folder;
  }

  // --- Fs ---

  /** The object at `remote`: OBJECT_NOT_FOUND when missing, trashed (live with `trashed_only`) or not COMPLETED; IS_DIR for folders. */
  async newObject(remote: string, opts: { signal?: AbortSignal } = {}): Promise<FsObject> {
    const file = await this.readMetaData(remote, opts.signal);
    if (!this.validFile(file)) throw objectNotFound(remote);
    return new JottacloudObject(this, remote, metaOfFile(file));
  }

  /** Entries directly in `dir`, from the folder document, in pages. */
  list(dir: string, opts: ListOptions = {}): AsyncIterable<readonly DirEntry[]> {
    return listDir(this, dir, opts.signal);
  }

  /** Everything below `dir` from one streamed `?mode=liststream` answer, in pages. */
  listR(dir: string, opts: ListOptions = {}): AsyncIterable<readonly DirEntry[]> {
    return listRecursive(this, dir, opts.signal);
  }

  /** Uploads `src` as a new object (allocate + upload, parents created by the server). */
  async put(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<FsObject> {
    const file = await uploadFile({ ctx: this, remote: src.remote, input, src, opts, replacing: false });
    if (!this.validFile(file)) throw objectNotFound(src.remote);
    return new JottacloudObject(this, src.remote, metaOfFile(file));
  }

  /** Creates `dir` and its parents (`?mkDir=true`; the root posts to the mountpoint). */
  async mkdir(dir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    await this.jfsPost(this.requestPath(dir), { query: { mkDir: 'true' }, signal: opts.signal, parse: true });
  }

  /** Removes `dir` if it has no visible entries (trash, or permanently with `hard_delete`). */
  rmdir(dir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    return this.purgeCheck(dir, true, opts.signal);
  }

  /** Removes `dir` and everything below it (trash, or permanently with `hard_delete`); never the root. */
  purge(dir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    return this.purgeCheck(dir, false, opts.signal);
  }

  private async purgeCheck(dir: string, check: boolean, signal: AbortSignal | undefined): Promise<void> {
    if (joinPath(this.currentRoot, dir) === '') throw ioError("can't purge root directory");
    const folder = await this.readFolder(dir, signal);
    if (check && (folder.folders.some((f) => this.validFolder(f)) || folder.files.some((f) => this.validFile(f)))) {
      throw directoryNotEmpty(dir);
    }
    try {
      await this.jfsPost(this.requestPath(dir), { query: this.opt.hard_delete ? { rmDir: 'true' } : { dlDir: 'true' }, signal, parse: false });
    } catch (err) {
      throw wrapError("couldn't purge directory", err);
    }
  }

  /** Deletes the file at `remote` (`dl=true`, or `rm=true` with `hard_delete`); 404 → OBJECT_NOT_FOUND. */
  async removeFile(remote: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.jfsPost(this.requestPath(remote), { query: this.opt.hard_delete ? { rm: 'true' } : { dl: 'true' }, signal, parse: false });
    } catch (err) {
      if (isNotFound(err)) throw objectNotFound(remote);
      throw err;
    }
  }

  /** `?cphash=true`: re-dates/restores/deduplicates `remote` to the given size+MD5; undefined when the server answers 404. */
  createOrUpdate(args: CreateOrUpdateArgs): Promise<JottaFile | undefined> {
    return createOrUpdate(this, args);
  }

  /** Server-side copy (`?cp=`) from this account; a result left in the trash is restored with cphash. */
  copy(src: FsObject, remote: string, opts: { signal?: AbortSignal } = {}): Promise<FsObject> {
    return copyObject(this, src, remote, opts.signal);
  }

  /** Server-side move (`?mv=`); a vanished source with an identical destination counts as moved. */
  move(src: FsObject, remote: string, opts: { signal?: AbortSignal } = {}): Promise<FsObject> {
    return moveObject(this, src, remote, opts.signal);
  }

  /** Server-side directory move (`<src>/?mvDir=`); DIR_EXISTS when the destination is a live folder. */
  dirMove(src: Fs, srcRemote: string, dstRemote: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    return dirMove(this, src, srcRemote, dstRemote, opts.signal);
  }

  /** Public link (`?mode=enableShare`), or removes it (`unlink` or option `unlink`, `?mode=disableShare`). */
  publicLink(remote: string, opts: PublicLinkOptions = {}): Promise<string> {
    return publicLink(this, remote, opts);
  }

  /** Empties the trash of the whole account (`files/v1/purge_trash`). */
  cleanUp(opts: { signal?: AbortSignal } = {}): Promise<void> {
    return cleanUp(this, opts.signal);
  }

  /** Used bytes, plus total and free when the account has a capacity (`GET /jfs/<user>`). */
  about(opts: { signal?: AbortSignal } = {}): Promise<Usage> {
    return about(this, opts.signal);
  }

  /** Username, Email, Name, AccountType, SubscriptionType from the customer info. */
  userInfo(opts: { signal?: AbortSignal } = {}): Promise<Record<string, string>> {
    return userInfo(this, opts.signal);
  }

  /** Releases the HTTP connections this Fs owns; callable twice. */
  async shutdown(): Promise<void> {
    const close = this.close;
    this.close = undefined;
    await close?.();
  }
}
