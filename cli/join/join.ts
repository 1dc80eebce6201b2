/**
 * `k8ts join --server https://IP:6443 --token T --discovery-token-ca-cert-hash sha256:…`: makes
 * this machine a node of a cluster `k8ts up` runs elsewhere, as `kubeadm join` + the kubelet's
 * TLS bootstrap do:
 * 1. discovery: `kube-public/cluster-info` fetched anonymously, trusted only when signed with the
 *    token and its CA matches the pinned hash ({@link discover});
 * 2. with the token as bearer (user `system:bootstrap:<id>`): a kubelet client CSR
 *    (`kubernetes.io/kube-apiserver-client-kubelet`, `CN=system:node:<name>,O=system:nodes`),
 *    approved and signed by the controller-manager;
 * 3. with the node's new identity: a serving CSR (`kubernetes.io/kubelet-serving`, SANs = node
 *    name and IP) for the kubelet's port 10250, which the API server verifies with the cluster CA;
 * 4. containerd, kubelet and proxy started as `k8ts up` starts a node (detached, one log each,
 *    recorded in `<dir>/state.json`, so `k8ts down --dir` stops them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBELET_SERVING_SIGNER } from '../../pkg/api/certificates/v1/certificatesigningrequest.ts';
import { parseCaCertHash } from '../../pkg/bootstrap/ca-hash.ts';
import { parseBootstrapToken } from '../../pkg/bootstrap/token.ts';
import { createClient } from '../../pkg/client/index.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { parseDuration } from '../../pkg/util/duration.ts';
import { parseFlags, parseOrExit } from '../../pkg/util/process.ts';
import { firstHostIPv4 } from '../../kubelet/node/host-info.ts';
import { CLUSTER_PACKAGES, ensurePackages } from '../up/install.ts';
import { isAlive, type ComponentRecord } from '../up/processes.ts';
import { readState, writeState, type ClusterState } from '../up/state.ts';
import { startNode, step } from '../up/up.ts';
import { keyAndRequest, requestCertificate, usableCertificate } from './credentials.ts';
import { discover } from './discovery.ts';

const USAGE = `Usage: k8ts join --server https://IP:6443 --token ID.SECRET --discovery-token-ca-cert-hash sha256:HEX
                 [--node-name NAME] [--node-ip IP] [--pod-cidr CIDR] [--dir ~/.k8ts] [--runtime containerd|fake] [--skip-install] [--discovery-timeout 60s]

Get the command from "k8ts token create" on the control-plane machine.
`;

const FLAG_SPEC = {
  server: { type: 'string' },
  token: { type: 'string' },
  'discovery-token-ca-cert-hash': { type: 'string' },
  'node-name': { type: 'string' },
  'node-ip': { type: 'string' },
  'pod-cidr': { type: 'string' },
  dir: { type: 'string' },
  runtime: { type: 'string' },
  'skip-install': { type: 'boolean' },
  'discovery-timeout': { type: 'string' },
} as const;

export const JoinConfigSchema = z.object({
  server: z.string().url().refine((s) => s.startsWith('https://'), 'must be an https:// URL'),
  token: z.string().refine((t) => parseBootstrapToken(t) !== undefined, 'must have the form [a-z0-9]{6}.[a-z0-9]{16}'),
  caCertHash: z.string().transform((h, ctx) => {
    const parsed = parseCaCertHash(h);
    if (parsed instanceof Error) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed;
  }),
  nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lower-case DNS name'),
  nodeIp: z.ipv4(),
  podCidr: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/),
  dir: z.string().min(1),
  runtime: z.enum(['containerd', 'fake']).default('containerd'),
  skipInstall: z.boolean().default(false),
  /** How long discovery waits for cluster-info to carry the token's signature (kubeadm's discovery timeout). */
  discoveryTimeoutMs: z.number().positive(),
});
export type JoinConfig = z.infer<typeof JoinConfigSchema>;

/** The default pod CIDR of a joined node: `10.244.<last octet of its IP>.0/24` (next to `up`'s 10.244.<i>.0/24). Pure. */
export function defaultPodCidr(nodeIp: string): string {
  return `10.244.${nodeIp.split('.')[3]}.0/24`;
}

/** Flags → config. */
export function parseJoinConfig(argv: string[]): JoinConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, JoinConfigSchema, (v) => {
    const nodeIp = (v['node-ip'] as string | undefined) ?? firstHostIPv4();
    return {
      server: v.server,
      token: v.token,
      caCertHash: v['discovery-token-ca-cert-hash'],
      nodeName: (v['node-name'] as string | undefined) ?? hostname().toLowerCase(),
      nodeIp,
      podCidr: (v['pod-cidr'] as string | undefined) ?? defaultPodCidr(nodeIp),
      dir: (v.dir as string | undefined) ?? join(homedir(), '.k8ts'),
      runtime: v.runtime,
      skipInstall: v['skip-install'],
      discoveryTimeoutMs: parseDuration((v['discovery-timeout'] as string | undefined) ?? '60s'),
    };
  });
}

const KUBE_DNS_IP = '10.96.0.10';

/** Joins this machine (see the module comment). */
export async function joinCluster(config: JoinConfig): Promise<ClusterState> {
  const existing = readState(config.dir);
  if (existing) {
    if (existing.components.every((c) => isAlive(c.pid))) {
      process.stdout.write(`already joined (${existing.components.length} components running)\n`);
      return existing;
    }
    throw new Error(`a previous node in ${config.dir} is partly down; run "k8ts down --dir ${config.dir}" first`);
  }
  const token = parseBootstrapToken(config.token)!;
  const pki = join(config.dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  mkdirSync(join(config.dir, 'logs'), { recursive: true });
  if (!config.skipInstall) await step('Debian packages', () => ensurePackages(CLUSTER_PACKAGES));
  const cluster = await step(`discovery (${config.server})`, () => discover(config.server, token, config.caCertHash, config.discoveryTimeoutMs));
  const caFile = join(pki, 'ca.crt');
  writeFileSync(caFile, cluster.caPem);
  const ca = Buffer.from(cluster.caPem);
  const clientCert = join(pki, 'kubelet-client.crt');
  const clientKey = join(pki, 'kubelet-client.key');
  if (!(await usableCertificate(clientCert))) {
    await step('kubelet client certificate (bootstrap token)', async () => {
      const bootstrap = createClient({ kubeconfig: { server: config.server, ca, token: config.token, namespace: 'default' }, timeoutMs: 10_000, maxRetries: 1 });
      try {
        const requestPem = await keyAndRequest(clientKey, config.nodeName);
        await requestCertificate(bootstrap, { requestPem, signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER, usages: ['digital signature', 'client auth'], certFile: clientCert });
      } finally {
        await bootstrap.close();
      }
    });
  }
  const kubeconfig = writeKubeconfig({ server: config.server, path: join(config.dir, 'kubelet.kubeconfig'), certificateAuthority: caFile, clientCertificate: clientCert, clientKey });
  const serving = { cert: join(pki, 'kubelet-serving.crt'), key: join(pki, 'kubelet-serving.key') };
  if (!(await usableCertificate(serving.cert))) {
    await step('kubelet serving certificate (node identity)', async () => {
      const node = createClient({ kubeconfig, timeoutMs: 10_000, maxRetries: 1 });
      try {
        const requestPem = await keyAndRequest(serving.key, config.nodeName, { dnsNames: [config.nodeName], ips: [config.nodeIp] });
        await requestCertificate(node, { requestPem, signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'], certFile: serving.cert });
      } finally {
        await node.close();
      }
    });
  }
  const state: ClusterState = { version: 1, server: config.server, kubeconfig, nodes: [{ name: config.nodeName, runtime: config.runtime, ip: config.nodeIp }], components: [], network: { bridges: config.runtime === 'containerd' ? ['k8ts0'] : [], netns: [] } };
  const record = (c: ComponentRecord) => {
    state.components.push(c);
    writeState(config.dir, state);
  };
  writeState(config.dir, state);
  await step(`node ${config.nodeName} (${config.runtime})`, () => startNode({ dir: config.dir, runtime: config.runtime }, { name: config.nodeName, ip: config.nodeIp, podCidr: config.podCidr }, { kubeconfig, serving, clientCa: caFile, clusterDns: KUBE_DNS_IP, proxyKubeconfig: kubeconfig }, record));
  process.stdout.write(`\nThis node has joined the cluster; on the control plane, "kubectl get nodes" shows ${config.nodeName}.\nStop it with: npx k8ts down --dir ${config.dir}\n`);
  return state;
}

export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('join', USAGE, () => parseJoinConfig(argv));
  if (!config) return;
  try {
    await joinCluster(config);
  } catch (err) {
    process.stderr.write(`k8ts join: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

