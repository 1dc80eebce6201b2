/**
 * Token-based discovery as `kubeadm join` does it: fetch `kube-public/cluster-info` without
 * credentials and without trusting the server's certificate, then trust it only if the
 * kubeconfig inside is signed with the token (`jws-kubeconfig-<id>`) and its CA's public key
 * matches the pinned `--discovery-token-ca-cert-hash`. {@link verifyClusterInfo} is the pure
 * decision; {@link fetchClusterInfo} the one insecure request.
 */
import { request } from 'node:https';
import { caCertHash } from '../../pkg/bootstrap/ca-hash.ts';
import { CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, JWS_KEY_PREFIX, KUBECONFIG_KEY, readClusterInfoKubeconfig } from '../../pkg/bootstrap/cluster-info.ts';
import { verifyDetachedSignature } from '../../pkg/bootstrap/jws.ts';
import type { BootstrapToken } from '../../pkg/bootstrap/token.ts';

/** What discovery establishes: the server (from cluster-info) and the CA to trust. */
export interface DiscoveredCluster {
  server: string;
  caPem: string;
}

/** A discovery failure that waiting will not fix (bad signature, wrong CA). */
export class DiscoveryError extends Error {}

/**
 * Checks cluster-info's `data` against the token and the pinned CA hash; the messages are
 * kubeadm's. A missing signature is returned as a plain Error (the token may not be signed yet,
 * so callers retry); a bad signature or an unpinned CA as {@link DiscoveryError}. Pure.
 */
export function verifyClusterInfo(data: Readonly<Record<string, string>> | undefined, token: BootstrapToken, pinnedHash: string): DiscoveredCluster | Error {
  const kubeconfig = data?.[KUBECONFIG_KEY];
  if (kubeconfig === undefined) return new DiscoveryError(`there is no "${KUBECONFIG_KEY}" key in the ${CLUSTER_INFO_NAME} ConfigMap`);
  const signature = data?.[`${JWS_KEY_PREFIX}${token.id}`];
  if (signature === undefined) {
    return new Error(`there is no JWS signed token in the ${CLUSTER_INFO_NAME} ConfigMap. This token id "${token.id}" is invalid for this cluster, or it has expired. Use "k8ts token create" on the control-plane node to create a new valid token`);
  }
  if (!verifyDetachedSignature(kubeconfig, signature, token.id, token.secret)) {
    return new DiscoveryError(`failed to verify JWS signature of received ${CLUSTER_INFO_NAME} object, can't trust this API Server`);
  }
  const cluster = readClusterInfoKubeconfig(kubeconfig);
  if (cluster instanceof Error) return new DiscoveryError(cluster.message);
  let actual: string;
  try {
    actual = caCertHash(cluster.caPem);
  } catch (err) {
    return new DiscoveryError(`the CA in ${CLUSTER_INFO_NAME} is not a certificate: ${(err as Error).message}`);
  }
  if (actual !== pinnedHash) return new DiscoveryError(`cluster CA found in ${CLUSTER_INFO_NAME} ConfigMap is invalid: none of the public keys "${actual}" are pinned`);
  return cluster;
}

/** GETs cluster-info's `data` anonymously, not verifying the server certificate (that is what the pin is for). */
export function fetchClusterInfo(server: string, timeoutMs = 10_000): Promise<Record<string, string>> {
  const url = new URL(`/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_NAME}`, server);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`GET ${url.pathname}: ${res.statusCode} ${body.slice(0, 200)}`));
        try {
          resolve(((JSON.parse(body) as { data?: Record<string, string> }).data ?? {}));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.href} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Fetches and verifies until it succeeds, a {@link DiscoveryError} occurs, or `timeoutMs` passes (then the last error). */
export async function discover(server: string, token: BootstrapToken, pinnedHash: string, timeoutMs = 60_000): Promise<DiscoveredCluster> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await fetchClusterInfo(server).then((data) => verifyClusterInfo(data, token, pinnedHash), (err: Error) => err);
    if (!(result instanceof Error)) return result;
    if (result instanceof DiscoveryError || Date.now() > deadline) throw result;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
