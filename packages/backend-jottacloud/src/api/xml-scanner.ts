// An incremental, non-buffering XML tokenizer for large streamed documents (liststream): it keeps only the text
// that is not yet a complete token, checks that tags nest, and rejects DOCTYPE (no custom entities, no bombs).

/** What the scanner reports; `depth` is the number of open elements outside the element concerned. */
export interface ScanHandler {
  /** A start tag (local name, namespace prefix dropped); `offset` is its absolute position in the document. */
  start(name: string, selfClosing: boolean, depth: number, offset: number): void;
  /** An end tag (also reported after a self-closing start tag). */
  end(name: string, depth: number): void;
  /** Whether character data at `depth` open elements is wanted (otherwise it is skipped unread). */
  wantsText(depth: number): boolean;
  /** Raw character data (entities not decoded) or CDATA content (`cdata` true). */
  text(raw: string, cdata: boolean): void;
  /** True when the scanner should stop and let the consumer catch up (a page is full). */
  paused(): boolean;
}

/** A malformed document; the caller wraps it into its IO error. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const MAX_DEPTH = 256;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** Feeds decoded text in pieces with {@link push}, tokenizes with {@link scan}, checks the end with {@link finish}. */
export class XmlScanner {
  private buf = '';
  private pos = 0;
  private dropped = 0;
  private sawRoot = false;
  private readonly stack: string[] = [];

  /** `maxToken` bounds one tag, comment, CDATA section or wanted text run (in UTF-16 code units). */
  constructor(private readonly h: ScanHandler, private readonly maxToken: number) {}

  /** Appends decoded text. */
  push(text: string): void {
    if (text === '') return;
    this.dropped += this.pos;
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
  }

  /** Characters held that do not yet form a complete token. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** Absolute offset just past the last character received. */
  get received(): number {
    return this.dropped + this.buf.length;
  }

  /** Tokenizes what is complete: 'pause' when the handler asked to stop, 'more' when more input is needed. */
  scan(): 'pause' | 'more' {
    const r = this.scanTokens();
    if (r === 'more' && this.pending > this.maxToken) this.tooLong();
    return r;
  }

  private tooLong(): never {
    throw new XmlSyntaxError(`token longer than ${this.maxToken} characters at offset ${this.dropped + this.pos}`);
  }

  private scanTokens(): 'pause' | 'more' {
    const buf = this.buf;
    const h = this.h;
    for (;;) {
      if (h.paused()) return 'pause';
      const lt = buf.indexOf('<', this.pos);
      const textEnd = lt < 0 ? buf.length : lt;
      if (textEnd > this.pos) {
        if (!h.wantsText(this.stack.length)) this.pos = textEnd;
        else if (lt < 0) return 'more'; // keep it: a reference may continue in the next piece
        else {
          if (lt - this.pos > this.maxToken) this.tooLong();
          h.text(buf.slice(this.pos, lt), false);
          this.pos = lt;
        }
      }
      if (lt < 0 || lt + 1 >= buf.length) return 'more';
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 === 0x2f /* / */) {
        const gt = buf.indexOf('>', lt + 2);
        if (gt < 0) return 'more';
        if (gt - lt > this.maxToken) this.tooLong();
        this.endTag(buf.slice(lt + 2, gt).trimEnd());
        this.pos = gt + 1;
      } else if (c1 === 0x3f /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end < 0) return 'more';
        if (end - lt > this.maxToken) this.tooLong();
        this.pos = end + 2;
      } else if (c1 === 0x21 /* ! */) {
        if (!this.special(buf, lt)) return 'more';
      } else if (!this.startTag(buf, lt)) {
        return 'more';
      }
    }
  }

  /** Comments, CDATA and declarations (rejected); false when incomplete. */
  private special(buf: string, lt: number): boolean {
    const head = buf.slice(lt, lt + 9);
    if (head.startsWith('<!--')) {
      const end = buf.indexOf('-->', lt + 4);
      if (end < 0) return false;
      if (end - lt > this.maxToken) this.tooLong();
      this.pos = end + 3;
      return true;
    }
    if (head === '<![CDATA[') {
      const end = buf.indexOf(']]>', lt + 9);
      if (end < 0) return false;
      if (end - lt > this.maxToken) this.tooLong();
      if (this.stack.length === 0) throw new XmlSyntaxError('CDATA outside the root element');
      if (this.h.wantsText(this.stack.length)) this.h.text(buf.slice(lt + 9, end), true);
      this.pos = end + 3;
      return true;
    }
    // Cut off by the end of the buffer: decide once 9 characters are there (or report EOF), so that the verdict and
    // its message never depend on where the body was split into chunks.
    if (head.length < 9) return false;
    if (/^<!DOCTYPE/i.test(head) || head.startsWith('<!ENTITY')) throw new XmlSyntaxError('DOCTYPE and entity declarations are not allowed');
    throw new XmlSyntaxError(`unexpected markup ${JSON.stringify(head)}`);
  }

  /** A start tag; false when incomplete. Attributes are skipped (liststream reads none), quotes respected. */
  private startTag(buf: string, lt: number): boolean {
    const len = buf.length;
    let quote = 0;
    let j = lt + 1;
    for (; j < len; j++) {
      const c = buf.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x3e /* > */) break;
      else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3c /* < */) throw new XmlSyntaxError(`unexpected '<' in tag at offset ${this.dropped + j}`);
    }
    if (j >= len) return false;
    if (j - lt > this.maxToken) this.tooLong();
    const selfClosing = buf.charCodeAt(j - 1) === 0x2f;
    let k = lt + 1;
    while (k < j) {
      const c = buf.charCodeAt(k);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e) break;
      k++;
    }
    const qname = buf.slice(lt + 1, k);
    if (qname === '') throw new XmlSyntaxError(`expected element name after < at offset ${this.dropped + lt}`);
    if (this.sawRoot && this.stack.length === 0) throw new XmlSyntaxError(`second root element <${qname}>`);
    this.sawRoot = true;
    const depth = this.stack.length;
    const name = localName(qname);
    this.h.start(name, selfClosing, depth, this.dropped + lt);
    if (selfClosing) {
      this.h.end(name, depth);
    } else {
      if (depth >= MAX_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_DEPTH}`);
      this.stack.push(qname);
    }
    this.pos = j + 1;
    return true;
  }

  private endTag(qname: string): void {
    const open = this.stack.pop();
    if (open === undefined) throw new XmlSyntaxError(`unexpected end element </${qname}>`);
    if (open !== qname) throw new XmlSyntaxError(`element <${open}> closed by </${qname}>`);
    this.h.end(localName(qname), this.stack.length);
  }

  /** At the end of input: throws unless the root element was complete. */
  finish(): void {
    if (this.pending > 0 && this.buf.indexOf('<', this.pos) >= 0) throw new XmlSyntaxError('unexpected EOF inside a tag');
    if (this.stack.length > 0) throw new XmlSyntaxError(`unexpected EOF: <${this.stack.join('><')}> not closed`);
    if (!this.sawRoot) throw new XmlSyntaxError('unexpected EOF: no root element');
  }
}
