// A small element tree over fast-xml-parser: well-formedness checked, no DOCTYPE, text kept exactly (no trimming,
// no number conversion), entities decoded leniently as rclone's non-strict Go decoder does.

import { JsyncError } from '@jsync/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXmlText, XmlTextError } from './entities.js';

/** One element: attributes and direct character data decoded; child elements in document order. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct character data (text of child elements excluded), untrimmed. */
  readonly text: string;
}

/** The IO error for a document that is not acceptable XML. */
export function invalidXml(detail: string, cause?: unknown): JsyncError {
  return new JsyncError({ code: 'IO', message: `invalid XML from Jottacloud: ${detail}`, cause });
}

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRS = ':@';

// Every value arrives as a raw string: entities are decoded here (processEntities off), never parsed as numbers.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: CDATA,
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  maxNestedTags: 64,
  jPath: false,
});

// A `&` that starts no reference is kept literally by Go's non-strict decoder; the validator would reject it.
// CDATA sections and comments are matched first so that their content is left alone.
const BARE_AMP = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_:][-A-Za-z0-9_.:]*;)/g;
const DECLARATIONS = /<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i;

type Ordered = Record<string, unknown>;

function convert(node: Ordered): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ATTRS);
  if (name === undefined || name === TEXT || name === CDATA) return undefined;
  const rawAttrs = (node[ATTRS] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = decodeXmlText(String(v), false);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] ?? []) as Ordered[]) {
    if (TEXT in child) {
      text += decodeXmlText(String(child[TEXT]), false);
    } else if (CDATA in child) {
      for (const part of child[CDATA] as Ordered[]) text += String(part[TEXT] ?? '');
    } else {
      const el = convert(child);
      if (el) children.push(el);
    }
  }
  return { name, attrs, children, text };
}

/**
 * Parses one XML document into its root element. Malformed XML, DOCTYPE or entity declarations (entity-expansion
 * bombs), illegal characters and bad character references throw an IO error `invalid XML from Jottacloud: …`.
 */
export function parseXmlTree(xml: string): XmlElement {
  if (DECLARATIONS.test(xml)) throw invalidXml('DOCTYPE and entity declarations are not allowed');
  const text = xml.replace(BARE_AMP, (m) => (m === '&' ? '&amp;' : m));
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) throw invalidXml(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let ordered: Ordered[];
  try {
    ordered = parser.parse(text) as Ordered[];
  } catch (err) {
    throw invalidXml(err instanceof Error ? err.message : String(err), err);
  }
  for (const node of ordered) {
    let el: XmlElement | undefined;
    try {
      el = convert(node);
    } catch (err) {
      if (err instanceof XmlTextError) throw invalidXml(err.message, err);
      throw err;
    }
    if (el) return el;
  }
  throw invalidXml('no root element');
}

/** The first direct child element named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Grandchildren named `name` under every direct child named `container` (Go's `folders>folder`). */
export function childrenOf(el: XmlElement, container: string, name: string): XmlElement[] {
  const list: XmlElement[] = [];
  for (const c of el.children) if (c.name === container) for (const g of c.children) if (g.name === name) list.push(g);
  return list;
}
