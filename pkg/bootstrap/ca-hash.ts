/**
 * The CA public-key pin of `kubeadm join --discovery-token-ca-cert-hash`: `sha256:` and the hex
 * SHA-256 of the CA certificate's SubjectPublicKeyInfo (DER). Pure.
 */
import { createHash, X509Certificate } from 'node:crypto';

/** The pin of a PEM (or DER) certificate. Pure. */
export function caCertHash(cert: string | Buffer): string {
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/**
 * A `--discovery-token-ca-cert-hash` value normalized to `sha256:<64 lower-case hex>`, or an
 * Error saying what is wrong (upstream accepts only the sha256 format). Pure.
 */
export function parseCaCertHash(value: string): string | Error {
  const m = /^sha256:([0-9a-fA-F]{64})$/.exec(value.trim());
  if (!m) return new Error(`invalid discovery-token-ca-cert-hash ${JSON.stringify(value)}: expected "sha256:" followed by 64 hex characters`);
  return `sha256:${m[1].toLowerCase()}`;
}
