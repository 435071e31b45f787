// rclone's once-a-second exponentially weighted speed average, evaluated lazily from a clock instead of a ticker.

/** Samples averaged over (rclone `averagePeriod`). */
const AVERAGE_PERIOD = 16;
/** Tick length in ms (rclone `averagePeriodLength`). */
const TICK_MS = 1000;

/**
 * The moving average rclone keeps per transfer and per stats group: every second since `start` the bytes seen in
 * that second become a sample, blended in with weight 1/period (period grows 1…16, a soft start).
 * Ticks are replayed when the value is read or bytes arrive, so no timer is needed.
 */
export class MovingAverage {
  private startAt: number | undefined;
  private lastTick = 0;
  private stoppedAt: number | undefined;
  private pendingBytes = 0;
  private period = 0;
  private avg = 0;

  /** True once {@link start} was called (and not stopped). */
  get running(): boolean {
    return this.startAt !== undefined && this.stoppedAt === undefined;
  }

  /** Starts ticking at `now` (no-op when running). A stopped average resumes from its last value. */
  start(now: number): void {
    if (this.running) return;
    if (this.startAt === undefined) {
      this.startAt = now;
      this.lastTick = now;
    } else {
      this.lastTick = now;
      this.pendingBytes = 0;
    }
    this.stoppedAt = undefined;
  }

  /** Stops ticking at `now`; the value stays frozen until started again. */
  stop(now: number): void {
    if (!this.running) return;
    this.catchUp(now);
    this.stoppedAt = now;
  }

  /** Counts `n` bytes arriving at `now`. */
  add(n: number, now: number): void {
    this.catchUp(now);
    this.pendingBytes += n;
  }

  /** The average in bytes per second as of `now`. */
  value(now: number): number {
    this.catchUp(now);
    return this.avg;
  }

  private tick(): void {
    const sample = this.pendingBytes / (TICK_MS / 1000);
    if (this.period < AVERAGE_PERIOD) this.period++;
    this.avg = (sample + this.avg * (this.period - 1)) / this.period;
    this.pendingBytes = 0;
  }

  private catchUp(now: number): void {
    if (!this.running) return;
    let ticks = Math.floor((now - this.lastTick) / TICK_MS);
    if (ticks <= 0) return;
    this.lastTick += ticks * TICK_MS;
    this.tick();
    ticks--;
    // Further ticks carry no bytes: soft-start steps one by one, then a closed-form decay.
    while (ticks > 0 && this.period < AVERAGE_PERIOD) {
      this.tick();
      ticks--;
    }
    if (ticks > 0) this.avg *= ((AVERAGE_PERIOD - 1) / AVERAGE_PERIOD) ** ticks;
  }
}
