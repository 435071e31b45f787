// Masking credentials in text that is about to be logged or shown: OAuth tokens, passwords, Authorization values.
// Used by log sinks and by HTTP dumps/error messages; pattern-based, plus exact values the caller knows are secret.

/** What a masked secret is replaced with. */
export const SECRET_MASK = 'XXXX';

/** JSON field / form parameter names whose values are credentials (OAuth, personal login tokens, passwords). */
export const SECRET_FIELD_NAMES: readonly string[] = ['access_token', 'refresh_token', 'id_token', 'password', 'auth_token', 'client_secret'];

/** Options of {@link redactCredentials}. */
export interface RedactOptions {
  /** Exact secret values to mask wherever they occur (raw, URL/form-encoded, JSON-escaped); values under 6 characters are ignored. */
  values?: Iterable<string>;
  /** Field names to mask in JSON and form text. @default SECRET_FIELD_NAMES */
  fields?: readonly string[];
}

// base64url/base64 of JSON (`{"` encodes to `eyJ`): JWTs (three dot-separated segments, possibly cut short) and
// personal login tokens. Anything shorter than 19 characters is too short to be a credential.
const JSON_B64 = /eyJ[A-Za-z0-9_+/-]{16,}(?:\.[A-Za-z0-9_+/-]*){0,2}=*/g;
// `Authorization: Bearer …` / `Basic …` values in free text (echoed headers, error pages); the credential must look
// like one (16+ characters with a digit or punctuation) so that prose such as "Basic authentication" stays.
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{16,})/gi;

const cache = new Map<string, { json: RegExp; escaped: RegExp; form: RegExp }>();

function fieldPatterns(fields: readonly string[]): { json: RegExp; escaped: RegExp; form: RegExp } {
  const key = fields.join('|');
  let p = cache.get(key);
  if (p === undefined) {
    const names = fields.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    p = {
      // "name": "value", up to the closing quote or the end of the text (a truncated body).
      json: new RegExp(`("(?:${names})"\\s*:\\s*")(?:[^"\\\\]|\\\\[\\s\\S])*`, 'gi'),
      // the same inside an escaped JSON string: \"name\":\"value\"
      escaped: new RegExp(`(\\\\"(?:${names})\\\\"\\s*:\\s*\\\\")(?:[^"\\\\]|\\\\(?!")[\\s\\S])*`, 'gi'),
      // name=value in forms, query strings and free text.
      form: new RegExp(`(^|[?&\\s;,(\\["'])((?:${names})=)[^&\\s"',;)\\]]*`, 'gim'),
    };
    cache.set(key, p);
  }
  return p;
}

function encodings(value: string): string[] {
  const form = encodeURIComponent(value).replace(/%20/g, '+');
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, encodeURIComponent(value), form, json, json.replace(/\//g, '\\/')])];
}

/**
 * Masks credentials in `text` with {@link SECRET_MASK}: the given exact `values` (and their URL/form/JSON encodings),
 * `Bearer`/`Basic` credentials, base64 JSON tokens (JWT access/refresh/id tokens, personal login tokens, also when
 * cut short), and the values of secret JSON fields / form parameters ({@link SECRET_FIELD_NAMES}).
 */
export function redactCredentials(text: string, opts: RedactOptions = {}): string {
  let out = text;
  if (opts.values !== undefined) {
    const needles = [...opts.values].filter((v) => v.length >= 6).flatMap(encodings).sort((a, b) => b.length - a.length);
    for (const n of needles) if (out.includes(n)) out = out.split(n).join(SECRET_MASK);
  }
  const { json, escaped, form } = fieldPatterns(opts.fields ?? SECRET_FIELD_NAMES);
  return out
    .replace(json, `$1${SECRET_MASK}`)
    .replace(escaped, `$1${SECRET_MASK}`)
    .replace(form, `$1$2${SECRET_MASK}`)
    .replace(AUTH_SCHEME, (whole, scheme: string, space: string, cred: string) =>
      /[\d._~+/=-]/.test(cred) ? `${scheme}${space}${SECRET_MASK}` : whole)
    .replace(JSON_B64, SECRET_MASK);
}
