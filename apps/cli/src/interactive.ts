// `-i/--interactive`: rclone's SkipDestructive question before each destructive action, asked on stdin/stdout.
//
// The layout is rclone's with jsync's name: `jsync: delete "file.txt"?` and `q) Exit jsync now.` (rclone prints
// `rclone: …` and `Exit rclone now.`). The answers and their memory per action are rclone's: y (default) does it,
// n skips it, s skips every later action of that kind and ! does every later one without asking, q stops jsync at
// once with exit code 0. End of input at the question is fatal (`Failed to read line: EOF`, exit 1), as rclone.

import { CliFatalError, type CliContext } from './context.js';
import { Prompter } from './commands/config-prompt.js';

/** Answers `-i` questions for one invocation; pass {@link InteractiveConfirm.confirm} as OperationContext.confirm. */
export class InteractiveConfirm {
  private readonly ctx: CliContext;
  private readonly prompter: Prompter;
  /** Remembered answers per action (`s` = skip all, `!` = do all). */
  private readonly remembered = new Map<string, boolean>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: CliContext) {
    this.ctx = ctx;
    this.prompter = new Prompter(ctx.io);
  }

  /**
   * Resolves true to go ahead with `action` on `subject`, false to skip it; rejects (and aborts the run) after `q` or
   * a failed read. Questions are asked one at a time.
   */
  confirm(action: string, subject: string): Promise<boolean> {
    const answer = this.queue.then(() => this.ask(action, subject));
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  private async ask(action: string, subject: string): Promise<boolean> {
    const { ctx } = this;
    // After `q` or a fatal read every question fails with the abort reason, so the engine stops without logging
    // `Skipped …` lines rclone would never print (it exits on the spot).
    if (ctx.quitRequested || ctx.fatal) throw ctx.abort.signal.reason;
    const known = this.remembered.get(action);
    if (known !== undefined) return known;
    this.prompter.print(`jsync: ${action} "${subject}"?\n`);
    let choice: string;
    try {
      choice = await this.prompter.commandDefault([
        'yYes, this is OK',
        'nNo, skip this',
        `sSkip all ${action} operations with no more questions`,
        `!Do all ${action} operations with no more questions`,
        'qExit jsync now.',
      ], 0);
    } catch (err) {
      ctx.fatal = err instanceof CliFatalError ? err : new CliFatalError((err as Error).message, { cause: err });
      ctx.abort.abort(ctx.fatal);
      throw ctx.fatal;
    }
    switch (choice) {
      case 'y':
        return true;
      case 'n':
        return false;
      case 's':
        this.remembered.set(action, false);
        ctx.logger.log('NOTICE', undefined, `Skipping all ${action} operations from now on without asking`);
        return false;
      case '!':
        this.remembered.set(action, true);
        ctx.logger.log('NOTICE', undefined, `Doing all ${action} operations from now on without asking`);
        return true;
      default:
        ctx.logger.log('NOTICE', undefined, 'Quitting jsync now');
        ctx.quitRequested = true;
        ctx.abort.abort(new Error('Quitting jsync now'));
        throw ctx.abort.signal.reason;
    }
  }
}
