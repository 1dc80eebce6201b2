/**
 * Parsing a PKCS#10 certificate signing request (upstream `x509.ParseCertificateRequest`) into
 * the facts Kubernetes checks: subject CN and O, SANs and the public key. Pure; the signature is
 * checked by whoever signs (openssl refuses a request whose signature does not verify).
 */
import { isIP } from 'node:net';
import { children, DerError, decodeOid, pemBlocks, readElement, type DerElement } from './der.ts';

/** What a certificate request asks for. */
export interface ParsedCertificateRequest {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** The SubjectPublicKeyInfo DER. */
  publicKeyInfo: Buffer;
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const OID_SAN = '2.5.29.17';

function text(element: DerElement): string {
  return element.content.toString(element.tag === 0x1e ? 'utf16le' : 'utf8');
}

function ipText(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
  }
  throw new DerError('bad IP address in subjectAltName');
}

function readSans(out: ParsedCertificateRequest, extnValue: Buffer): void {
  for (const name of children(readElement(extnValue).element)) {
    switch (name.tag) {
      case 0x81:
        out.emailAddresses.push(name.content.toString('utf8'));
        break;
      case 0x82:
        out.dnsNames.push(name.content.toString('utf8'));
        break;
      case 0x86:
        out.uris.push(name.content.toString('utf8'));
        break;
      case 0x87:
        out.ipAddresses.push(ipText(name.content));
        break;
    }
  }
}

/** Parses one DER CertificationRequest. Throws {@link DerError} when it is not one. Pure. */
export function parseCertificateRequestDer(der: Buffer): ParsedCertificateRequest {
  const [info] = children(readElement(der).element);
  if (!info) throw new DerError('empty certificate request');
  const [, subject, spki, attributes] = children(info);
  if (!subject || !spki) throw new DerError('certificate request without subject or public key');
  const out: ParsedCertificateRequest = { commonName: '', organizations: [], dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [], publicKeyInfo: Buffer.from(spki.raw) };
  for (const rdn of children(subject)) {
    for (const atv of children(rdn)) {
      const [oid, value] = children(atv);
      if (!oid || !value) continue;
      const id = decodeOid(oid.content);
      if (id === OID_CN && !out.commonName) out.commonName = text(value);
      if (id === OID_O) out.organizations.push(text(value));
    }
  }
  if (attributes && attributes.tag === 0xa0) {
    for (const attribute of children(attributes)) {
      const [oid, values] = children(attribute);
      if (!oid || !values || decodeOid(oid.content) !== OID_EXTENSION_REQUEST) continue;
      for (const extensions of children(values)) {
        for (const extension of children(extensions)) {
          const parts = children(extension);
          if (decodeOid(parts[0].content) === OID_SAN) readSans(out, parts[parts.length - 1].content);
        }
      }
    }
  }
  return out;
}

/**
 * Parses `spec.request` (PEM): the first `CERTIFICATE REQUEST` block. Throws an Error with
 * upstream's message when there is none ("PEM block type must be CERTIFICATE REQUEST"). Pure.
 */
export function parseCertificateRequestPem(pem: string | Buffer): ParsedCertificateRequest {
  const block = pemBlocks(pem.toString()).at(0);
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  return parseCertificateRequestDer(block.der);
}

/** Whether `s` is an IP address (v4 or v6). Pure. */
export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}
