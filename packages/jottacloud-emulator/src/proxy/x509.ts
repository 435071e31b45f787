// X.509 v3 certificate writer on node:crypto keys (EC P-256 or RSA), for the proxy's local CA and leaf.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString, boolean, contextExplicit, contextPrimitive, integer, namedBits, nul, octetString, oid,
  readChildren, readElement, sequence, set, time, utf8String, TAG, type Der,
} from './der.js';

/** Distinguished-name attributes we write (common name and organisation). */
export interface DistinguishedName {
  readonly commonName: string;
  readonly organization?: string;
}

/** Everything needed to issue one certificate. */
export interface CertificateRequest {
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly publicKey: KeyObject;
  /** Public key of the issuer (the subject's own for a self-signed CA); feeds the authority key id. */
  readonly issuerPublicKey: KeyObject;
  readonly issuerPrivateKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** true: a CA certificate (basicConstraints CA:true, keyCertSign); false: a TLS server leaf. */
  readonly isCa: boolean;
  /** DNS subjectAltNames of a leaf. */
  readonly dnsNames?: readonly string[];
  /** Serial number; random 128-bit positive by default. */
  readonly serial?: bigint;
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** Encodes a Name as a SEQUENCE of single-attribute RDNs (O first, then CN). */
function encodeName(dn: DistinguishedName): Der {
  const rdns: Der[] = [];
  if (dn.organization !== undefined) rdns.push(set(sequence(oid(OID.organization), utf8String(dn.organization))));
  rdns.push(set(sequence(oid(OID.commonName), utf8String(dn.commonName))));
  return sequence(...rdns);
}

/** The signature AlgorithmIdentifier matching the issuer key's type. */
function signatureAlgorithm(key: KeyObject): Der {
  if (key.asymmetricKeyType === 'ec') return sequence(oid(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === 'rsa') return sequence(oid(OID.sha256WithRsa), nul());
  throw new Error(`x509: unsupported key type ${String(key.asymmetricKeyType)}`);
}

/** SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1). */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const [, bits] = readChildren(readElement(spki).contents);
  if (bits === undefined || bits.tag !== TAG.bitString) throw new Error('x509: malformed SubjectPublicKeyInfo');
  return createHash('sha1').update(bits.contents.subarray(1)).digest();
}

/** One Extension: SEQUENCE { extnID, critical?, extnValue OCTET STRING }. */
function extension(id: string, critical: boolean, value: Der): Der {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

/** The extensions block of a CA or leaf certificate. */
function encodeExtensions(req: CertificateRequest): Der {
  const exts: Der[] = [];
  if (req.isCa) {
    exts.push(extension(OID.basicConstraints, true, sequence(boolean(true), integer(0n))));
    exts.push(extension(OID.keyUsage, true, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])));
  } else {
    exts.push(extension(OID.basicConstraints, true, sequence()));
    const usage = req.publicKey.asymmetricKeyType === 'rsa'
      ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment]
      : [KEY_USAGE.digitalSignature];
    exts.push(extension(OID.keyUsage, true, namedBits(usage)));
    exts.push(extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))));
    const names = req.dnsNames ?? [];
    if (names.length === 0) throw new Error('x509: a leaf certificate needs at least one DNS name');
    exts.push(extension(OID.subjectAltName, false,
      sequence(...names.map((n) => contextPrimitive(2, Buffer.from(n, 'ascii'))))));
  }
  exts.push(extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(req.publicKey))));
  exts.push(extension(OID.authorityKeyIdentifier, false,
    sequence(contextPrimitive(0, keyIdentifier(req.issuerPublicKey)))));
  return contextExplicit(3, sequence(...exts));
}

/** A random positive serial number of 127 bits. */
function randomSerial(): bigint {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return BigInt(`0x${bytes.toString('hex')}`) || 1n;
}

/** Issues a DER-encoded X.509 v3 certificate signed by `issuerPrivateKey`. */
export function issueCertificate(req: CertificateRequest): Buffer {
  const sigAlg = signatureAlgorithm(req.issuerPrivateKey);
  const tbs = sequence(
    contextExplicit(0, integer(2n)),
    integer(req.serial ?? randomSerial()),
    sigAlg,
    encodeName(req.issuer),
    sequence(time(req.notBefore), time(req.notAfter)),
    encodeName(req.subject),
    req.publicKey.export({ type: 'spki', format: 'der' }),
    encodeExtensions(req),
  );
  const signature = sign('sha256', tbs, req.issuerPrivateKey);
  return sequence(tbs, sigAlg, bitString(signature));
}

/** PEM armour for a DER certificate. */
export function certificateToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
