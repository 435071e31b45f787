// The process surface the CLI talks to, injectable so commands run in-process in tests.

/** A writable text/byte sink (stdout, stderr, a log file). */
export interface Sink {
  write(chunk: string | Uint8Array): unknown;
  /** True when attached to a terminal. */
  isTTY?: boolean;
  /** Terminal width when a TTY. */
  columns?: number;
}

/** Everything the CLI reads from or writes to the outside world. */
export interface CliIo {
  stdout: Sink;
  stderr: Sink;
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    homeDir: process.env['HOME'] ?? '/',
  };
}

/** An in-memory io for tests: collects stdout/stderr bytes. */
export function memoryIo(opts: { env?: Record<string, string | undefined>; stdin?: string; cwd?: string; homeDir?: string } = {}): CliIo & { out(): string; err(): string; outBytes(): Buffer } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const toBuf = (c: string | Uint8Array) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
  return {
    stdout: { write: (c) => out.push(toBuf(c)) },
    stderr: { write: (c) => err.push(toBuf(c)) },
    stdin: (async function* () {
      if (opts.stdin !== undefined) yield Buffer.from(opts.stdin, 'utf8');
    })(),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    homeDir: opts.homeDir ?? '/nonexistent-home',
    out: () => Buffer.concat(out).toString('utf8'),
    err: () => Buffer.concat(err).toString('utf8'),
    outBytes: () => Buffer.concat(out),
  };
}
