// rclone's table of services offering "traditional" OAuth (authorization-code flow), jottacloud first.

/** One white-label service. */
export interface WhiteLabelService {
  /** rclone's key (`config_traditional` answer). */
  key: string;
  name: string;
  domain: string;
  realm: string;
  clientId: string;
  scopes: readonly string[];
}

const DEFAULT_SCOPES = ['openid', 'jotta-default', 'offline_access'] as const;
const SHORT_SCOPES = ['openid', 'offline_access'] as const;

/** The services in rclone's order (alphabetical after jottacloud). */
export const WHITE_LABEL_SERVICES: readonly WhiteLabelService[] = [
  { key: 'jottacloud', name: 'Jottacloud', domain: 'id.jottacloud.com', realm: 'jottacloud', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'elgiganten_dk', name: 'Elgiganten Cloud (Denmark)', domain: 'cloud.elgiganten.dk', realm: 'elgiganten', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'elgiganten_se', name: 'Elgiganten Cloud (Sweden)', domain: 'cloud.elgiganten.se', realm: 'elgiganten', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'elkjop', name: 'Elkjøp Cloud (Norway)', domain: 'cloud.elkjop.no', realm: 'elkjop', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'elko', name: 'ELKO Cloud (Iceland)', domain: 'cloud.elko.is', realm: 'elko', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'gigantti', name: 'Gigantti Cloud (Finland)', domain: 'cloud.gigantti.fi', realm: 'gigantti', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'letsgo', name: "Let's Go Cloud (Germany)", domain: 'letsgo.jotta.cloud', realm: 'letsgo', clientId: 'desktop-win', scopes: SHORT_SCOPES },
  { key: 'mediamarkt', name: 'MediaMarkt Cloud (Multiregional)', domain: 'mediamarkt.jottacloud.com', realm: 'mediamarkt', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'onlime', name: 'Onlime (Denmark)', domain: 'cloud-auth.onlime.dk', realm: 'onlime_wl', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'phonero', name: 'Phonero Sky', domain: 'sky.phonero.no', realm: 'phonero', clientId: 'desktop-win', scopes: SHORT_SCOPES },
  { key: 'tele2', name: 'Tele2 Cloud (Sweden)', domain: 'mittcloud-auth.tele2.se', realm: 'comhem', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'telia_no', name: 'Telia Sky (Norway)', domain: 'sky-auth.telia.no', realm: 'get', clientId: 'desktop', scopes: DEFAULT_SCOPES },
  { key: 'telia_se', name: 'Telia Cloud (Sweden)', domain: 'cloud-auth.telia.se', realm: 'telia_se', clientId: 'desktop', scopes: DEFAULT_SCOPES },
];

/** The OpenID discovery URL of `s` (`https://<domain>/auth/realms/<realm>/.well-known/openid-configuration`). */
export const discoveryUrlOf = (s: WhiteLabelService): string => `https://${s.domain}/auth/realms/${s.realm}/.well-known/openid-configuration`;

/** The service whose token endpoint host and realm match a stored `tokenURL` (to recognise a section when reconnecting). */
export function serviceForTokenUrl(tokenUrl: string): WhiteLabelService | undefined {
  let u: URL;
  try {
    u = new URL(tokenUrl);
  } catch {
    return undefined;
  }
  return WHITE_LABEL_SERVICES.find((s) => u.hostname === s.domain && u.pathname.startsWith(`/auth/realms/${s.realm}/`));
}
