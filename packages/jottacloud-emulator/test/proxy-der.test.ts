// The DER/X.509 writer behind the proxy's local CA: exact encodings and certificates node:crypto accepts.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boolean, integer, namedBits, octetString, oid, readChildren, readElement, sequence, set, time, TAG, tlv } from '../src/proxy/der.js';
import { certificateToPem, issueCertificate, keyIdentifier } from '../src/proxy/x509.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('der writer', () => {
  it('encodes lengths in short and long form', () => {
    expect(hex(tlv(TAG.octetString, Buffer.alloc(127)).subarray(0, 2))).toBe('047f');
    expect(hex(tlv(TAG.octetString, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(TAG.octetString, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
    expect(hex(tlv(TAG.octetString, Buffer.alloc(70_000)).subarray(0, 5))).toBe('0483011170');
  });

  it('encodes INTEGERs minimally and non-negative', () => {
    expect(hex(integer(0n))).toBe('020100');
    expect(hex(integer(127n))).toBe('02017f');
    expect(hex(integer(128n))).toBe('02020080');
    expect(hex(integer(256n))).toBe('02020100');
    expect(hex(integer(Buffer.from('0000ff', 'hex')))).toBe('020200ff');
    expect(() => integer(-1n)).toThrow(RangeError);
  });

  it('encodes OIDs, BOOLEAN, named bit strings and SET OF ordering', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.5.29.17'))).toBe('0603551d11');
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(boolean(true))).toBe('0101ff');
    expect(hex(namedBits([0, 5, 6]))).toBe('03020186');
    expect(hex(namedBits([0]))).toBe('03020780');
    expect(hex(namedBits([0, 2]))).toBe('030205a0');
    expect(hex(set(octetString(Buffer.from([2])), octetString(Buffer.from([1]))))).toBe('3106040101040102');
  });

  it('uses UTCTime before 2050 and GeneralizedTime from 2050 on', () => {
    expect(time(new Date('2049-12-31T23:59:59.900Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(time(new Date('1999-02-03T04:05:06Z')).toString('latin1')).toBe('\x17\x0d990203040506Z');
  });

  it('reads back what it writes', () => {
    const doc = sequence(integer(5n), octetString(Buffer.alloc(300, 7)), sequence(oid('2.5.4.3')));
    const top = readElement(doc);
    expect(top.tag).toBe(TAG.sequence);
    expect(top.end).toBe(doc.length);
    const kids = readChildren(top.contents);
    expect(kids.map((k) => k.tag)).toEqual([TAG.integer, TAG.octetString, TAG.sequence]);
    expect(kids[1]?.contents.length).toBe(300);
    expect(() => readElement(doc.subarray(0, 10))).toThrow(/truncated/);
  });
});

describe('x509 writer', () => {
  it('issues a chain node:crypto verifies, with far-future validity and several SANs', () => {
    const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const caName = { commonName: 'Test CA ÆØÅ', organization: 'jsync' };
    const caDer = issueCertificate({
      subject: caName, issuer: caName, publicKey: ca.publicKey, issuerPublicKey: ca.publicKey, issuerPrivateKey: ca.privateKey,
      notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2060-01-01T00:00:00Z'), isCa: true, serial: 0x8000n,
    });
    const leafDer = issueCertificate({
      subject: { commonName: 'leaf' }, issuer: caName, publicKey: leaf.publicKey, issuerPublicKey: ca.publicKey,
      issuerPrivateKey: ca.privateKey, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2055-06-01T12:00:00Z'),
      isCa: false, dnsNames: ['*.example.test', 'example.test', 'other.test'],
    });
    const caCert = new X509Certificate(certificateToPem(caDer));
    const leafCert = new X509Certificate(certificateToPem(leafDer));
    expect(caCert.ca).toBe(true);
    expect(caCert.serialNumber).toBe('8000');
    expect(caCert.subject).toContain('CN=Test CA ÆØÅ');
    expect(new Date(caCert.validTo).toISOString()).toBe('2060-01-01T00:00:00.000Z');
    expect(leafCert.ca).toBe(false);
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(leafCert.subjectAltName).toBe('DNS:*.example.test, DNS:example.test, DNS:other.test');
    expect(leafCert.checkHost('a.example.test')).toBe('*.example.test');
    expect(leafCert.checkHost('other.test')).toBe('other.test');
    expect(leafCert.checkHost('a.b.example.test')).toBeUndefined();
    expect(leafCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(keyIdentifier(ca.publicKey)).toHaveLength(20);
    expect(certificateToPem(caDer).split('\n').every((l) => l.length <= 64)).toBe(true);
  });

  it('refuses a leaf without DNS names', () => {
    const k = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => issueCertificate({
      subject: { commonName: 'x' }, issuer: { commonName: 'x' }, publicKey: k.publicKey, issuerPublicKey: k.publicKey,
      issuerPrivateKey: k.privateKey, notBefore: new Date(), notAfter: new Date(Date.now() + 1000), isCa: false,
    })).toThrow(/DNS name/);
  });
});
