/**
 * Everything `k8ts up` writes before starting processes: the PKI (CA, API server serving cert,
 * one client cert per component and node, a kubelet serving cert per node for its API on 10250
 * and the API server's kubelet-client cert), kubeadm's front-proxy CA and the client cert the API
 * server presents to aggregated API servers, the service-account key pair, and a kubeconfig per
 * identity, under `<dir>/pki` and `<dir>/*.kubeconfig`.
 */
import { join } from 'node:path';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from '../../pkg/auth/serviceaccount-claims.ts';
import { ensureCa, ensureCert, ensureServiceAccountKeyPair, type CertPair, type CertRequest, type ServiceAccountKeyPair } from './pki.ts';

/** Paths of the generated files. */
export interface ClusterFiles {
  ca: CertPair;
  apiserver: CertPair;
  /** identity → kubeconfig path: `admin`, `controller-manager`, `scheduler`, `proxy`, `kubelet-<node>`. */
  kubeconfigs: Record<string, string>;
  /** node name → the kubelet's serving cert (SANs: the node's name and IP). */
  kubeletServing: Record<string, CertPair>;
  /** The client cert the API server presents to kubelets (`--kubelet-client-certificate`). */
  apiserverKubeletClient: CertPair;
  /** The service-account token key pair (`pki/sa.key`, `pki/sa.pub`). */
  serviceAccount: ServiceAccountKeyPair;
  /** kubeadm's front-proxy CA (`pki/front-proxy-ca.*`): aggregated API servers trust request headers from its clients. */
  frontProxyCa: CertPair;
  /** The client cert (CN `front-proxy-client`) the API server presents to aggregated API servers. */
  frontProxyClient: CertPair;
}

/** The front-proxy client's name, which aggregated servers are told to allow (kubeadm's). */
export const FRONT_PROXY_CLIENT_NAME = 'front-proxy-client';

/** The serving-cert request of one node's kubelet (upstream names it `system:node:<name>`). Pure. */
export function kubeletServingRequest(node: { name: string; ip: string }): CertRequest {
  return { name: `kubelet-serving-${node.name}`, commonName: `system:node:${node.name}`, organization: 'system:nodes', usage: 'server', dnsNames: [node.name], ips: [node.ip] };
}

/**
 * The API server flags that make it issue and verify service-account tokens with the cluster's
 * `sa.key`/`sa.pub` (kubeadm's flags and issuer). Pure.
 */
export function serviceAccountTokenFlags(files: Pick<ClusterFiles, 'serviceAccount'>): string[] {
  return [
    '--service-account-signing-key-file', files.serviceAccount.key,
    '--service-account-key-file', files.serviceAccount.pub,
    '--service-account-issuer', DEFAULT_SERVICE_ACCOUNT_ISSUER,
  ];
}

/**
 * The API server flags kubeadm passes for API aggregation: the client cert it presents to
 * aggregated servers, and the request-header settings it publishes for them in
 * `kube-system/extension-apiserver-authentication`. Pure.
 */
export function frontProxyFlags(files: Pick<ClusterFiles, 'frontProxyCa' | 'frontProxyClient'>): string[] {
  return [
    '--proxy-client-cert-file', files.frontProxyClient.cert,
    '--proxy-client-key-file', files.frontProxyClient.key,
    '--requestheader-client-ca-file', files.frontProxyCa.cert,
    '--requestheader-allowed-names', FRONT_PROXY_CLIENT_NAME,
    '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
    '--requestheader-group-headers', 'X-Remote-Group',
    '--requestheader-username-headers', 'X-Remote-User',
  ];
}

/** Client identities as Kubernetes names them. */
export function clientIdentities(nodes: readonly string[]): Array<{ id: string; commonName: string; organization?: string }> {
  return [
    { id: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters' },
    { id: 'controller-manager', commonName: 'system:kube-controller-manager' },
    { id: 'scheduler', commonName: 'system:kube-scheduler' },
    { id: 'proxy', commonName: 'system:kube-proxy', organization: 'system:node-proxier' },
    ...nodes.map((n) => ({ id: `kubelet-${n}`, commonName: `system:node:${n}`, organization: 'system:nodes' })),
  ];
}

/** Creates (or keeps) the PKI and kubeconfigs; `nodeIps` (name → IP) get kubelet serving certs. */
export async function ensureClusterFiles(options: { dir: string; server: string; nodes: readonly string[]; nodeIps?: Readonly<Record<string, string>>; serverIps: readonly string[]; serviceIp: string }): Promise<ClusterFiles> {
  const pki = join(options.dir, 'pki');
  const ca = await ensureCa(pki);
  const apiserver = await ensureCert(pki, ca, {
    name: 'apiserver',
    commonName: 'kube-apiserver',
    usage: 'server',
    dnsNames: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'],
    ips: [...new Set(['127.0.0.1', options.serviceIp, ...options.serverIps])],
  });
  // Leaf certificates are independent: issue them in parallel (openssl is most of `up`'s PKI time).
  const kubeconfigs: Record<string, string> = {};
  const kubeletServing: Record<string, CertPair> = {};
  const [, , apiserverKubeletClient, serviceAccount, [frontProxyCa, frontProxyClient]] = await Promise.all([
    Promise.all(clientIdentities(options.nodes).map(async (identity) => {
      const pair = await ensureCert(pki, ca, { name: identity.id, commonName: identity.commonName, organization: identity.organization, usage: 'client' });
      kubeconfigs[identity.id] = writeKubeconfig({ server: options.server, path: join(options.dir, `${identity.id}.kubeconfig`), certificateAuthority: ca.cert, clientCertificate: pair.cert, clientKey: pair.key });
    })),
    Promise.all(options.nodes.map(async (name) => {
      const ip = options.nodeIps?.[name];
      if (ip) kubeletServing[name] = await ensureCert(pki, ca, kubeletServingRequest({ name, ip }));
    })),
    // Upstream kubeadm's apiserver-kubelet-client identity.
    ensureCert(pki, ca, { name: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters', usage: 'client' }),
    ensureServiceAccountKeyPair(pki),
    ensureCa(pki, { name: 'front-proxy-ca', commonName: 'front-proxy-ca' }).then(async (frontCa) => [frontCa, await ensureCert(pki, frontCa, { name: FRONT_PROXY_CLIENT_NAME, commonName: FRONT_PROXY_CLIENT_NAME, usage: 'client' })] as const),
  ]);
  return { ca, apiserver, kubeconfigs, kubeletServing, apiserverKubeletClient, serviceAccount, frontProxyCa, frontProxyClient };
}
