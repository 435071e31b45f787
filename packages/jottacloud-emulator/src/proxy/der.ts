// Minimal ASN.1 DER writer (and a tiny reader) for the X.509 structures the proxy's local CA needs.

/** One encoded DER element (tag + length + contents). */
export type Der = Buffer;

/** Universal and context tag bytes used by X.509. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Encodes a DER length (short form below 128, long form above). */
function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Wraps contents in a tag-length-value element. */
export function tlv(tag: number, contents: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(contents.length), contents]);
}

/** SEQUENCE of the given elements. */
export function sequence(...items: Der[]): Der {
  return tlv(TAG.sequence, Buffer.concat(items));
}

/** SET of the given elements, sorted by encoding as DER requires for SET OF. */
export function set(...items: Der[]): Der {
  return tlv(TAG.set, Buffer.concat([...items].sort(Buffer.compare)));
}

/** INTEGER from a non-negative bigint or an unsigned big-endian byte string. */
export function integer(value: bigint | Buffer): Der {
  let bytes: Buffer;
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError('der: negative integers are not supported');
    const hex = value.toString(16);
    bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  } else {
    bytes = value;
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.integer, bytes);
}

/** BOOLEAN (DER: TRUE is 0xff). */
export function boolean(value: boolean): Der {
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** NULL. */
export function nul(): Der {
  return tlv(TAG.null, Buffer.alloc(0));
}

/** OBJECT IDENTIFIER from dotted-decimal text. */
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map((s) => {
    if (!/^\d+$/.test(s)) throw new Error(`der: bad OID ${dotted}`);
    return BigInt(s);
  });
  const [a = 0n, b = 0n, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

/** OCTET STRING. */
export function octetString(bytes: Buffer): Der {
  return tlv(TAG.octetString, bytes);
}

/** BIT STRING of whole bytes (no unused bits). */
export function bitString(bytes: Buffer): Der {
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), bytes]));
}

/** BIT STRING of named bits (bit 0 = most significant bit of the first byte), trailing zeros dropped. */
export function namedBits(bits: readonly number[]): Der {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = 7 - (highest & 7);
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTF8String. */
export function utf8String(text: string): Der {
  return tlv(TAG.utf8String, Buffer.from(text, 'utf8'));
}

/** IA5String-valued context-specific primitive (e.g. a dNSName, tag [2]). */
export function contextPrimitive(tagNumber: number, bytes: Buffer): Der {
  return tlv(0x80 | tagNumber, bytes);
}

/** Context-specific constructed element ([n] EXPLICIT). */
export function contextExplicit(tagNumber: number, inner: Der): Der {
  return tlv(0xa0 | tagNumber, inner);
}

/** X.509 Time: UTCTime for years 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(date: Date): Der {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(TAG.utcTime, Buffer.from(digits.slice(2), 'ascii'));
  return tlv(TAG.generalizedTime, Buffer.from(digits, 'ascii'));
}

/** A decoded element: its tag, its contents, and the offset just past it. */
export interface DerElement {
  readonly tag: number;
  readonly contents: Buffer;
  readonly end: number;
}

/** Reads the element at `offset` (definite lengths only). */
export function readElement(buf: Buffer, offset = 0): DerElement {
  const tag = buf[offset];
  let len = buf[offset + 1];
  if (tag === undefined || len === undefined) throw new Error('der: truncated element');
  let pos = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) throw new Error('der: unsupported length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[pos + i] ?? 0);
    pos += count;
  }
  if (pos + len > buf.length) throw new Error('der: truncated element');
  return { tag, contents: buf.subarray(pos, pos + len), end: pos + len };
}

/** The elements directly inside a constructed element's contents. */
export function readChildren(contents: Buffer): DerElement[] {
  const out: DerElement[] = [];
  for (let pos = 0; pos < contents.length; ) {
    const el = readElement(contents, pos);
    out.push(el);
    pos = el.end;
  }
  return out;
}
