// The `malformed` and `huge` faults: a document replaced by a broken one (well framed), or padded to an enormous but
// well-formed size and streamed without holding it in memory.

import type { ServerResponse } from 'node:http';

const isXml = (type: string): boolean => /xml/i.test(type);

/**
 * A malformed version of `body`: XML is cut inside a start tag in its second half and followed by an end tag
 * nothing opened (`…<fi</unbalanced>`); JSON is cut in the middle and followed by `,]}`. Either can never parse.
 */
export function malformedBody(body: Buffer, type: string): Buffer {
  const text = body.toString('utf8');
  if (isXml(type)) {
    const start = /<[A-Za-z_]/g;
    start.lastIndex = Math.floor(text.length / 2);
    const m = start.exec(text) ?? /<[A-Za-z_]/.exec(text);
    const cut = m ? m.index + 3 : Math.floor(text.length / 2);
    const head = text.length ? text.slice(0, cut) : '<?xml version="1.0" encoding="UTF-8"?>\n<error><co';
    return Buffer.from(`${head}</unbalanced>`, 'utf8');
  }
  return Buffer.from(`${text.slice(0, Math.ceil(text.length / 2))},]}`, 'utf8');
}

const CHUNK = 64 * 1024;
const COMMENT = 1024;

function paddingChunk(xml: boolean): Buffer {
  if (!xml) return Buffer.from(`${' '.repeat(COMMENT - 1)}\n`.repeat(CHUNK / COMMENT), 'latin1');
  const comment = (i: number): string => {
    const head = `<!-- jotta-emulator padding ${i} `;
    return `${head}${'x'.repeat(COMMENT - head.length - 5)} -->\n`;
  };
  return Buffer.from(Array.from({ length: CHUNK / COMMENT }, (_, i) => comment(i)).join(''), 'latin1');
}

const PADDING = { xml: paddingChunk(true), json: paddingChunk(false) };

/** Where padding goes: right after the root start tag (XML; the prolog for a self-closing root) or after `{`/`[`. */
function insertionPoint(text: string, xml: boolean): number {
  const first = text.length - text.trimStart().length;
  if (!xml) return text[first] === '{' || text[first] === '[' ? first + 1 : 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(text);
  const rootAt = decl ? decl[0].length : 0;
  const end = text.indexOf('>', rootAt);
  if (end < 0 || text[rootAt] !== '<') return rootAt;
  return text[end - 1] === '/' ? rootAt : end + 1;
}

function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve(!res.destroyed);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams `body` padded to `total` bytes (never less than the body): XML gets 1 KiB comment nodes then whitespace,
 * JSON whitespace. The headers carry the full `Content-Length`. Stops when the client goes away.
 */
export async function streamHuge(res: ServerResponse, head: { status: number; reason: string; headers: Record<string, string> }, body: Buffer, type: string, total: number): Promise<void> {
  const xml = isXml(type);
  // latin1 maps bytes 1:1 to characters, so string offsets are byte offsets.
  const at = insertionPoint(body.toString('latin1'), xml);
  let pad = Math.max(0, total - body.length);
  res.writeHead(head.status, head.reason, { ...head.headers, 'Content-Type': type, 'Content-Length': String(body.length + pad) });
  if (!(await write(res, body.subarray(0, at)))) return;
  const chunk = xml ? PADDING.xml : PADDING.json;
  while (pad >= CHUNK) {
    if (!(await write(res, chunk))) return;
    pad -= CHUNK;
  }
  const whole = pad - (pad % COMMENT);
  const tail = Buffer.concat([chunk.subarray(0, whole), Buffer.from(' '.repeat(pad - whole), 'latin1')]);
  if (!(await write(res, tail))) return;
  if (!(await write(res, body.subarray(at)))) return;
  res.end();
}
