// XML character data decoding as Go's encoding/xml does it: line ends, the five XML entities, numeric character
// references and (lenient mode, rclone's DecodeXML: Strict=false, Entity=HTMLEntity) the HTML 4 entities.

// HTML 4.01 Latin-1 entities, U+00A0..U+00FF in order.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro ' +
  'para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil ' +
  'Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave ' +
  'Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml ' +
  'igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

// HTML 4.01 symbol and special entities as name:hex code point (lang/rang are U+2329/U+232A as in HTML 4).
const OTHERS =
  'fnof:192 Alpha:391 Beta:392 Gamma:393 Delta:394 Epsilon:395 Zeta:396 Eta:397 Theta:398 Iota:399 Kappa:39a ' +
  'Lambda:39b Mu:39c Nu:39d Xi:39e Omicron:39f Pi:3a0 Rho:3a1 Sigma:3a3 Tau:3a4 Upsilon:3a5 Phi:3a6 Chi:3a7 Psi:3a8 ' +
  'Omega:3a9 alpha:3b1 beta:3b2 gamma:3b3 delta:3b4 epsilon:3b5 zeta:3b6 eta:3b7 theta:3b8 iota:3b9 kappa:3ba ' +
  'lambda:3bb mu:3bc nu:3bd xi:3be omicron:3bf pi:3c0 rho:3c1 sigmaf:3c2 sigma:3c3 tau:3c4 upsilon:3c5 phi:3c6 ' +
  'chi:3c7 psi:3c8 omega:3c9 thetasym:3d1 upsih:3d2 piv:3d6 bull:2022 hellip:2026 prime:2032 Prime:2033 oline:203e ' +
  'frasl:2044 weierp:2118 image:2111 real:211c trade:2122 alefsym:2135 larr:2190 uarr:2191 rarr:2192 darr:2193 ' +
  'harr:2194 crarr:21b5 lArr:21d0 uArr:21d1 rArr:21d2 dArr:21d3 hArr:21d4 forall:2200 part:2202 exist:2203 ' +
  'empty:2205 nabla:2207 isin:2208 notin:2209 ni:220b prod:220f sum:2211 minus:2212 lowast:2217 radic:221a ' +
  'prop:221d infin:221e ang:2220 and:2227 or:2228 cap:2229 cup:222a int:222b there4:2234 sim:223c cong:2245 ' +
  'asymp:2248 ne:2260 equiv:2261 le:2264 ge:2265 sub:2282 sup:2283 nsub:2284 sube:2286 supe:2287 oplus:2295 ' +
  'otimes:2297 perp:22a5 sdot:22c5 lceil:2308 rceil:2309 lfloor:230a rfloor:230b lang:2329 rang:232a loz:25ca ' +
  'spades:2660 clubs:2663 hearts:2665 diams:2666 OElig:152 oelig:153 Scaron:160 scaron:161 Yuml:178 circ:2c6 ' +
  'tilde:2dc ensp:2002 emsp:2003 thinsp:2009 zwnj:200c zwj:200d lrm:200e rlm:200f ndash:2013 mdash:2014 ' +
  'lsquo:2018 rsquo:2019 sbquo:201a ldquo:201c rdquo:201d bdquo:201e dagger:2020 Dagger:2021 permil:2030 ' +
  'lsaquo:2039 rsaquo:203a euro:20ac';

const XML_ENTITIES: ReadonlyMap<string, string> = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['apos', "'"], ['quot', '"']]);

let htmlEntities: Map<string, string> | undefined;

function htmlEntity(name: string): string | undefined {
  if (!htmlEntities) {
    htmlEntities = new Map();
    LATIN1.split(' ').forEach((n, i) => htmlEntities!.set(n, String.fromCharCode(0xa0 + i)));
    for (const pair of OTHERS.split(' ')) {
      const [n, hex] = pair.split(':') as [string, string];
      htmlEntities.set(n, String.fromCodePoint(parseInt(hex, 16)));
    }
  }
  return htmlEntities.get(name);
}

/** The number of HTML entities known in lenient mode (for tests). */
export function htmlEntityCount(): number {
  htmlEntity('nbsp');
  return htmlEntities!.size;
}

/** XML 1.0 `Char`: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** A malformed character reference or an illegal character; callers wrap it into their IO error. */
export class XmlTextError extends Error {
  override name = 'XmlTextError';
}

// Raw characters XML forbids (lone surrogates cannot come out of a UTF-8 decoder).
const ILLEGAL_RAW = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const NEEDS_WORK = /[&\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const REFERENCE = /&(?:#([0-9]+);|#x([0-9a-fA-F]+);|([A-Za-z_:][-A-Za-z0-9_.:]*);)?/g;

function describe(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Decodes raw character data or an attribute value: CR LF and lone CR become LF, entity and character references are
 * replaced. `strict` (Go's default decoder, used by rclone for liststream) rejects unknown entities and a bare `&`;
 * lenient mode (rclone's DecodeXML) also knows the HTML 4 entities and keeps anything unknown literally.
 * Characters outside XML's `Char` range are errors in both modes. Throws {@link XmlTextError}.
 */
export function decodeXmlText(raw: string, strict: boolean): string {
  if (!NEEDS_WORK.test(raw)) return raw;
  const bad = ILLEGAL_RAW.exec(raw);
  if (bad) throw new XmlTextError(`illegal character code ${describe(bad[0].charCodeAt(0))}`);
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined || hex !== undefined) {
      const digits = (dec ?? hex) as string;
      const cp = digits.length > 8 ? Infinity : parseInt(digits, dec !== undefined ? 10 : 16);
      if (cp > 0x10ffff) {
        if (strict) throw new XmlTextError(`invalid character entity ${whole}`);
        return whole;
      }
      // Go turns a surrogate code point into U+FFFD (string(rune(n))).
      const ch = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
      if (!isXmlChar(ch)) throw new XmlTextError(`illegal character code ${describe(ch)}`);
      return String.fromCodePoint(ch);
    }
    if (name !== undefined) {
      const v = XML_ENTITIES.get(name) ?? (strict ? undefined : htmlEntity(name));
      if (v !== undefined) return v;
    }
    if (strict) throw new XmlTextError(`invalid character entity ${whole}${whole.endsWith(';') ? '' : ' (no semicolon)'}`);
    return whole;
  });
}
