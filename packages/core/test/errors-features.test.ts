import { describe, expect, it } from 'vitest';
import {
  JsyncError, allFeatureNames, dirNotFound, errorClassOf, fatalError, fillFeatures, findJsyncError, isJsyncError,
  noRetryError, objectNotFound,
} from '../src/index.js';

describe('errors', () => {
  it('carry rclone messages and codes', () => {
    expect(objectNotFound('a/b').message).toBe('object not found');
    expect(dirNotFound('x').code).toBe('DIR_NOT_FOUND');
    expect(dirNotFound('x').context).toEqual({ remote: 'x' });
  });
  it('are detected through the brand and the cause chain, not the class identity', () => {
    const foreign = { [Symbol.for('jsync.error')]: true, code: 'OBJECT_NOT_FOUND' };
    expect(foreign instanceof JsyncError).toBe(true);
    const wrapped = new Error('outer', { cause: objectNotFound('z') });
    expect(isJsyncError(wrapped, 'OBJECT_NOT_FOUND')).toBe(true);
    expect(isJsyncError(wrapped, 'DIR_NOT_FOUND')).toBe(false);
    expect(findJsyncError(wrapped)?.code).toBe('OBJECT_NOT_FOUND');
    expect(isJsyncError(new Error('plain'))).toBe(false);
  });
  it('classify for retries', () => {
    expect(errorClassOf(new Error('x'))).toBe('retry');
    expect(errorClassOf(fatalError(new Error('x')))).toBe('fatal');
    const nr = noRetryError(dirNotFound('d'));
    expect(nr.code).toBe('DIR_NOT_FOUND');
    expect(errorClassOf(new Error('wrap', { cause: nr }))).toBe('noRetry');
  });
  it('serialise to JSON', () => {
    expect(JSON.parse(JSON.stringify(objectNotFound('f')))).toEqual({ name: 'JsyncError', code: 'OBJECT_NOT_FOUND', message: 'object not found', context: { remote: 'f' } });
  });
});

describe('fillFeatures', () => {
  class Fake {
    calls = 0;
    async purge(): Promise<void> {
      this.calls++;
    }
    async about() {
      return { used: 1 };
    }
  }
  it('detects optional methods once and binds them', async () => {
    const f = new Fake();
    const features = fillFeatures(f, { flags: { caseInsensitive: true } });
    expect(features.caseInsensitive).toBe(true);
    expect(features.canHaveEmptyDirectories).toBe(false);
    expect(features.copy).toBeUndefined();
    await features.purge!('x');
    expect(f.calls).toBe(1);
    expect(Object.isFrozen(features)).toBe(true);
  });
  it('applies --disable in either spelling', () => {
    const features = fillFeatures(new Fake(), { flags: { caseInsensitive: true }, disable: ['Purge', 'caseinsensitive'] });
    expect(features.purge).toBeUndefined();
    expect(features.about).toBeDefined();
    expect(features.caseInsensitive).toBe(false);
  });
  it('lists every feature name in rclone spelling', () => {
    const names = allFeatureNames();
    expect(names).toContain('ListR');
    expect(names).toContain('CaseInsensitive');
    expect(names).toContain('DirMove');
  });
});
