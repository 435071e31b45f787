// A strict little XML parser for tests: builds an element tree and throws on anything malformed.

/** One parsed element. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);|&/gi, (m, e: string | undefined) => {
    if (!e) throw new Error('bare & in XML');
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown entity ${m}`);
    return v;
  });
}

/** Parses a document (with optional declaration); throws on malformed input. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const s = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < s.length) {
    if (s[i] === '<') {
      if (s.startsWith('</', i)) {
        const end = s.indexOf('>', i);
        const name = s.slice(i + 2, end).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`mismatched </${name}>`);
        i = end + 1;
        continue;
      }
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(s.slice(i));
      if (!m) throw new Error(`bad tag at ${i}: ${s.slice(i, i + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([\w.:-]+)\s*=\s*"([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2]!);
      }
      const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('two root elements');
      else root = el;
      if (!m[3]) stack.push(el);
      i += m[0].length;
    } else {
      const next = s.indexOf('<', i);
      const raw = s.slice(i, next < 0 ? undefined : next);
      if (stack.length) stack[stack.length - 1]!.text += decode(raw);
      else if (raw.trim()) throw new Error('text outside the root element');
      i = next < 0 ? s.length : next;
    }
  }
  if (stack.length || !root) throw new Error('unterminated document');
  return root;
}

/** The first child (or descendant with a path like `a/b`) named so. */
export function child(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const name of path.split('/')) cur = cur?.children.find((c) => c.name === name);
  return cur;
}

/** All children at `path/name` (e.g. `files/file`). */
export function children(el: XmlElement | undefined, path: string): XmlElement[] {
  const parts = path.split('/');
  const last = parts.pop()!;
  const parent = parts.length ? child(el, parts.join('/')) : el;
  return parent?.children.filter((c) => c.name === last) ?? [];
}

/** Trimmed text of a descendant. */
export function textOf(el: XmlElement | undefined, path: string): string | undefined {
  return child(el, path)?.text.trim();
}
