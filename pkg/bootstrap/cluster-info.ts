/**
 * The `kube-public/cluster-info` ConfigMap (upstream bootstrapapi): key `kubeconfig` holds a
 * kubeconfig with the cluster's server and CA (no users), and the bootstrap signer adds
 * `jws-kubeconfig-<token-id>` for every token usable for signing. Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { ConfigMap } from '../api/core/v1/configmap.ts';

export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_NAME = 'cluster-info';
/** The key of the kubeconfig in cluster-info. */
export const KUBECONFIG_KEY = 'kubeconfig';
/** Prefix of a signature key in cluster-info. */
export const JWS_KEY_PREFIX = 'jws-kubeconfig-';

/** The kubeconfig text cluster-info carries (as kubeadm writes it). Pure. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    `    server: ${server}`,
    '  name: ""',
    'contexts: null',
    'current-context: ""',
    'kind: Config',
    'preferences: {}',
    'users: null',
    '',
  ].join('\n');
}

/** The ConfigMap without signatures (the bootstrap signer adds them). Pure. */
export function clusterInfoConfigMap(server: string, caPem: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLUSTER_INFO_NAME, namespace: CLUSTER_INFO_NAMESPACE }, data: { [KUBECONFIG_KEY]: clusterInfoKubeconfig(server, caPem) } } as ConfigMap;
}

/** The first cluster of a cluster-info kubeconfig: server and CA PEM; an Error when absent. Pure. */
export function readClusterInfoKubeconfig(text: string): { server: string; caPem: string } | Error {
  let doc: { clusters?: Array<{ cluster?: { server?: string; 'certificate-authority-data'?: string } }> };
  try {
    doc = parseYaml(text) as typeof doc;
  } catch (err) {
    return new Error(`cluster-info kubeconfig is not YAML: ${(err as Error).message}`);
  }
  const cluster = doc?.clusters?.[0]?.cluster;
  if (!cluster?.server || !cluster['certificate-authority-data']) return new Error('cluster-info kubeconfig has no cluster with a server and certificate-authority-data');
  return { server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

/**
 * The `data` of cluster-info once signed for exactly these tokens (id → secret): the kubeconfig
 * kept, one `jws-kubeconfig-<id>` each, stale signatures dropped. Pure.
 */
export function signedClusterInfoData(data: Readonly<Record<string, string>>, tokens: ReadonlyMap<string, string>, sign: (content: string, id: string, secret: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (!k.startsWith(JWS_KEY_PREFIX)) out[k] = v;
  const content = data[KUBECONFIG_KEY];
  if (content === undefined) return out;
  for (const [id, secret] of [...tokens].sort(([a], [b]) => a.localeCompare(b))) out[`${JWS_KEY_PREFIX}${id}`] = sign(content, id, secret);
  return out;
}
