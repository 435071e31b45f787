// Leak detection for secrets tests: every form in which a credential could show up in output (raw, URL/form
// encoded, JSON-escaped, base64, JWT segments and pieces of them), and a search that names what leaked where.
// Shared with apps/cli/test/secrets-*.test.ts (imported by path).

/** A secret to look for, with a name for failure messages. */
export interface Secret {
  name: string;
  value: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

function decodeSegment(seg: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The forms of `value` worth searching for: the value, its URL/form/JSON encodings, base64 and base64url of it; for
 * JWT-shaped values also the payload and signature segments (not the header: every token shares it), the first and
 * last 8 characters of the signature, and the `jti`/`sid` claims; for opaque values of 16+ characters their first
 * and last 8 characters (a cut-off token, or the 10-character excerpt V8 quotes in JSON errors). Forms under 8
 * characters are dropped.
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+'), JSON.stringify(value).slice(1, -1)]);
  forms.add(b64(value));
  forms.add(b64(value).replace(/=+$/, ''));
  forms.add(b64url(value));
  const segs = value.split('.');
  if (segs.length === 3 && decodeSegment(segs[0]!) !== undefined) {
    const [, payload, sig] = segs as [string, string, string];
    forms.add(payload);
    forms.add(sig);
    if (sig.length >= 16) {
      forms.add(sig.slice(0, 8));
      forms.add(sig.slice(-8));
    }
    const claims = decodeSegment(payload) ?? {};
    for (const k of ['jti', 'sid']) if (typeof claims[k] === 'string') forms.add(claims[k]);
  } else if (value.length >= 16) {
    forms.add(value.slice(0, 8));
    forms.add(value.slice(-8));
  }
  return [...forms].filter((f) => f.length >= 8);
}

/** Secrets inside a personal login token: the token itself and its `auth_token`. */
export function loginTokenSecrets(loginToken: string, name = 'login token'): Secret[] {
  const decoded = JSON.parse(Buffer.from(loginToken, 'base64url').toString('utf8')) as { auth_token: string };
  return [
    { name, value: loginToken },
    { name: `${name} auth_token`, value: decoded.auth_token },
  ];
}

/** The access and refresh token of a stored rclone token JSON (`token = {...}`) found in config text. */
export function configTokenSecrets(configText: string, label = 'config'): Secret[] {
  const out: Secret[] = [];
  for (const m of configText.matchAll(/^token = (\{.*\})$/gm)) {
    const t = JSON.parse(m[1]!) as { access_token?: string; refresh_token?: string };
    if (t.access_token) out.push({ name: `${label} access_token`, value: t.access_token });
    if (t.refresh_token) out.push({ name: `${label} refresh_token`, value: t.refresh_token });
  }
  return out;
}

/** One leak: which secret, in which form, where, and the text around it. */
export interface Leak {
  secret: string;
  form: string;
  where: string;
  context: string;
}

/** Every form of every secret found in `text` (empty when nothing leaked). */
export function findLeaks(text: string, secrets: readonly Secret[], where: string): Leak[] {
  const leaks: Leak[] = [];
  for (const s of secrets) {
    for (const form of secretForms(s.value)) {
      const at = text.indexOf(form);
      if (at >= 0) leaks.push({ secret: s.name, form, where, context: text.slice(Math.max(0, at - 80), at + form.length + 20) });
    }
  }
  return leaks;
}

/** Base64 JSON runs (JWTs, login tokens) of 20+ characters: tokens the test could not know in advance. */
export const TOKEN_SHAPED = /eyJ[A-Za-z0-9_+/-]{17,}/g;

/** Leaks of token-shaped strings nobody harvested (e.g. a token inside a truncated answer). */
export function findTokenShaped(text: string, where: string): Leak[] {
  return [...text.matchAll(TOKEN_SHAPED)].map((m) => ({
    secret: 'token-shaped string', form: m[0], where, context: text.slice(Math.max(0, m.index - 80), m.index + m[0].length + 20),
  }));
}

/** A readable report of leaks for assertion messages. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.secret} as ${JSON.stringify(l.form.slice(0, 40))} in ${l.where}: …${l.context.replace(/\n/g, '⏎')}…`).join('\n');
}
