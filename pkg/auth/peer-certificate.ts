/** Reading a TLS socket's client certificate into the facts authentication decides on. */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificateFacts } from './authenticate.ts';

/** The facts of the TLS socket's client certificate; undefined when the socket is not TLS. */
export function peerFacts(socket: Socket): PeerCertificateFacts | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (!tls.encrypted || typeof tls.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate();
  const presented = Boolean(cert && Object.keys(cert).length > 0);
  const error = tls.authorizationError;
  return { presented, authorized: Boolean(tls.authorized), authorizationError: error ? String(error) : undefined, subject: presented ? cert.subject : undefined };
}
