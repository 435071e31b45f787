// JFS XML documents (spec §5.2) decoded into typed values with rclone's field mapping (backend/jottacloud/api).

import type { Timestamp } from '@jsync/core';
import { parseJfsTime } from './time.js';
import type { JfsDocument, JfsErrorDoc, JottaDevice, JottaFile, JottaFolder, JottaRevision, JottaUser } from './types.js';
import { child, childrenOf, invalidXml, parseXmlTree, type XmlElement } from './xml-tree.js';

const INTEGER = /^[+-]?[0-9]+$/;
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Text of the first child `name`, untrimmed (names, paths, md5s); undefined when the element is absent. */
function text(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text;
}

/** An integer child as Go decodes int64 (spaces trimmed); empty or absent → undefined. */
function optInt(el: XmlElement, name: string): number | undefined {
  const raw = text(el, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!INTEGER.test(raw)) throw invalidXml(`<${name}> is not an integer: ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** An integer child that Go would read as 0 when empty or absent. */
function int(el: XmlElement, name: string): number {
  return optInt(el, name) ?? 0;
}

/** A boolean child as Go's strconv.ParseBool reads it; empty or absent → false. */
function bool(el: XmlElement, name: string): boolean {
  const raw = text(el, name)?.trim() ?? '';
  if (raw === '' || FALSE.has(raw)) return false;
  if (TRUE.has(raw)) return true;
  throw invalidXml(`<${name}> is not a boolean: ${JSON.stringify(raw)}`);
}

/** A JFS time child; empty or absent → undefined, malformed → IO error naming the value. */
function time(el: XmlElement, name: string): Timestamp | undefined {
  const raw = text(el, name);
  return raw === undefined ? undefined : parseJfsTime(raw.trim());
}

function has(el: XmlElement, attr: string): boolean {
  return Object.prototype.hasOwnProperty.call(el.attrs, attr);
}

/** Sets `key` only when `value` is defined (exactOptionalPropertyTypes). */
function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

function revision(el: XmlElement | undefined): JottaRevision | undefined {
  if (!el) return undefined;
  const rev: JottaRevision = { state: text(el, 'state')?.trim() ?? '' };
  put(rev, 'number', optInt(el, 'number'));
  put(rev, 'created', time(el, 'created'));
  put(rev, 'modified', time(el, 'modified'));
  put(rev, 'updated', time(el, 'updated'));
  put(rev, 'mime', text(el, 'mime'));
  put(rev, 'size', optInt(el, 'size'));
  put(rev, 'md5', text(el, 'md5')?.trim());
  return rev;
}

/** A `<file>` element (root document or listing entry). */
function fileFromXml(el: XmlElement): JottaFile {
  const file: JottaFile = { name: el.attrs.name ?? '', deleted: has(el, 'deleted') };
  put(file, 'uuid', el.attrs.uuid);
  put(file, 'publicURI', text(el, 'publicURI')?.trim());
  put(file, 'publicSharePath', text(el, 'publicSharePath'));
  put(file, 'path', text(el, 'path'));
  put(file, 'abspath', text(el, 'abspath'));
  put(file, 'currentRevision', revision(child(el, 'currentRevision')));
  put(file, 'latestRevision', revision(child(el, 'latestRevision')));
  return file;
}

/** A `<folder>` document, or a `<mountPoint>` one (whose name is the `<name>` element). */
function folderFromXml(el: XmlElement): JottaFolder {
  const folder: JottaFolder = {
    name: el.attrs.name ?? text(el, 'name') ?? '',
    deleted: has(el, 'deleted'),
    folders: childrenOf(el, 'folders', 'folder').map((f) => ({ name: f.attrs.name ?? '', deleted: has(f, 'deleted') })),
    files: childrenOf(el, 'files', 'file').map(fileFromXml),
  };
  put(folder, 'path', text(el, 'path'));
  put(folder, 'modified', time(el, 'modified'));
  return folder;
}

function userFromXml(el: XmlElement): JottaUser {
  return {
    username: text(el, 'username') ?? '',
    accountType: text(el, 'account-type')?.trim() ?? '',
    locked: bool(el, 'locked'),
    capacity: int(el, 'capacity'),
    usage: int(el, 'usage'),
    devices: childrenOf(el, 'devices', 'device').map((d) => ({ name: text(d, 'name') ?? '', type: text(d, 'type')?.trim() ?? '', size: int(d, 'size') })),
  };
}

function deviceFromXml(el: XmlElement): JottaDevice {
  return {
    name: text(el, 'name') ?? '',
    type: text(el, 'type')?.trim() ?? '',
    mountPoints: childrenOf(el, 'mountPoints', 'mountPoint').map((m) => ({
      name: text(m, 'name') ?? '',
      deleted: child(m, 'deleted') !== undefined || has(m, 'deleted'),
      size: int(m, 'size'),
    })),
  };
}

function errorFromXml(el: XmlElement): JfsErrorDoc {
  return { code: int(el, 'code'), message: text(el, 'message') ?? '', reason: text(el, 'reason') ?? '', cause: text(el, 'cause') ?? '' };
}

/**
 * Decodes a JFS XML document by its root element. Names, paths and other text stay exactly as sent (raw, still in the
 * backend encoding). Malformed XML → IO error `invalid XML from Jottacloud: …`; a malformed time or number also fails.
 */
export function parseJfsDocument(xml: string): JfsDocument {
  const root = parseXmlTree(xml);
  switch (root.name) {
    case 'folder':
      return { kind: 'folder', folder: folderFromXml(root) };
    case 'mountPoint':
      return { kind: 'mountPoint', folder: folderFromXml(root) };
    case 'file':
      return { kind: 'file', file: fileFromXml(root) };
    case 'user':
      return { kind: 'user', user: userFromXml(root) };
    case 'device':
      return { kind: 'device', device: deviceFromXml(root) };
    case 'error':
      return { kind: 'error', error: errorFromXml(root) };
    default:
      return { kind: 'other', root: root.name };
  }
}
