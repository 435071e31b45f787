// Injecting hostile entries (raw names such as `../x`, `a/b`, `&#0;` and liststream paths escaping the mountpoint)
// for client tests: used by the state view and by `/__admin/raw-entries`.

import { createHash, randomUUID } from 'node:crypto';
import { addRawEntry, clearRawEntries, decodeXmlText, locateFolder, rawEntriesOf, type RawEntry } from './model/raw-entries.js';
import type { FolderNode } from './model/types.js';
import type { EmulatorState } from './state.js';
import { mimeFor } from './util/mime.js';

/** A hostile entry to inject. */
export interface RawEntryInput {
  /** The folder it appears in, `<device>/<mountpoint>/<path…>` (created when missing). */
  folder: string;
  kind: 'file' | 'folder';
  /** The name exactly as it appears in XML (`name="…"`, `<filename>`): written without escaping, e.g. `../x`, `&#0;`. */
  rawName: string;
  /** Liststream `<path>` of the entry, written verbatim (e.g. `/Archive/../../etc`); default the real path. */
  rawPath?: string;
  /** File content served by `mode=bin` (default empty). */
  content?: string | Buffer;
  /** Modification (and creation) time in seconds (default now). */
  modified?: number;
}

/** An injected raw entry as reported back. */
export interface RawEntryInfo {
  /** Where its folder is now (`<device>/<mountpoint>/<path…>`). */
  folder: string;
  kind: 'file' | 'folder';
  rawName: string;
  /** The name after XML decoding (what a client would request back). */
  name: string;
  rawPath: string | null;
  size: number;
  md5: string;
}

function info(state: EmulatorState, folder: FolderNode, e: RawEntry): RawEntryInfo | undefined {
  const loc = locateFolder(state.account, folder);
  if (!loc) return undefined;
  return {
    folder: [loc.device.name, loc.mp.name, ...loc.names].join('/'), kind: e.kind, rawName: e.rawName, name: e.name,
    rawPath: e.rawPath ?? null, size: e.content.length, md5: e.revision.md5,
  };
}

/** Checks an input (e.g. from JSON); throws an Error naming the bad field. */
export function checkRawEntryInput(input: unknown): RawEntryInput {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (typeof o.folder !== 'string') throw new Error('folder must be a string like "Jotta/Archive/dir"');
  if (o.kind !== 'file' && o.kind !== 'folder') throw new Error('kind must be "file" or "folder"');
  if (typeof o.rawName !== 'string') throw new Error('rawName must be a string');
  if (o.rawPath !== undefined && typeof o.rawPath !== 'string') throw new Error('rawPath must be a string');
  if (o.content !== undefined && typeof o.content !== 'string' && !Buffer.isBuffer(o.content)) throw new Error('content must be a string');
  if (o.modified !== undefined && !Number.isSafeInteger(o.modified)) throw new Error('modified must be whole seconds');
  return o as unknown as RawEntryInput;
}

/** Adds a hostile entry whose name (and liststream path) are served verbatim; creates its folder. */
export async function injectRawEntry(state: EmulatorState, input: RawEntryInput): Promise<RawEntryInfo> {
  const r = checkRawEntryInput(input);
  const [device = '', mountpoint = '', ...names] = r.folder.split('/').filter((s) => s !== '');
  const content = r.kind === 'file' ? Buffer.from(r.content ?? '') : Buffer.alloc(0);
  const md5 = createHash('md5').update(content).digest('hex');
  const { folder, entry } = await state.mutate((ops) => {
    const loc = ops.account.locate(device, mountpoint, []);
    if (!loc) throw new Error(`no such mountpoint: ${r.folder}`);
    const target = ops.account.ensureFolders(loc.mp, names, ops.now);
    const t = r.modified ?? ops.now;
    const e: RawEntry = {
      kind: r.kind, rawName: r.rawName, name: decodeXmlText(r.rawName), rawPath: r.rawPath, uuid: randomUUID(), content,
      revision: { number: 1, state: 'COMPLETED', created: t, modified: t, updated: ops.now, size: content.length, md5, mime: mimeFor(r.rawName) },
    };
    addRawEntry(target, e);
    state.rawFolders.add(target);
    return { folder: target, entry: e };
  });
  return info(state, folder, entry)!;
}

/** The injected raw entries of folders still in the tree. */
export function listRawEntries(state: EmulatorState): RawEntryInfo[] {
  const out: RawEntryInfo[] = [];
  for (const folder of state.rawFolders) {
    for (const e of rawEntriesOf(folder)) {
      const i = info(state, folder, e);
      if (i) out.push(i);
    }
  }
  return out;
}

/** Removes every injected raw entry. */
export function clearAllRawEntries(state: EmulatorState): void {
  for (const folder of state.rawFolders) clearRawEntries(folder);
  state.rawFolders.clear();
}
