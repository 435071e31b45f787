// A promise-chain mutex: callers run one at a time in arrival order (used to serialize account mutations).

/** Serializes async critical sections. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every previously queued section has finished; resolves with its result. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
