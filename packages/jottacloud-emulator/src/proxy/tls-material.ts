// The proxy's local CA and its *.jottacloud.com leaf: generated on first use, persisted in a directory, reused after.
import { X509Certificate, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { certificateToPem, issueCertificate, type DistinguishedName } from './x509.js';

/** Host names the leaf certificate covers. */
export const LEAF_DNS_NAMES: readonly string[] = ['*.jottacloud.com', 'jottacloud.com'];

/** File names inside the TLS directory. */
export const TLS_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  leafCert: 'server.pem',
  leafKey: 'server-key.pem',
} as const;

/** Key algorithm for generated keys. */
export type TlsKeyType = 'ec' | 'rsa';

/** Loaded TLS material, PEM-encoded. */
export interface TlsMaterial {
  readonly caCertPath: string;
  readonly caCertPem: string;
  /** Leaf certificate followed by the CA certificate. */
  readonly leafChainPem: string;
  readonly leafKeyPem: string;
}

const CA_NAME: DistinguishedName = { commonName: 'jsync Jottacloud emulator local CA', organization: 'jsync' };
const LEAF_NAME: DistinguishedName = { commonName: '*.jottacloud.com', organization: 'jsync Jottacloud emulator' };
const DAY_MS = 86_400_000;
const CA_LIFETIME_DAYS = 3650;
const LEAF_LIFETIME_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

/** Writes a file atomically (temp file, fsync, rename) with the given mode. */
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Reads a file, or undefined when it does not exist. */
function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A fresh key pair of the requested type. */
function newKeyPair(type: TlsKeyType): { publicKey: KeyObject; privateKey: KeyObject } {
  return type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** A parsed certificate + key pair, or undefined when it is missing, mismatched or close to expiry. */
function loadPair(dir: string, certFile: string, keyFile: string): { cert: X509Certificate; key: KeyObject; pem: string; keyPem: string } | undefined {
  const pem = readOptional(join(dir, certFile));
  const keyPem = readOptional(join(dir, keyFile));
  if (pem === undefined || keyPem === undefined) return undefined;
  try {
    const cert = new X509Certificate(pem);
    const key = createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) return undefined;
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_DAYS * DAY_MS) return undefined;
    chmodSync(join(dir, keyFile), 0o600);
    return { cert, key, pem, keyPem };
  } catch {
    return undefined;
  }
}

/** Holds an exclusive lock file while `fn` runs (stale locks older than 30 s are broken). */
async function withLock<T>(dir: string, fn: () => T): Promise<T> {
  const lock = join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000 || attempt > 600) unlinkSync(lock);
      } catch { /* lock vanished meanwhile */ }
      await delay(50);
    }
  }
  try {
    return fn();
  } finally {
    try { unlinkSync(lock); } catch { /* already gone */ }
  }
}

/** Loads or (re)creates the CA and leaf in `dir`; the CA is kept as long as it is valid. */
function ensureSync(dir: string, keyType: TlsKeyType): TlsMaterial {
  const now = Date.now();
  const notBefore = new Date(now - DAY_MS);
  let ca = loadPair(dir, TLS_FILES.caCert, TLS_FILES.caKey);
  if (ca === undefined || !ca.cert.ca) {
    const keys = newKeyPair(keyType);
    const der = issueCertificate({
      subject: CA_NAME, issuer: CA_NAME, publicKey: keys.publicKey, issuerPublicKey: keys.publicKey,
      issuerPrivateKey: keys.privateKey, notBefore, notAfter: new Date(now + CA_LIFETIME_DAYS * DAY_MS), isCa: true,
    });
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pem = certificateToPem(der);
    writeAtomic(join(dir, TLS_FILES.caKey), keyPem, 0o600);
    writeAtomic(join(dir, TLS_FILES.caCert), pem, 0o644);
    ca = { cert: new X509Certificate(pem), key: keys.privateKey, pem, keyPem };
  }
  let leaf = loadPair(dir, TLS_FILES.leafCert, TLS_FILES.leafKey);
  const leafOk = leaf !== undefined && leaf.cert.verify(ca.cert.publicKey) && leaf.cert.checkIssued(ca.cert)
    && LEAF_DNS_NAMES.every((n) => leaf?.cert.checkHost(n.replace('*', 'x')) !== undefined);
  if (!leafOk || leaf === undefined) {
    const keys = newKeyPair(keyType);
    const der = issueCertificate({
      subject: LEAF_NAME, issuer: CA_NAME, publicKey: keys.publicKey, issuerPublicKey: ca.cert.publicKey,
      issuerPrivateKey: ca.key, notBefore, notAfter: new Date(now + LEAF_LIFETIME_DAYS * DAY_MS), isCa: false,
      dnsNames: LEAF_DNS_NAMES,
    });
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pem = certificateToPem(der);
    writeAtomic(join(dir, TLS_FILES.leafKey), keyPem, 0o600);
    writeAtomic(join(dir, TLS_FILES.leafCert), pem, 0o644);
    leaf = { cert: new X509Certificate(pem), key: keys.privateKey, pem, keyPem };
  }
  return {
    caCertPath: join(dir, TLS_FILES.caCert),
    caCertPem: ca.pem,
    leafChainPem: leaf.pem + ca.pem,
    leafKeyPem: leaf.keyPem,
  };
}

/** Options for {@link ensureTlsMaterial}. */
export interface EnsureTlsOptions {
  readonly dir: string;
  /** Key algorithm for newly generated keys (default 'ec', P-256). */
  readonly keyType?: TlsKeyType;
}

/** Loads the CA + leaf from `dir`, generating (and persisting) whatever is missing, invalid or near expiry. */
export async function ensureTlsMaterial(opts: EnsureTlsOptions): Promise<TlsMaterial> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  return withLock(opts.dir, () => ensureSync(opts.dir, opts.keyType ?? 'ec'));
}
