// A bounded FIFO between pipeline stages with backpressure and cancellation (rclone fs/sync/pipe.go, FIFO only).

/** Multi-producer multi-consumer queue: `put` waits while `maxBacklog` items are queued; `get` waits for items. */
export class Pipe<T> {
  private readonly items: T[] = [];
  private head = 0;
  private closed = false;
  private readonly getters: ((v: { item: T } | undefined) => void)[] = [];
  private readonly putters: (() => void)[] = [];

  /**
   * @param maxBacklog Items queued before `put` waits; < 0 = unbounded (rclone `--check-first`).
   * @param signal Cancels: pending and later `put`/`get` resolve to false/undefined.
   */
  constructor(
    private readonly maxBacklog: number,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
  }

  /** Items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Queues `item`, waiting for room; false when the pipe was cancelled (the item was dropped). */
  async put(item: T): Promise<boolean> {
    while (!this.signal?.aborted && this.maxBacklog >= 0 && this.length >= Math.max(1, this.maxBacklog) && this.getters.length === 0) {
      await new Promise<void>((resolve) => this.putters.push(resolve));
    }
    if (this.signal?.aborted || this.closed) return false;
    const getter = this.getters.shift();
    if (getter) getter({ item });
    else this.items.push(item);
    return true;
  }

  /** The next item, or undefined once the pipe is closed and drained or cancelled. */
  async get(): Promise<{ item: T } | undefined> {
    if (this.signal?.aborted) return undefined;
    if (this.length > 0) {
      const item = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      this.wakePutters();
      return { item };
    }
    if (this.closed) return undefined;
    const waiting = new Promise<{ item: T } | undefined>((resolve) => this.getters.push(resolve));
    // a waiting consumer lets a blocked producer hand its item over directly
    this.wakePutters();
    return waiting;
  }

  /** No more puts: consumers drain what is queued, then get undefined. */
  close(): void {
    this.closed = true;
    for (const g of this.getters.splice(0)) g(undefined);
  }

  private wakeAll(): void {
    for (const g of this.getters.splice(0)) g(undefined);
    this.wakePutters();
  }

  /** Blocked producers re-check for room (a lost wake-up would deadlock them otherwise). */
  private wakePutters(): void {
    for (const p of this.putters.splice(0)) p();
  }

  /** The items as an async iterable until closed (for consumers that take a stream). */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = await this.get();
      if (next === undefined) return;
      yield next.item;
    }
  }
}
