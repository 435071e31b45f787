// `jsync cat`: concatenates the objects below the path to stdout, with --head/--tail/--offset/--count (rclone cmd/cat).

import { Command, CommanderError, Option } from 'commander';
import { type ByteRange, type FsObject, type OpenOptions, goQuote } from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { errorMessage, listObjects, writeOutBytes } from '../output/listing-run.js';
import { parseGoInt64 } from '../output/format.js';

/** Creates the `cat` command. */
export function createCatCommand(ctx: CliContext): Command {
  return new Command('cat')
    .description('Concatenates any files and sends them to stdout.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('--head <int>', 'Only print the first N characters').argParser(int64Flag('head')).default(0))
    .addOption(new Option('--tail <int>', 'Only print the last N characters').argParser(int64Flag('tail')).default(0))
    .addOption(new Option('--offset <int>', 'Start printing at offset N (or from end if -ve)').argParser(int64Flag('offset')).default(0))
    .addOption(new Option('--count <int>', 'Only print N characters').argParser(int64Flag('count')).default(-1))
    .addOption(new Option('--discard', 'Discard the output instead of printing'))
    .action(async function (this: Command, args: string[]) {
      const o = this.opts();
      const head = o['head'] as number;
      const tail = o['tail'] as number;
      let offset = o['offset'] as number;
      let count = o['count'] as number;
      const usedOffset = offset !== 0 || count >= 0;
      if ((head > 0 && tail > 0) || (head > 0 && usedOffset) || (tail > 0 && usedOffset)) {
        throw new CliFatalError('Can only use one of  --head, --tail or --offset with --count');
      }
      if (head > 0) {
        offset = 0;
        count = head;
      }
      if (tail > 0) {
        offset = -tail;
        count = -1;
      }
      checkArgs(this, args, 1, 1);
      const src = await ctx.newFs(args[0]!);
      const discard = o['discard'] === true;
      for await (const objects of listObjects(ctx, src)) {
        for (const obj of objects) await catOne(ctx, obj, offset, count, discard);
      }
    });
}

/** An int64 flag parser failing like pflag (main prints `Error: …`, the usage and `Fatal error: …`, exit 1). */
function int64Flag(flag: string) {
  return (v: string): number => {
    const r = parseGoInt64(v);
    if ('error' in r) {
      throw new CommanderError(1, 'jsync.invalidFlag', `error: invalid argument ${goQuote(v)} for "--${flag}" flag: strconv.ParseInt: parsing ${goQuote(v)}: ${r.error}`);
    }
    return r.value;
  };
}

/** rclone `Cat` for one object: the range rclone would request, cut to `count` bytes. */
export function catOpenOptions(size: number, offset: number, count: number): OpenOptions {
  let start = offset;
  if (start < 0) start += size;
  const end = count >= 0 ? start + count - 1 : -1;
  if (!(start > 0 || end >= 0)) return {};
  // rclone RangeOption{Start<0, End} means "the last End bytes"; Start>End reads nothing after the count cut.
  const range: ByteRange = start < 0 ? { start: -1, end } : { start, end: end >= start ? end : -1 };
  return { range };
}

async function catOne(ctx: CliContext, obj: FsObject, offset: number, count: number, discard: boolean): Promise<void> {
  let stream;
  try {
    stream = await obj.open(catOpenOptions(obj.size, offset, count));
  } catch (err) {
    ctx.countError(err);
    ctx.logger.log('ERROR', obj.toString(), `Failed to open: ${errorMessage(err)}`);
    return;
  }
  let left = count >= 0 ? count : Infinity;
  try {
    for await (const chunk of stream) {
      if (left <= 0) break;
      let buf = chunk as Uint8Array;
      if (buf.length > left) buf = buf.subarray(0, left);
      left -= buf.length;
      if (!discard) await writeOutBytes(ctx, buf);
    }
  } catch (err) {
    ctx.countError(err);
    ctx.logger.log('ERROR', obj.toString(), `Failed to send to output: ${errorMessage(err)}`);
  } finally {
    stream.destroy();
  }
}
