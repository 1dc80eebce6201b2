/** Reading a TLS socket's client certificate into the facts authentication decides on. */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificateFacts } from './authenticate.ts';

/**
 * The CAs a server with a front proxy trusts, told apart: its TLS listener accepts certificates of
 * both, so which one issued a certificate decides whether it names a user (x509) or vouches for
 * request headers (front proxy).
 */
export interface PeerTrust {
  clientCas: readonly X509Certificate[];
  requestHeaderCas: readonly X509Certificate[];
}

/** The certificates of a PEM bundle. */
export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

const issuedByAny = (cert: X509Certificate, cas: readonly X509Certificate[]) => cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));

/** Facts per TLS socket with trust (its certificate cannot change; the parse costs more than a request). */
const trustedFacts = new WeakMap<Socket, PeerCertificateFacts>();

/**
 * The facts of the TLS socket's client certificate; undefined when the socket is not TLS. With
 * `trust`, `authorized` means "chains to a client CA" and `frontProxy` "to a front-proxy CA" (a
 * certificate issued directly by one of them, as kubeadm's are, and valid by Node's checks).
 */
export function peerFacts(socket: Socket, trust?: PeerTrust): PeerCertificateFacts | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (!tls.encrypted || typeof tls.getPeerCertificate !== 'function') return undefined;
  if (trust) {
    const known = trustedFacts.get(socket);
    if (known) return known;
  }
  const cert = tls.getPeerCertificate();
  const presented = Boolean(cert && Object.keys(cert).length > 0);
  const error = tls.authorizationError;
  const facts: PeerCertificateFacts = { presented, authorized: Boolean(tls.authorized), authorizationError: error ? String(error) : undefined, subject: presented ? cert.subject : undefined };
  if (!trust) return facts;
  if (presented && facts.authorized) {
    const x509 = new X509Certificate(cert.raw);
    facts.authorized = issuedByAny(x509, trust.clientCas);
    facts.frontProxy = issuedByAny(x509, trust.requestHeaderCas);
    if (!facts.authorized) facts.authorizationError = 'x509: certificate signed by unknown authority';
  } else {
    facts.frontProxy = false;
  }
  trustedFacts.set(socket, facts);
  return facts;
}
