// A tiny XML writer with correct escaping; the emulator builds every XML document through it.

/** Text written verbatim, without escaping (hostile test entries; the caller owns well-formedness). */
export class RawXml {
  constructor(readonly xml: string) {}
}

/** Attribute values: undefined/null attributes are omitted; {@link RawXml} values are not escaped. */
export type XmlAttrs = Record<string, string | number | boolean | RawXml | null | undefined>;

/** Escapes character data (`&`, `<`, `>`). */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Escapes an attribute value (also quotes and whitespace that attribute normalisation would eat). */
export function escapeAttr(text: string): string {
  return text.replace(/[&<>"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function attrText(attrs: XmlAttrs | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) out += ` ${k}="${v instanceof RawXml ? v.xml : escapeAttr(String(v))}"`;
  }
  return out;
}

/** Builds an XML document element by element (pretty-printed unless `compact`). */
export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private readonly stack: string[] = [];

  constructor(private readonly compact = false) {
    if (!compact) this.parts.push('\n');
  }

  private indent(): void {
    if (!this.compact) this.parts.push('  '.repeat(this.stack.length));
  }

  private nl(): void {
    if (!this.compact) this.parts.push('\n');
  }

  /** Opens an element. */
  open(name: string, attrs?: XmlAttrs): this {
    this.indent();
    this.parts.push(`<${name}${attrText(attrs)}>`);
    this.nl();
    this.stack.push(name);
    return this;
  }

  /** Closes the innermost open element. */
  close(): this {
    const name = this.stack.pop();
    if (name === undefined) throw new Error('XmlWriter: close without open');
    this.indent();
    this.parts.push(`</${name}>`);
    this.nl();
    return this;
  }

  /** A text-only element; `null`/`undefined` text gives an empty element (`<x></x>`). */
  leaf(name: string, text: string | number | boolean | RawXml | null | undefined, attrs?: XmlAttrs): this {
    this.indent();
    const body = text === null || text === undefined ? '' : text instanceof RawXml ? text.xml : escapeText(String(text));
    this.parts.push(`<${name}${attrText(attrs)}>${body}</${name}>`);
    this.nl();
    return this;
  }

  /** A text element whose whitespace is significant (`xml:space="preserve"`). */
  preserve(name: string, text: string): this {
    return this.leaf(name, text, { 'xml:space': 'preserve' });
  }

  /** A self-closing element. */
  empty(name: string, attrs?: XmlAttrs): this {
    this.indent();
    this.parts.push(`<${name}${attrText(attrs)}/>`);
    this.nl();
    return this;
  }

  /** The document text; throws if elements are still open. */
  toString(): string {
    if (this.stack.length) throw new Error(`XmlWriter: unclosed <${this.stack.join('><')}>`);
    return this.parts.join('');
  }
}
