// `?mode=liststream` (rclone ListR, spec §6.4): a streamed recursive listing parsed with bounded memory, counted
// and checked against `<stats>` exactly as rclone's parseListRStream does.

import { JsyncError, type Timestamp } from '@jsync/core';
import { decodeXmlText, XmlTextError } from './entities.js';
import { parseRfc3339 } from './time.js';
import { XmlScanner, XmlSyntaxError, type ScanHandler } from './xml-scanner.js';
import { invalidXml } from './xml-tree.js';

/** One raw liststream entry: paths are `/<mountpoint>/<folder path>` as sent (still encoded, prefix not stripped). */
export type ListStreamItem =
  | { kind: 'folder'; path: string }
  | { kind: 'file'; path: string; name: string; md5: string; size: number; modified?: Timestamp; created?: Timestamp };

/** Options of {@link parseListStream}. */
export interface ListStreamOptions {
  /** Items per page (default 1000). */
  pageSize?: number;
  /** Bound on one element (a `<file>` with its children, or any single token) in UTF-16 code units of decoded text,
   * which never exceed its UTF-8 bytes (default 1 MiB). */
  maxElementBytes?: number;
  /** Key under which folder paths count as "seen" (rclone compares paths after stripping the listing prefix). */
  pathKey?: (path: string) => string;
}

type Kind = 'file' | 'folder' | 'stats';
const FIELDS: Record<Kind, ReadonlySet<string>> = {
  file: new Set(['path', 'filename', 'md5', 'size', 'modified', 'created']),
  folder: new Set(['path']),
  stats: new Set(['folders', 'files']),
};
const INTEGER = /^[+-]?[0-9]+$/;

function listError(detail: string): JsyncError {
  return new JsyncError({ code: 'IO', message: `invalid result from listStream: ${detail}` });
}

function int(fields: Map<string, string>, name: string): number {
  const raw = (fields.get(name) ?? '').trim();
  if (raw === '') return 0;
  if (!INTEGER.test(raw)) throw invalidXml(`liststream <${name}> is not an integer: ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** The counting state machine: turns scanner events into items (rclone's rules) and keeps the current page. */
class ListStreamState implements ScanHandler {
  page: ListStreamItem[] = [];
  readonly actual = { folders: 0, files: 0 };
  expected: { folders: number; files: number } | undefined;
  private readonly seen = new Set<string>();
  private item: { kind: Kind; depth: number; offset: number; fields: Map<string, string> } | undefined;
  private field: { name: string; depth: number; text: string } | undefined;

  constructor(private readonly pageSize: number, private readonly max: number, private readonly key: (p: string) => string) {}

  paused(): boolean {
    return this.page.length >= this.pageSize;
  }

  start(name: string, selfClosing: boolean, depth: number, offset: number): void {
    const item = this.item;
    if (!item) {
      if (name === 'file' || name === 'folder' || name === 'stats') this.item = { kind: name, depth, offset, fields: new Map() };
      return;
    }
    this.checkSize(offset);
    if (!this.field && depth === item.depth + 1 && FIELDS[item.kind].has(name)) {
      if (selfClosing) item.fields.set(name, '');
      else this.field = { name, depth, text: '' };
    }
  }

  wantsText(depth: number): boolean {
    return this.field !== undefined && depth === this.field.depth + 1;
  }

  text(raw: string, cdata: boolean): void {
    const f = this.field!;
    f.text += cdata ? raw : decodeXmlText(raw, true);
    if (f.text.length > this.max) throw listError(`<${f.name}> longer than ${this.max} characters`);
  }

  end(_name: string, depth: number): void {
    if (this.field && depth === this.field.depth) {
      this.item!.fields.set(this.field.name, this.field.text);
      this.field = undefined;
    } else if (this.item && depth === this.item.depth) {
      const item = this.item;
      this.item = undefined;
      this.finishItem(item.kind, item.fields);
    }
  }

  /** Throws when the element being collected has grown past the bound. */
  checkSize(upTo: number): void {
    if (this.item && upTo - this.item.offset > this.max) throw listError(`<${this.item.kind}> element larger than ${this.max} characters`);
  }

  private finishItem(kind: Kind, fields: Map<string, string>): void {
    if (kind === 'stats') {
      this.expected = { folders: int(fields, 'folders'), files: int(fields, 'files') };
      return;
    }
    const path = fields.get('path') ?? '';
    if (kind === 'folder') {
      this.seen.add(this.key(path));
      this.actual.folders++;
      this.page.push({ kind: 'folder', path });
      return;
    }
    const file: ListStreamItem = { kind: 'file', path, name: fields.get('filename') ?? '', md5: fields.get('md5') ?? '', size: int(fields, 'size') };
    const modified = parseRfc3339(fields.get('modified') ?? '');
    const created = parseRfc3339(fields.get('created') ?? '');
    if (modified) file.modified = modified;
    if (created) file.created = created;
    this.actual.files++;
    const key = this.key(path);
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.actual.folders++;
      this.page.push({ kind: 'folder', path });
    }
    this.page.push(file);
  }

  /** The next page: at most pageSize items (a file may have added its folder too). */
  takePage(): ListStreamItem[] {
    if (this.page.length <= this.pageSize) {
      const page = this.page;
      this.page = [];
      return page;
    }
    return this.page.splice(0, this.pageSize);
  }
}

function wrap(err: unknown): unknown {
  if (err instanceof XmlSyntaxError || err instanceof XmlTextError) return invalidXml(err.message, err);
  return err;
}

const stats = (s: { folders: number; files: number }): string => `jottacloud.stats{Folders:${s.folders}, Files:${s.files}}`;

/**
 * Parses a liststream body into pages (≤ pageSize items) of raw items, holding at most one element and one page.
 * Counts like rclone (every `<folder>` is a folder; a `<file>` whose folder path was not seen adds that folder, emitted
 * before the file) and at the end compares with `<stats>`: mismatch → IO `invalid result from listStream:
 * expected[…] != actual[…]`; missing `<stats>`, truncated or malformed input → IO error. Errors of `body` pass through.
 */
export async function* parseListStream(body: AsyncIterable<Uint8Array>, opts: ListStreamOptions = {}): AsyncGenerator<ListStreamItem[], void, undefined> {
  const pageSize = opts.pageSize ?? 1000;
  const max = opts.maxElementBytes ?? 1024 * 1024;
  if (!(pageSize >= 1) || !(max >= 1)) throw new RangeError('parseListStream: pageSize and maxElementBytes must be ≥ 1');
  const state = new ListStreamState(Math.floor(pageSize), max, opts.pathKey ?? ((p) => p));
  const scanner = new XmlScanner(state, max);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (err) {
      throw invalidXml('invalid UTF-8', err);
    }
  };
  async function* drain(): AsyncGenerator<ListStreamItem[], void, undefined> {
    for (;;) {
      let r: 'pause' | 'more';
      try {
        r = scanner.scan();
      } catch (err) {
        throw wrap(err);
      }
      if (r === 'more') break;
      yield state.takePage();
    }
    state.checkSize(scanner.received);
  }
  for await (const chunk of body) {
    scanner.push(decode(chunk));
    yield* drain();
  }
  scanner.push(decode());
  yield* drain();
  try {
    scanner.finish();
  } catch (err) {
    throw wrap(err);
  }
  if (!state.expected) throw listError('no <stats> element');
  const { expected, actual } = state;
  if (expected.folders !== actual.folders || expected.files !== actual.files) {
    throw listError(`expected[${stats(expected)}] != actual[${stats(actual)}]`);
  }
  while (state.page.length) yield state.takePage();
}
