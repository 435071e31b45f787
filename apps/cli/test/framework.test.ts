// The CLI shell: flag errors, argument counts, exit-code mapping, bool-flag normalisation, logger format.
import { describe, expect, it } from 'vitest';
import { dirNotFound, fatalError, jsyncError, noRetryError, objectNotFound, retryError } from '@jsync/core';
import { main, normalizeBoolFlags } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { ExitCode, resolveExitCode } from '../src/exit-codes.js';
import { CliLogger, logDate } from '../src/output/log.js';

describe('jsync shell', () => {
  it('prints the version', async () => {
    const io = memoryIo();
    expect(await main(['version'], { io })).toBe(0);
    expect(io.out()).toMatch(/^jsync v\d+\.\d+\.\d+\n/);
  });

  it('rejects an unknown flag like rclone (usage, Fatal error line, exit 1)', async () => {
    const io = memoryIo();
    expect(await main(['version', '--foo'], { io })).toBe(1);
    expect(io.err()).toContain('Error: unknown flag: --foo\nUsage:\n  jsync version');
    expect(io.err()).toMatch(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Fatal error: unknown flag: --foo\n$/);
    expect(io.out()).toBe('');
  });

  it('rejects an unknown command', async () => {
    const io = memoryIo();
    expect(await main(['lsx', '/tmp'], { io })).toBe(1);
    expect(io.err()).toContain('Error: unknown command "lsx" for "jsync"');
  });

  it('checks argument counts with rclone messages', async () => {
    const io = memoryIo();
    expect(await main(['version', 'a', 'b'], { io })).toBe(1);
    expect(io.err()).toContain('Command version needs 0 arguments maximum: you provided 2 non flag arguments: ["a" "b"]');
    const io2 = memoryIo();
    expect(await main(['about'], { io: io2 })).toBe(1);
    expect(io2.err()).toContain('Command about needs 1 arguments minimum: you provided 0 non flag arguments: []');
  });

  it('refuses -v together with -q', async () => {
    const io = memoryIo();
    expect(await main(['version', '-v', '-q'], { io })).toBe(1);
    expect(io.err()).toContain("can't set -v and -q");
  });
});

describe('normalizeBoolFlags', () => {
  const flags = new Set(['fast-list', 'copy-links']);
  it('turns --flag=false into --no-flag and --flag=true into --flag', () => {
    expect(normalizeBoolFlags(['--fast-list=false', '--copy-links=true', '--other=false', 'x'], flags)).toEqual(['--no-fast-list', '--copy-links', '--other=false', 'x']);
  });
  it('leaves everything after -- alone', () => {
    expect(normalizeBoolFlags(['--', '--fast-list=false'], flags)).toEqual(['--', '--fast-list=false']);
  });
});

describe('resolveExitCode', () => {
  it('follows rclone order', () => {
    expect(resolveExitCode(undefined)).toBe(ExitCode.SUCCESS);
    expect(resolveExitCode(dirNotFound('x'))).toBe(3);
    expect(resolveExitCode(new Error('wrapped', { cause: objectNotFound('x') }))).toBe(4);
    expect(resolveExitCode(jsyncError('MAX_TRANSFER_REACHED'))).toBe(8);
    expect(resolveExitCode(retryError(new Error('net')))).toBe(5);
    expect(resolveExitCode(noRetryError(new Error('perm')))).toBe(6);
    expect(resolveExitCode(fatalError(new Error('overlap')))).toBe(7);
    expect(resolveExitCode(new Error('anything else'))).toBe(1);
    expect(resolveExitCode(jsyncError('NOT_FOUND_IN_CONFIG_FILE'))).toBe(1);
  });
});

describe('CliLogger', () => {
  const at = new Date(2026, 10, 22, 1, 56, 4);
  it('writes rclone text lines with padded levels and subjects', () => {
    const io = memoryIo();
    const l = new CliLogger({ stderr: io.stderr, level: 'INFO', now: () => at });
    l.log('INFO', 'a.txt', 'Copied (new)');
    l.log('ERROR', '', 'error listing: directory not found');
    l.log('NOTICE', undefined, 'There was nothing to transfer');
    l.log('DEBUG', 'x', 'hidden at INFO');
    l.plain('Failed to ls: directory not found');
    const d = logDate(at);
    expect(io.err()).toBe(
      `${d} INFO  : a.txt: Copied (new)\n${d} ERROR : : error listing: directory not found\n${d} NOTICE: There was nothing to transfer\n${d} Failed to ls: directory not found\n`,
    );
  });
  it('writes sorted-key JSON with rclone level names', () => {
    const io = memoryIo();
    const l = new CliLogger({ stderr: io.stderr, json: true, now: () => at });
    l.log('NOTICE', 'obj', 'hello', { stats: { bytes: 1 } });
    const rec = JSON.parse(io.err());
    expect(Object.keys(rec)).toEqual(['level', 'msg', 'object', 'stats', 'time']);
    expect(rec.level).toBe('warning');
  });
});
