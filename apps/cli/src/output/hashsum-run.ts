// rclone operations.HashLister / HashSumStream: the engine behind md5sum, sha1sum and hashsum.

import { createWriteStream } from 'node:fs';
import { type FsObject, createHasher, encodeUtf8Escaped, hashToBase64, isJsyncError } from '@jsync/core';
import type { CliContext } from '../context.js';
import { type HashChoice, hashSumLine, hashWidth } from './hashsum.js';
import { errorMessage, listObjects, mapOrdered } from './listing-run.js';

/** The flags shared by md5sum, sha1sum and hashsum. */
export interface HashsumFlags {
  base64: boolean;
  download: boolean;
  outputFile?: string;
}

/** Where the sum lines go: stdout or the --output-file. */
interface LineSink {
  write(text: string): void;
  close(): Promise<void>;
}

async function openSink(ctx: CliContext, outputFile: string | undefined): Promise<LineSink> {
  if (outputFile === undefined || outputFile === '') {
    return { write: (t) => void (t !== '' && ctx.io.stdout.write(encodeUtf8Escaped(t))), close: async () => {} };
  }
  const stream = createWriteStream(outputFile, { flags: 'w' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new Error(`failed to open output file ${outputFile}: ${goOpenError(outputFile, err)}`, { cause: err })));
  });
  return {
    write: (t) => void stream.write(encodeUtf8Escaped(t)),
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}

/** Go's `*PathError` text for a failed open: `open /x: no such file or directory`. */
function goOpenError(file: string, err: NodeJS.ErrnoException): string {
  const m = /^[A-Z]+: (.*?), open /.exec(err.message);
  return `open ${file}: ${(err.code && STRERROR[err.code]) ?? (m ? m[1] : err.message)}`;
}

/** Linux strerror texts (as Go prints them) where Node's wording differs or is missing. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory', EISDIR: 'is a directory', EACCES: 'permission denied', ENOTDIR: 'not a directory',
  EROFS: 'read-only file system', ENOSPC: 'no space left on device',
};

/**
 * rclone `CreateFromStdinArg`: true when the data to hash is stdin — no path argument at `startArg`, or `-` while
 * stdin is not a terminal.
 */
export function hashesStdin(ctx: CliContext, args: readonly string[], startArg: number): boolean {
  if (args.length === startArg) return true;
  return args[startArg] === '-' && (ctx.io.stdin as { isTTY?: boolean }).isTTY !== true;
}

/** Hashes stdin and writes `⟨sum⟩  -` (rclone HashSumStream). */
export async function hashStdin(ctx: CliContext, type: HashChoice, flags: HashsumFlags): Promise<void> {
  const sink = await openSink(ctx, flags.outputFile);
  try {
    let sum = '';
    if (type !== 'none') {
      const h = createHasher(type);
      for await (const chunk of ctx.io.stdin) h.update(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      sum = h.digest();
      if (flags.base64) sum = hashToBase64(sum);
    }
    sink.write(hashSumLine(sum, hashWidth(type, flags.base64), '-'));
  } finally {
    await sink.close();
  }
}

/** rclone `hashSum`: the printable sum of one object, or a thrown error with rclone's wording. */
export async function objectHashSum(o: FsObject, type: HashChoice, flags: HashsumFlags): Promise<string> {
  if (type === 'none') return '';
  let sum: string;
  if (flags.download) {
    let stream;
    try {
      stream = await o.open();
    } catch (err) {
      throw new Error(`failed to open file ${o.toString()}: ${errorMessage(err)}`, { cause: err });
    }
    const h = createHasher(type);
    try {
      for await (const chunk of stream) h.update(chunk as Uint8Array);
    } catch (err) {
      throw new Error(`failed to copy file to hasher: ${errorMessage(err)}`, { cause: err });
    }
    sum = h.digest();
  } else {
    try {
      sum = await o.hash(type);
    } catch (err) {
      if (isJsyncError(err, 'HASH_UNSUPPORTED')) throw new Error(`hash unsupported: ${errorMessage(err)}`, { cause: err });
      throw new Error(`failed to get hash ${type} from backend: ${errorMessage(err)}`, { cause: err });
    }
  }
  return flags.base64 ? hashToBase64(sum) : sum;
}

/**
 * rclone `HashLister`: one md5sum-style line per object below the source (hashes computed --transfers at a time);
 * objects whose hash fails are logged as ERROR, counted and left out.
 */
export async function hashList(ctx: CliContext, srcPath: string, type: HashChoice, flags: HashsumFlags): Promise<void> {
  const src = await ctx.newFs(srcPath);
  const sink = await openSink(ctx, flags.outputFile);
  const width = hashWidth(type, flags.base64);
  try {
    for await (const objects of listObjects(ctx, src)) {
      await mapOrdered(
        objects, ctx.globals.transfers,
        async (o) => {
          try {
            return { o, sum: await objectHashSum(o, type, flags) };
          } catch (err) {
            return { o, err };
          }
        },
        (r) => {
          if ('err' in r) {
            ctx.countError(r.err);
            ctx.logger.log('ERROR', r.o.toString(), errorMessage(r.err));
          } else sink.write(hashSumLine(r.sum, width, r.o.remote));
        },
      );
    }
  } finally {
    await sink.close();
  }
}

/** Runs a hash command over `args[startArg]` (or stdin). */
export async function runHashCommand(ctx: CliContext, args: readonly string[], startArg: number, type: HashChoice, flags: HashsumFlags): Promise<void> {
  if (hashesStdin(ctx, args, startArg)) {
    await hashStdin(ctx, type, flags);
    return;
  }
  await hashList(ctx, args[startArg]!, type, flags);
}
