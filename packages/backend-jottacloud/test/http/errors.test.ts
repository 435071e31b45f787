import { describe, expect, it } from 'vitest';
import { JsyncError, errorClassOf, isJsyncError, jsyncError } from '@jsync/core';
import {
  JottaApiError, errorFromResponse, goQuote, httpStatusOf, parseRetryAfter, parseXmlError, MAX_RETRY_AFTER_MS,
} from '../../src/http/errors.js';

const xmlError = (code: number, message: string, reason: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<error><code>${code}</code><message>${message}</message>` +
  `<reason>${reason}</reason><cause></cause><hostname>backend-1</hostname><x-id>123</x-id></error>`;

describe('JFS XML errors', () => {
  it('formats `error <code>: <message> (<reason>)` and keeps the fields', () => {
    const body = xmlError(404, 'no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/a &amp; b does not exist', 'Not Found');
    const err = errorFromResponse({ status: 404, statusText: 'Not Found', headers: {}, body });
    expect(err.message).toBe('error 404: no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/a & b does not exist (Not Found)');
    expect(err.status).toBe(404);
    expect(err.reason).toBe('Not Found');
    expect(err.errorId).toBe('NoSuchFileException');
    expect(err.code).toBe('IO');
    expect(err.errorClass).toBeUndefined();
    expect(err).toBeInstanceOf(JottaApiError);
    expect(err).toBeInstanceOf(JsyncError);
    expect(isJsyncError(err, 'IO')).toBe(true);
  });

  it('takes the status from <code> when non-zero, else from HTTP; retry class follows the HTTP status', () => {
    const mixed = errorFromResponse({ status: 500, headers: {}, body: xmlError(404, 'x', 'Not Found') });
    expect([mixed.status, mixed.httpStatus, mixed.errorClass]).toEqual([404, 500, 'retry']);
    expect(errorFromResponse({ status: 500, statusText: 'Internal Server Error', headers: {}, body: xmlError(0, 'boom', '') }).status).toBe(500);
  });

  it('uses the status line when the message is empty or the body is not XML (requests under /jfs/)', () => {
    expect(errorFromResponse({ status: 503, statusText: 'Service Unavailable', headers: {}, body: xmlError(503, '', '') }).message).toBe(
      'error 503: 503 Service Unavailable',
    );
    const html = errorFromResponse({ status: 502, statusText: 'Bad Gateway', headers: {}, body: '<html>oops</html>', jfs: true });
    expect(html.message).toBe('error 502: 502 Bad Gateway');
    expect(html.errorClass).toBe('retry');
  });

  it('tolerates whitespace, attributes, CDATA, numeric entities and self-closing children', () => {
    const body = '\uFEFF <error>\n  <code> 400 </code>\n  <message xml:space="preserve"><![CDATA[bad <arg>]]> &#x263A;&#65;</message>\n  <reason/>\n</error>';
    expect(parseXmlError(body)).toEqual({ code: 400, message: 'bad <arg> ☺A', reason: '' });
    expect(parseXmlError('<folder name="x"/>')).toBeUndefined();
  });
});

describe('api-host and OAuth errors', () => {
  it('formats rclone default `HTTP error <status> (<status line>) returned body: "<body>"`', () => {
    const body = '{"code":400,"message":"bad path","error_id":"InvalidArgumentException","x-id":"7"}';
    const err = errorFromResponse({ status: 400, statusText: 'Bad Request', headers: {}, body });
    expect(err.message).toBe(`HTTP error 400 (400 Bad Request) returned body: ${JSON.stringify(body)}`);
    expect(err.jfsMessage).toBe('bad path');
    expect(err.errorId).toBe('InvalidArgumentException');
  });

  it('reads OAuth {error, error_description}', () => {
    const err = errorFromResponse({ status: 400, statusText: 'Bad Request', headers: {}, body: '{"error":"invalid_grant","error_description":"Token is not active"}' });
    expect(err.errorId).toBe('invalid_grant');
    expect(err.jfsMessage).toBe('Token is not active');
    expect(err.message).toContain('returned body: "{\\"error\\":\\"invalid_grant\\"');
  });

  it('quotes bodies like Go %q', () => {
    expect(goQuote('a"b\\c\n\t\x01é😀\u00a0')).toBe('"a\\"b\\\\c\\n\\t\\x01é😀\\u00a0"');
  });
});

describe('classification', () => {
  it('retryable statuses are class retry, other 4xx and 5xx unclassified (rclone: whole-operation retries, exit 1)', () => {
    for (const s of [429, 500, 502, 503, 504, 509]) expect(errorFromResponse({ status: s, headers: {}, body: '' }).errorClass).toBe('retry');
    for (const s of [400, 401, 403, 404, 409, 420]) expect(errorFromResponse({ status: s, headers: {}, body: '' }).errorClass).toBeUndefined();
    expect(errorFromResponse({ status: 501, headers: {}, body: '' }).errorClass).toBeUndefined();
  });

  it('quota: HTTP 460 or QuotaExceeded in message/error_id → QUOTA_EXCEEDED, fatal', () => {
    const a = errorFromResponse({ status: 460, statusText: '', headers: {}, body: xmlError(460, 'no.jotta.backup.errors.QuotaExceededException: Quota exceeded: 10 of 5 bytes used', '') });
    expect(a.code).toBe('QUOTA_EXCEEDED');
    expect(a.errorClass).toBe('fatal');
    expect(a.message).toBe('quota exceeded: error 460: no.jotta.backup.errors.QuotaExceededException: Quota exceeded: 10 of 5 bytes used');
    const b = errorFromResponse({ status: 403, statusText: 'Forbidden', headers: {}, body: '{"error_id":"QuotaExceededException","message":"full"}' });
    expect(b.code).toBe('QUOTA_EXCEEDED');
    expect(b.message).toMatch(/^quota exceeded: HTTP error 403 \(403 Forbidden\) returned body: /);
    expect(errorClassOf(b)).toBe('fatal');
  });

  it('httpStatusOf walks the cause chain; other jsync errors are not API errors', () => {
    const api = errorFromResponse({ status: 404, headers: {}, body: '' });
    const wrapped = new JsyncError({ code: 'OBJECT_NOT_FOUND', cause: new Error('x', { cause: api }) });
    expect(httpStatusOf(wrapped)).toBe(404);
    expect(httpStatusOf(new Error('plain'))).toBeUndefined();
    expect(jsyncError('IO')).not.toBeInstanceOf(JottaApiError);
  });
});

describe('Retry-After', () => {
  it('parses seconds and HTTP dates, capped at 5 minutes', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('lands on the error', () => {
    const err = errorFromResponse({ status: 429, headers: { 'retry-after': '7' }, body: '' });
    expect(err.retryAfterMs).toBe(7000);
  });
});
