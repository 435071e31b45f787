// Go's URL escaping as rclone applies it on the Jottacloud wire: request paths (url.URL.EscapedPath, then '+' → %2B)
// and query strings (url.Values.Encode).

const HEX = '0123456789ABCDEF';
const utf8 = new TextEncoder();

/** RFC 3986 unreserved bytes: A–Z a–z 0–9 - _ . ~ (never escaped by Go). */
function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e
  );
}

/** Bytes Go keeps in a path besides the unreserved ones: `$ & , / : ; = @` (and `+`, which rclone escapes for Jottacloud). */
const PATH_KEEP = new Set([0x24, 0x26, 0x2c, 0x2f, 0x3a, 0x3b, 0x3d, 0x40]);

function escapeWith(raw: string, keep: (b: number) => boolean, spaceAsPlus: boolean): string {
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80 || !keep(c)) {
      plain = false;
      break;
    }
  }
  if (plain) return raw;
  let out = '';
  for (const b of utf8.encode(raw)) {
    if (keep(b)) out += String.fromCharCode(b);
    else if (spaceAsPlus && b === 0x20) out += '+';
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/**
 * Escapes a raw JFS path for the request line as rclone does: Go URL path escaping (keeps `A-Za-z0-9-_.~` and
 * `$&,/:;=@`; UTF-8 bytes of everything else become `%XX`), and `+` becomes `%2B` because Jottacloud reads `+` as a space.
 */
export function escapeJfsPath(raw: string): string {
  return escapeWith(raw, (b) => isUnreserved(b) || PATH_KEEP.has(b), false);
}

/** Go `url.QueryEscape`: form encoding (space → `+`, everything but `A-Za-z0-9-_.~` → `%XX`). */
export function queryEscape(raw: string): string {
  return escapeWith(raw, isUnreserved, true);
}

/** Go `url.Values.Encode` for single-valued parameters: keys sorted by their UTF-8 bytes, `k=v` pairs joined by `&`. */
export function encodeQuery(q: Readonly<Record<string, string>>): string {
  const keys = Object.keys(q).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return keys.map((k) => `${queryEscape(k)}=${queryEscape(q[k] ?? '')}`).join('&');
}
