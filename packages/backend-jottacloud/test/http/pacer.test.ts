import { describe, expect, it } from 'vitest';
import { JsyncError } from '@jsync/core';
import type { LogLevel, Logger } from '@jsync/core';
import { errorFromResponse } from '../../src/http/errors.js';
import { Pacer, shouldRetry, type PacerOptions } from '../../src/http/pacer.js';

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: (): number => t,
    sleep: async (ms: number): Promise<void> => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number): void => {
      t += ms;
    },
  };
}

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, enabled: () => true, log: (level: LogLevel, subject, msg) => lines.push(`${level} ${subject ?? '-'}: ${msg}`) };
}

const httpError = (status: number, headers: Record<string, string> = {}) => errorFromResponse({ status, statusText: 'x', headers, body: '' });

function pacerWith(clock: ReturnType<typeof fakeClock>, extra: PacerOptions = {}): Pacer {
  return new Pacer({ now: clock.now, sleep: clock.sleep, random: () => 1, ...extra });
}

/** fn failing with the given errors in turn, then returning 'ok'. */
function failing(errors: unknown[]) {
  const attempts: number[] = [];
  const fn = async (attempt: number): Promise<string> => {
    attempts.push(attempt);
    const e = errors.shift();
    if (e !== undefined) throw e;
    return 'ok';
  };
  return { fn, attempts };
}

describe('Pacer', () => {
  it('retries 503 with a sleep that doubles each time (rclone attack constant 1)', async () => {
    const clock = fakeClock();
    const logger = memoryLogger();
    const pacer = pacerWith(clock, { logger });
    const { fn, attempts } = failing([httpError(503), httpError(503), httpError(503)]);
    await expect(pacer.call(fn, { describe: 'GET /jfs/x' })).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(clock.sleeps).toEqual([20, 40, 80]);
    expect(pacer.currentSleepMs).toBe(60); // decayed by a quarter after the success
    expect(logger.lines).toEqual([1, 2, 3].map((i) => `DEBUG pacer: low level retry ${i}/10 (error HTTP error 503 (503 x) returned body: "") [GET /jfs/x]`));
  });

  it('caps the sleep at 2 s and applies jitter below the computed sleep', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock, { random: () => 0, retries: 10 });
    const { fn } = failing(Array.from({ length: 9 }, () => httpError(500)));
    await pacer.call(fn);
    // jittered retry waits are half the pacer sleep (random 0); the start spacing (previous sleep) may dominate
    expect(clock.sleeps.every((s) => s <= 2000)).toBe(true);
    expect(Math.max(...clock.sleeps)).toBe(2000);
    expect(clock.sleeps.slice(0, 3)).toEqual([10, 20, 40]);
  });

  it('honours Retry-After instead of the computed sleep', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock);
    const { fn } = failing([httpError(429, { 'retry-after': '3' }), httpError(503)]);
    await pacer.call(fn);
    expect(clock.sleeps[0]).toBe(3000);
    // the pacer sleep became the server's 3 s, so the next start is spaced 3 s after the previous one (rclone's token),
    // although the computed retry wait (2 s, the max) is shorter
    expect(clock.sleeps[1]).toBe(3000);
    expect(pacer.currentSleepMs).toBe(1500);
  });

  it('caps a huge retryAfterMs on any jsync error at 5 minutes', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock);
    const err = new JsyncError({ code: 'IO', message: 'slow down', retryAfterMs: 3_600_000, cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    const { fn } = failing([err]);
    await pacer.call(fn);
    expect(clock.sleeps).toEqual([300_000]);
  });

  it('gives up after `retries` attempts and throws the last error', async () => {
    const clock = fakeClock();
    const logger = memoryLogger();
    const pacer = pacerWith(clock, { retries: 4, logger });
    const last = httpError(502);
    const { fn, attempts } = failing([httpError(503), httpError(503), httpError(503), last, httpError(503)]);
    await expect(pacer.call(fn)).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(logger.lines.map((l) => /retry (\d+\/\d+)/.exec(l)?.[1])).toEqual(['1/4', '2/4', '3/4', '4/4']);
  });

  it('does not retry 404 or 400 (and decays the sleep)', async () => {
    for (const status of [404, 400, 401, 403]) {
      const clock = fakeClock();
      const pacer = pacerWith(clock);
      const { fn, attempts } = failing([httpError(status)]);
      await expect(pacer.call(fn)).rejects.toMatchObject({ status });
      expect(attempts).toEqual([1]);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it('retry:false makes a single attempt', async () => {
    const clock = fakeClock();
    const logger = memoryLogger();
    const pacer = pacerWith(clock, { logger });
    const { fn, attempts } = failing([httpError(503)]);
    await expect(pacer.call(fn, { retry: false })).rejects.toMatchObject({ status: 503 });
    expect(attempts).toEqual([1]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('low level retry 1/1');
  });

  it('takes a tps slot before every attempt', async () => {
    const clock = fakeClock();
    const order: string[] = [];
    const tpsLimiter = { take: async () => void order.push('slot') };
    const pacer = pacerWith(clock, { tpsLimiter });
    let n = 0;
    await pacer.call(async () => {
      order.push('attempt');
      if (++n < 3) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      return n;
    });
    expect(order).toEqual(['slot', 'attempt', 'slot', 'attempt', 'slot', 'attempt']);
  });

  it('with rclone\'s minSleepMs 10, spaces call starts by the current sleep, shared between calls', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock, { minSleepMs: 10 });
    await pacer.call(async () => 1); // starts at 0, next start ≥ 10
    await pacer.call(async () => 2);
    expect(clock.sleeps).toEqual([10]);
    clock.advance(1000);
    await pacer.call(async () => 3); // long after: no wait
    expect(clock.sleeps).toEqual([10]);
    const { fn } = failing([httpError(503)]);
    await pacer.call(fn);
    // decays along rclone's curve but never below its 10 ms
    for (let i = 0; i < 20; i++) await pacer.call(async () => i);
    expect(pacer.currentSleepMs).toBe(10);
  });

  it('does not space calls while the server is healthy (default minSleepMs 0)', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock);
    await Promise.all(Array.from({ length: 50 }, (_, i) => pacer.call(async () => i)));
    for (let i = 0; i < 50; i++) await pacer.call(async () => i);
    expect(clock.sleeps).toEqual([]);
    expect(pacer.currentSleepMs).toBe(0);
  });

  it('after an error spaces all calls like rclone, then decays back to no spacing', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock);
    const { fn } = failing([httpError(503), httpError(503)]);
    await pacer.call(fn);
    expect(clock.sleeps).toEqual([20, 40]); // rclone: 10 → 20 → 40
    expect(pacer.currentSleepMs).toBe(30); // one success: 40 · 3/4
    clock.sleeps.length = 0;
    // calls right after are spaced by the sleep each predecessor started with (40, 30, 22.5, …, then below 10 → 0)
    for (let i = 0; i < 6; i++) await pacer.call(async () => i);
    expect(clock.sleeps).toEqual([40, 30, 22.5, 16.875, 12.65625]);
    expect(pacer.currentSleepMs).toBe(0);
  });

  it('pace:false calls are not spaced, made once, leave the pacing alone, and still take a tps slot', async () => {
    const clock = fakeClock();
    let slots = 0;
    const pacer = pacerWith(clock, { tpsLimiter: { take: async () => void slots++ } });
    const { fn } = failing([httpError(503)]);
    await pacer.call(fn); // sleep now 20 → decayed to 15
    const before = pacer.currentSleepMs;
    clock.sleeps.length = 0;
    const unpaced = failing([httpError(503)]);
    await expect(pacer.call(unpaced.fn, { pace: false })).rejects.toMatchObject({ status: 503 });
    await expect(pacer.call(async () => 'x', { pace: false })).resolves.toBe('x');
    expect(unpaced.attempts).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
    expect(pacer.currentSleepMs).toBe(before);
    expect(slots).toBe(2 + 2);
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await expect(pacer.call(async () => 'y', { pace: false, signal: ac.signal })).rejects.toThrow('gone');
  });

  it('still backs off when minSleepMs is 0', async () => {
    const clock = fakeClock();
    const pacer = pacerWith(clock, { minSleepMs: 0 });
    const { fn } = failing([httpError(503), httpError(503)]);
    await pacer.call(fn);
    expect(clock.sleeps).toEqual([20, 40]);
  });

  it('aborts while waiting for a retry', async () => {
    const pacer = new Pacer({ minSleepMs: 10 });
    const ac = new AbortController();
    let attempts = 0;
    const p = pacer.call(async () => {
      attempts++;
      throw httpError(429, { 'retry-after': '60' });
    }, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop now')), 50);
    const started = Date.now();
    await expect(p).rejects.toThrow('stop now');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(attempts).toBe(1);
  });

  it('does not retry once the signal is aborted, whatever the error', async () => {
    const ac = new AbortController();
    const pacer = pacerWith(fakeClock());
    let attempts = 0;
    await expect(pacer.call(async () => {
      attempts++;
      ac.abort();
      throw httpError(503);
    }, { signal: ac.signal })).rejects.toMatchObject({ status: 503 });
    expect(attempts).toBe(1);
  });
});

describe('shouldRetry', () => {
  it('retries rclone statuses and network errors', () => {
    for (const s of [429, 500, 502, 503, 504, 509]) expect(shouldRetry(httpError(s))).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 420, 460, 501]) expect(shouldRetry(httpError(s))).toBe(false);
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']) {
      expect(shouldRetry(Object.assign(new Error(code), { code }))).toBe(true);
    }
    expect(shouldRetry(new Error('Premature close'))).toBe(true);
    // like rclone, the HTTP status decides even when the JFS <code> differs
    expect(shouldRetry(errorFromResponse({ status: 503, headers: {}, body: '<error><code>404</code><message>m</message></error>' }))).toBe(true);
    expect(shouldRetry(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('never retries aborts, classified jsync errors or plain errors', () => {
    expect(shouldRetry(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(shouldRetry(Object.assign(new Error('aborted'), { code: 'UND_ERR_ABORTED' }))).toBe(false);
    expect(shouldRetry(new JsyncError({ code: 'IO', errorClass: 'noLowLevelRetry', cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(false);
    expect(shouldRetry(new Error('bad thing'))).toBe(false);
    expect(shouldRetry('ECONNRESET')).toBe(false);
    expect(shouldRetry(undefined)).toBe(false);
  });
});
