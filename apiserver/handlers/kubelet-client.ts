/**
 * How the API server talks to kubelets (logs, exec, attach, port-forward): the scheme and, for
 * HTTPS, the CA that verifies kubelet serving certificates (`--kubelet-certificate-authority`)
 * and the client certificate the API server presents (`--kubelet-client-certificate` /
 * `--kubelet-client-key`). Upstream always uses HTTPS; k8ts kubelets serve plain HTTP unless
 * given `--tls-cert-file`, so the scheme is a choice: `--kubelet-https true|false`, else HTTPS
 * exactly when one of the kubelet TLS flags is set. Without a CA the kubelet's certificate is
 * not verified (as upstream without `--kubelet-certificate-authority`).
 */
import { readFileSync } from 'node:fs';
import { Agent, type Dispatcher } from 'undici';
import type { UpgradeTlsOptions } from '../../pkg/net/upgrade-proxy.ts';

/** The API server's kubelet flags (file paths). */
export interface KubeletClientFlags {
  /** `--kubelet-https`: force the scheme; unset = HTTPS when a kubelet TLS flag is set. */
  https?: boolean;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
}

/** How to reach kubelets: `scheme`, and for HTTPS the TLS options and an HTTP dispatcher using them. */
export interface KubeletTransport {
  scheme: 'http' | 'https';
  /** TLS options for upgrades (`https` only). */
  tls?: UpgradeTlsOptions;
  /** undici dispatcher for plain requests (`https` only; the default one otherwise). */
  dispatcher?: Dispatcher;
  /** Closes the dispatcher's connections. */
  close(): Promise<void>;
}

/** The scheme the flags select (see the module comment). Pure. */
export function kubeletScheme(flags: KubeletClientFlags): 'http' | 'https' {
  if (flags.https !== undefined) return flags.https ? 'https' : 'http';
  return flags.certificateAuthority || flags.clientCertificate || flags.clientKey ? 'https' : 'http';
}

/** Plain HTTP to kubelets (the default when no kubelet flag is given). */
export const PLAIN_KUBELET_TRANSPORT: KubeletTransport = { scheme: 'http', close: async () => {} };

/** Builds the transport from already-read PEM contents. */
export function kubeletTransportFromPem(scheme: 'http' | 'https', pem: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer } = {}): KubeletTransport {
  if (scheme === 'http') return PLAIN_KUBELET_TRANSPORT;
  const tls: UpgradeTlsOptions = {
    ...(pem.ca ? { ca: pem.ca } : {}),
    ...(pem.cert && pem.key ? { cert: pem.cert, key: pem.key } : {}),
    rejectUnauthorized: Boolean(pem.ca),
  };
  const agent = new Agent({ connect: tls });
  return { scheme, tls, dispatcher: agent, close: () => agent.close() };
}

/** Builds the transport from the flags, reading the files (throws when one is unreadable). */
export function kubeletTransport(flags: KubeletClientFlags): KubeletTransport {
  const read = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  return kubeletTransportFromPem(kubeletScheme(flags), { ca: read(flags.certificateAuthority), cert: read(flags.clientCertificate), key: read(flags.clientKey) });
}
