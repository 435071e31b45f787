// The emulator's notion of "now": injectable so tests can expire tokens without waiting.

/** A source of the current time in milliseconds since the Unix epoch. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A manually driven clock for tests: starts at `startMs` and moves only through `advance`/`set`. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2024, 0, 1)) {}
  /** The current manual time. */
  now(): number {
    return this.ms;
  }
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.ms += ms;
  }
  /** Sets the time to `ms`. */
  set(ms: number): void {
    this.ms = ms;
  }
}
