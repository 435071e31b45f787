// no_versions overwrite that never destroys the last good copy: new content to a temp sibling, old file aside, swap.

import { randomBytes } from 'node:crypto';
import { JsyncError, logDebug, logError } from '@jsync/core';
import type { JottaFile } from '../api/types.js';
import type { JottaContext } from '../fs/context.js';
import { hardDelete, moveFile, readFileDoc, verifyContent } from './jfs-file.js';
import type { ExpectedContent } from './jfs-file.js';

/** A hidden sibling of `remote` (short, so any valid name has a valid sibling name). */
function sibling(remote: string, tag: string, suffix: string): string {
  const slash = remote.lastIndexOf('/');
  const leaf = `.jsync-${tag}.${suffix}`;
  return slash < 0 ? leaf : `${remote.slice(0, slash + 1)}${leaf}`;
}

/** Arguments of {@link replaceWithoutVersions}. */
export interface ReplaceArgs {
  ctx: JottaContext;
  remote: string;
  want: ExpectedContent;
  /** Uploads the new content to the given name and verifies it (COMPLETED, md5, size, modtime). */
  upload: (remote: string) => Promise<JottaFile>;
  signal?: AbortSignal;
}

/**
 * Replaces `remote` without keeping server versions, in steps that keep some complete copy reachable at all times:
 * 1. upload to `.jsync-<id>.partial` and verify it (on failure: remove it; the old file was never touched);
 * 2. move the old file aside to `.jsync-<id>.old` (with its history);
 * 3. move the new file onto the name (on failure: move the old one back);
 * 4. hard-delete the set-aside old file and its versions.
 * A crash leaves at worst stray `.jsync-*` siblings, never a state where neither the old nor the new content exists.
 */
export async function replaceWithoutVersions(a: ReplaceArgs): Promise<JottaFile> {
  const { ctx, remote, want, signal } = a;
  const id = randomBytes(6).toString('hex');
  const temp = sibling(remote, id, 'partial');
  const aside = sibling(remote, id, 'old');
  const cleanup = (name: string): Promise<void> =>
    hardDelete(ctx, name).catch((e: unknown) => logDebug(ctx.logger, name, `couldn't remove: ${String(e)}`));

  try {
    await a.upload(temp);
  } catch (err) {
    await cleanup(temp);
    throw err;
  }
  let hadOld = true;
  try {
    await moveFile(ctx, remote, aside, signal);
  } catch (err) {
    if (!(err instanceof JsyncError && err.code === 'OBJECT_NOT_FOUND')) {
      await cleanup(temp);
      throw err;
    }
    hadOld = false; // the old file vanished meanwhile: nothing to set aside
  }
  try {
    await moveFile(ctx, temp, remote, signal);
  } catch (err) {
    // A retried move whose first attempt went through reports the source missing: accept a verified destination.
    const arrived = await readFileDoc(ctx, remote).then((f) => (verifyContent(f, want, remote), true), () => false);
    if (!arrived) {
      const restored = !hadOld || (await moveFile(ctx, aside, remote).then(() => true, () => false));
      if (restored) await cleanup(temp);
      throw new JsyncError({
        code: 'IO', cause: err, context: { remote, temp, aside },
        message: restored
          ? `couldn't move the new content of "${remote}" into place (old version restored): ${err instanceof Error ? err.message : String(err)}`
          : `couldn't move the new content of "${remote}" into place nor restore the old one: new content is "${temp}", old content "${aside}"`,
      });
    }
  }
  if (hadOld) {
    await hardDelete(ctx, aside, signal).catch((e: unknown) =>
      logError(ctx.logger, remote, `couldn't delete the replaced version kept as "${aside}": ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  const file = await readFileDoc(ctx, remote, signal);
  verifyContent(file, want, remote);
  return file;
}
