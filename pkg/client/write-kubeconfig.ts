/** Writes a kubeconfig file (one cluster, user and context named `k8ts`) for a server URL. */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** What goes into the file; paths are written as given. */
export interface KubeconfigOptions {
  server: string;
  path: string;
  namespace?: string;
  token?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
}

/** Writes the file (overwriting) and returns its path. */
export function writeKubeconfig(options: KubeconfigOptions): string {
  const user: Record<string, string> = {};
  if (options.token) user.token = options.token;
  if (options.clientCertificate) user['client-certificate'] = options.clientCertificate;
  if (options.clientKey) user['client-key'] = options.clientKey;
  const cluster: Record<string, string> = { server: options.server };
  if (options.certificateAuthority) cluster['certificate-authority'] = options.certificateAuthority;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster }],
    users: [{ name: 'k8ts', user }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts', namespace: options.namespace ?? 'default' } }],
    'current-context': 'k8ts',
    preferences: {},
  };
  writeFileSync(options.path, stringify(doc));
  return options.path;
}
