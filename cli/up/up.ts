/**
 * `k8ts up`: one command from a fresh machine to a working cluster (one node, or `--nodes N`) — Debian
 * packages, PKI and kubeconfigs, then etcd, the API server (TLS, client CA, HTTPS to kubelets), the
 * controller-manager, the scheduler, the cluster DNS, the local image registry holding the
 * project's images (built once per machine, see images/), and a node (containerd pulling through
 * the registry, a CNI bridge, kubelet and proxy), each a detached process with its own log file,
 * each step printed with its timing. Returns when every node is Ready and the cluster DNS
 * answers, and prints `export KUBECONFIG=…`. Re-running on a running cluster changes nothing
 * but restarting components that died.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { isAlreadyExists } from '../../pkg/errors/index.ts';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createClient, type Client } from '../../pkg/client/index.ts';
import { parseFlags, parseOrExit } from '../../pkg/util/process.ts';
import { packageRoot } from '../../pkg/util/package-root.ts';
import { renderCniConflist } from '../../kubelet/containerd/cni.ts';
import { containerdSocket, renderContainerdConfig } from '../../kubelet/containerd/config.ts';
import { PAUSE_IMAGE } from '../../kubelet/containerd/process.ts';
import { CriClient } from '../../kubelet/cri/client.ts';
import { queryDns } from '../../dns/client.ts';
import { firstHostIPv4 } from '../../kubelet/node/host-info.ts';
import { ensureClusterFiles, frontProxyFlags, serviceAccountTokenFlags } from './cluster-files.ts';
import { CLUSTER_INFO_NAMESPACE, clusterInfoConfigMap } from '../../pkg/bootstrap/cluster-info.ts';
import type { CertPair } from './pki.ts';
import { applyNodeNetwork, BRIDGE, GATEWAY, inNetns, planNodeNetwork, type NodeNetwork } from './node-network.ts';
import { CLUSTER_PACKAGES, ensurePackages } from './install.ts';
import { ensureDefaultStorageClass } from './storage-class.ts';
import { KUBE_DNS_IP, registerDnsService } from './dns-service.ts';
import { buildImages, type BuiltImages } from './images/build.ts';
import { imageCacheDir } from './images/cache.ts';
import { importNodeImages, nodeImagesFor, standaloneNodeImages, type NodeImages } from './images/node-images.ts';
import { prepareRegistry, pushImages, waitForRegistry } from './images/registry.ts';
import { isAlive, restartDeadComponents, startDetached, type ComponentRecord } from './processes.ts';
import { readState, writeState, type ClusterState } from './state.ts';

const repoRoot = packageRoot(import.meta.url);
/**
 * A k8ts component's command line. Everything but the API server runs with a small young
 * generation (2 MB semi-spaces instead of V8's 16 MB): they allocate little once synced, and it
 * takes about 15 MB of idle RSS off each process (bench/cluster).
 */
const k8ts = (...args: string[]) => [process.execPath, ...(args[0] === 'apiserver' ? [] : ['--max-semi-space-size=2']), join(repoRoot, 'bin/k8ts.mjs'), ...args];

export const FLAG_SPEC = {
  dir: { type: 'string' },
  nodes: { type: 'string' },
  runtime: { type: 'string' },
  'etcd-port': { type: 'string' },
  port: { type: 'string' },
  'skip-install': { type: 'boolean' },
  'pod-cidr': { type: 'string' },
  'netns-prefix': { type: 'string' },
  'registry-port': { type: 'string' },
} as const;

export const UpConfigSchema = z.object({
  dir: z.string().min(1),
  nodes: z.coerce.number().int().min(1).max(20),
  runtime: z.enum(['containerd', 'fake']).default('containerd'),
  etcdPort: z.coerce.number().int().min(1).max(65534).default(2379),
  port: z.coerce.number().int().min(1).max(65535).default(6443),
  skipInstall: z.boolean().default(false),
  podCidr: z.string().default('10.244.0.0/24'),
  /** Multi-node: node namespaces are `<prefix>node-<i>` (namespace names are machine-wide). */
  netnsPrefix: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and "-"').default('k8ts-'),
  /** The local image registry's port (on 127.0.0.1, or the bridge gateway with several nodes). */
  registryPort: z.coerce.number().int().min(1).max(65535).default(5000),
});
export type UpConfig = z.infer<typeof UpConfigSchema>;

const USAGE = `Usage: k8ts up [--dir ~/.k8ts] [--nodes 1] [--runtime containerd|fake] [--port 6443] [--etcd-port 2379] [--skip-install] [--netns-prefix k8ts-] [--registry-port 5000]

Re-running up on a running cluster changes nothing; components of a recorded cluster that have
died (e.g. killed) are started again with their recorded command, as a service manager would.
`;

/**
 * Runs one step and prints `• what… done (N s)` when it ends (or `failed`); steps may overlap, so
 * each line is written whole.
 */
export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    const out = await fn();
    process.stdout.write(`• ${what}… done (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    return out;
  } catch (err) {
    process.stdout.write(`• ${what}… failed\n`);
    throw err;
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${logFile ? `; see ${logFile}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Where one node runs: its name, address, pod CIDR and (multi-node) network namespace. */
export interface NodePlacement {
  name: string;
  ip: string;
  podCidr: string;
  netns?: string;
}

/**
 * Starts one node's containerd (with the project's images and a CNI config for its pod CIDR),
 * kubelet and proxy as detached processes under `config.dir`, each recorded with `record`.
 * `k8ts join` reuses it with the node's own credentials for the proxy (`proxyKubeconfig`).
 */
export async function startNode(config: Pick<UpConfig, 'dir' | 'runtime'>, node: NodePlacement, agents: Omit<NodeAgentOptions, 'runtimeArgs'>, record: (c: ComponentRecord) => void): Promise<void> {
  const runtimeArgs = await startNodeRuntime(config, node, record);
  startNodeAgents(config, node, { ...agents, runtimeArgs }, record);
}

/**
 * A node's container runtime: with `containerd`, its own containerd (images imported, CNI config
 * for the pod CIDR) started and answering; returns the kubelet flags that point at it. Needs no
 * API server, so `up` runs it while the control plane starts.
 */
export async function startNodeRuntime(config: Pick<UpConfig, 'dir' | 'runtime'>, node: NodePlacement, record: (c: ComponentRecord) => void, images?: NodeImages): Promise<string[]> {
  const nodeName = node.name;
  const nodeDir = join(config.dir, 'nodes', nodeName);
  mkdirSync(nodeDir, { recursive: true });
  const kubeletArgs: string[] = [];
  if (config.runtime === 'containerd') {
    const dir = join(nodeDir, 'containerd');
    mkdirSync(join(dir, 'cni'), { recursive: true });
    // Without a local registry (a joined machine) busybox is imported instead of pulled.
    const nodeImages = images ?? (await standaloneNodeImages(imageCacheDir()));
    writeFileSync(join(dir, 'config.toml'), renderContainerdConfig({ dir, sandboxImage: PAUSE_IMAGE, mirrors: nodeImages.mirrors }));
    writeFileSync(join(dir, 'cni', '10-k8ts.conflist'), renderCniConflist({ podCidr: node.podCidr }));
    const containerd = startDetached(`containerd-${nodeName}`, inNetns(node.netns, ['containerd', '--config', join(dir, 'config.toml')]), join(config.dir, 'logs', `containerd-${nodeName}.log`));
    record(containerd);
    const socket = containerdSocket(dir);
    await until('containerd', 20_000, async () => {
      const cri = new CriClient({ endpoint: socket, timeoutMs: 1000 });
      try {
        return Boolean(await cri.version());
      } finally {
        cri.close();
      }
    }, containerd.logFile);
    await importNodeImages(socket, nodeImages);
    kubeletArgs.push('--container-runtime-endpoint', `unix://${socket}`, '--cni-conf-dir', join(dir, 'cni'));
  } else {
    kubeletArgs.push('--container-runtime', 'fake');
  }
  return kubeletArgs;
}

/** What a node's kubelet and proxy are started with. */
export interface NodeAgentOptions {
  kubeconfig: string;
  serving: CertPair;
  /**
   * The cluster CA (file): the kubelet API takes client certificates it signed and bearer tokens
   * the API server vouches for (`--authentication-token-webhook`, a TokenReview), refuses callers
   * with neither (401) and asks the API server whether the caller may reach the node
   * (`--authorization-mode Webhook`), as kubeadm sets kubelets up.
   */
  clientCa: string;
  clusterDns: string;
  /** From {@link startNodeRuntime}. */
  runtimeArgs: string[];
  proxyKubeconfig: string;
  /** The kubelet's `--eviction-hard` (default: the kubelet's own, upstream's). */
  evictionHard?: string;
  /** Garbage collection flags of the kubelet (default none: upstream's defaults). */
  kubeletGcFlags?: readonly string[];
}

/**
 * `k8ts up`'s nodes evict on memory only: they share the host's disk, so the kubelet's
 * disk thresholds (`nodefs.available<10%`, `imagefs.available<15%`) would refuse every pod on a
 * host whose disk is over 85 % full. kind leaves disk-based eviction out of its nodes alike.
 * `k8ts join` machines keep upstream's defaults.
 */
export const LOCAL_CLUSTER_EVICTION_HARD = 'memory.available<100Mi';

/**
 * `k8ts up`'s kubelets never collect images (`--image-gc-high-threshold 100`, as kind sets
 * `imageGCHighThresholdPercent: 100`): their images are imported locally, so one removed could
 * not be pulled back; and the host's disk, shared by everything on it, is not theirs to manage.
 * Dead containers are still collected. With only a memory eviction threshold there is no
 * node-level disk reclaim either.
 */
export const LOCAL_CLUSTER_KUBELET_GC_FLAGS: readonly string[] = ['--image-gc-high-threshold', '100'];

/** Starts a node's kubelet and proxy (detached, recorded with `record`). */
export function startNodeAgents(config: Pick<UpConfig, 'dir'>, node: NodePlacement, options: NodeAgentOptions, record: (c: ComponentRecord) => void): void {
  const nodeName = node.name;
  const kubeletArgs = ['kubelet', '--kubeconfig', options.kubeconfig, '--node-name', nodeName, '--root-dir', join(config.dir, 'nodes', nodeName, 'kubelet'), '--node-ip', node.ip, '--cluster-dns', options.clusterDns, '--pod-cidr', node.podCidr, '--tls-cert-file', options.serving.cert, '--tls-private-key-file', options.serving.key, '--client-ca-file', options.clientCa, '--anonymous-auth=false', '--authentication-token-webhook', '--authorization-mode', 'Webhook', ...(options.evictionHard ? ['--eviction-hard', options.evictionHard] : []), ...(options.kubeletGcFlags ?? []), ...options.runtimeArgs];
  record(startDetached(`kubelet-${nodeName}`, inNetns(node.netns, k8ts(...kubeletArgs)), join(config.dir, 'logs', `kubelet-${nodeName}.log`)));
  record(startDetached(`proxy-${nodeName}`, inNetns(node.netns, k8ts('proxy', '--kubeconfig', options.proxyKubeconfig, '--hostname-override', nodeName)), join(config.dir, 'logs', `proxy-${nodeName}.log`)));
}

/**
 * The cluster's image registry (`docker-registry`) as a recorded component listening on
 * `address`, its storage in the machine's image cache (shared by clusters, so the built images
 * are pushed once per machine rather than once per cluster).
 */
async function startRegistry(dir: string, address: string, images: BuiltImages, record: (c: ComponentRecord) => void): Promise<void> {
  const storageDir = join(imageCacheDir(), 'registry');
  const registry = startDetached('registry', prepareRegistry(dir, { storageDir, address }), join(dir, 'logs', 'registry.log'));
  record(registry);
  await waitForRegistry(address, { isRunning: () => isAlive(registry.pid) });
  await pushImages({ images: images.images, address, storageDir });
}

/** The first address of a CIDR (the bridge gateway CNI uses). Pure. */
export function gatewayOf(cidr: string): string {
  const [a, b, c, d] = cidr.split('/')[0].split('.').map(Number);
  return `${a}.${b}.${c}.${d + 1}`;
}

async function ensureBridge(name: string, address: string): Promise<void> {
  const run = promisify(execFile);
  if (await run('ip', ['link', 'show', name]).then(() => true, () => false)) return;
  await run('ip', ['link', 'add', name, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${address}/24`, 'dev', name]);
  await run('ip', ['link', 'set', name, 'up']);
}

/** Resolves once the API server answers a read (up to 30 s; the log's tail is shown if it does not). */
function apiServerAnswers(client: Client, logFile: string): Promise<void> {
  return until('the API server', 30_000, async () => Boolean(await client.namespaces.get('default')), logFile);
}

/** Brings the cluster up (see the module comment). */
export async function up(config: UpConfig): Promise<ClusterState> {
  mkdirSync(join(config.dir, 'logs'), { recursive: true });
  const existing = readState(config.dir);
  if (existing) {
    const restarted = restartDeadComponents(existing);
    writeState(config.dir, existing);
    if (!restarted.length) process.stdout.write(`cluster already running (${existing.components.length} components)\n`);
    for (const c of restarted) process.stdout.write(`restarted ${c.name} (pid ${c.pid})\n`);
    const apiserver = restarted.find((c) => c.name === 'apiserver');
    if (apiserver) {
      // As on a first start, `up` returns once kubectl can use the cluster.
      const client = createClient({ kubeconfig: existing.kubeconfig, qps: Infinity, timeoutMs: 5000, maxRetries: 0 });
      await apiServerAnswers(client, apiserver.logFile).finally(() => client.close());
    }
    return existing;
  }
  if (!config.skipInstall) await step('Debian packages', () => ensurePackages(CLUSTER_PACKAGES));
  // One node runs in this network namespace; several get a namespace each on a bridge.
  const multi = config.nodes > 1;
  const placements: NodePlacement[] = multi ? planNodeNetwork(config.nodes, config.netnsPrefix) : [{ name: hostname().toLowerCase(), ip: firstHostIPv4(), podCidr: config.podCidr }];
  const server = `https://${multi ? GATEWAY : '127.0.0.1'}:${config.port}`;
  const dnsIp = multi ? GATEWAY : gatewayOf(config.podCidr);
  const files = await step('PKI and kubeconfigs', () => ensureClusterFiles({ dir: config.dir, server, nodes: placements.map((n) => n.name), nodeIps: Object.fromEntries(placements.map((n) => [n.name, n.ip])), serverIps: [firstHostIPv4(), GATEWAY], serviceIp: '10.96.0.1' }));
  const state: ClusterState = { version: 1, server, kubeconfig: files.kubeconfigs.admin, nodes: placements.map((n) => ({ name: n.name, runtime: config.runtime, netns: n.netns, ip: n.ip })), components: [], network: { bridges: [], netns: [] } };
  const record = (c: ComponentRecord) => {
    state.components.push(c);
    writeState(config.dir, state);
  };
  const log = (name: string) => join(config.dir, 'logs', `${name}.log`);
  if (multi) {
    await step(`network for ${config.nodes} nodes`, async () => {
      state.network = { bridges: [BRIDGE], netns: placements.map((n) => n.netns as string) };
      writeState(config.dir, state);
      await applyNodeNetwork(placements as NodeNetwork[]);
    });
  }
  await step('etcd', async () => {
    const etcd = `http://127.0.0.1:${config.etcdPort}`;
    record(startDetached('etcd', ['etcd', '--name', 'k8ts', '--data-dir', join(config.dir, 'etcd'), '--listen-client-urls', etcd, '--advertise-client-urls', etcd, '--listen-peer-urls', `http://127.0.0.1:${config.etcdPort + 1}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${config.etcdPort + 1}`, '--initial-cluster', `k8ts=http://127.0.0.1:${config.etcdPort + 1}`], log('etcd')));
    await until('etcd', 20_000, async () => (await fetch(`${etcd}/health`)).ok, log('etcd'));
  });
  const client: Client = createClient({ kubeconfig: files.kubeconfigs.admin, qps: Infinity, timeoutMs: 5000, maxRetries: 0 });
  // Images, the registry and node runtimes need no API server: they start while the control
  // plane comes up. Images are built once per machine (cache) and pushed once per cluster.
  const registryAddress = `${multi ? GATEWAY : '127.0.0.1'}:${config.registryPort}`;
  const built = step('images', () => buildImages({ cacheDir: imageCacheDir(), progress: (line) => process.stdout.write(`  built ${line}\n`) }));
  const registry = built.then((images) => step(`image registry on ${registryAddress}`, () => startRegistry(config.dir, registryAddress, images, record)));
  const runtimes = built.then((images) => Promise.all(placements.map((node) => step(`node ${node.name} runtime (${config.runtime})`, () => startNodeRuntime(config, node, record, nodeImagesFor(images, registryAddress))))));
  // Awaited below; an early failure must not go unhandled meanwhile.
  registry.catch(() => undefined);
  runtimes.catch(() => undefined);
  try {
    await step('API server', async () => {
      record(startDetached('apiserver', k8ts('apiserver', '--etcd-servers', `http://127.0.0.1:${config.etcdPort}`, '--bind-address', '0.0.0.0', '--advertise-address', multi ? GATEWAY : firstHostIPv4(), '--port', String(config.port), '--tls-cert-file', files.apiserver.cert, '--tls-private-key-file', files.apiserver.key, '--client-ca-file', files.ca.cert, '--kubelet-certificate-authority', files.ca.cert, '--kubelet-client-certificate', files.apiserverKubeletClient.cert, '--kubelet-client-key', files.apiserverKubeletClient.key, ...serviceAccountTokenFlags(files), ...frontProxyFlags(files)), log('apiserver')));
      await apiServerAnswers(client, log('apiserver'));
    });
    await step('controller-manager', async () => {
      record(startDetached('controller-manager', k8ts('controller-manager', '--kubeconfig', files.kubeconfigs['controller-manager'], '--controllers', '*,bootstrapsigner,tokencleaner', '--cluster-signing-cert-file', files.ca.cert, '--cluster-signing-key-file', files.ca.key, '--root-ca-file', files.ca.cert, '--service-account-private-key-file', files.serviceAccount.key, '--hostpath-provisioner-dir', join(config.dir, 'storage')), log('controller-manager')));
      // What `k8ts join` discovers the cluster from (kubeadm's bootstrap-token phase).
      await client.configMaps.inNamespace(CLUSTER_INFO_NAMESPACE).create(clusterInfoConfigMap(`https://${firstHostIPv4()}:${config.port}`, readFileSync(files.ca.cert, 'utf8'))).catch((err) => (isAlreadyExists(err) ? undefined : Promise.reject(err)));
    });
    await step('cluster DNS', async () => {
      if (!multi) {
        // The node's CNI bridge, created now so DNS can listen on its gateway address (the
        // bridge plugin adopts an existing bridge).
        await ensureBridge('k8ts0', gatewayOf(config.podCidr));
        state.network.bridges = [...new Set([...state.network.bridges, 'k8ts0'])];
      }
      record(startDetached('dns', k8ts('dns', '--kubeconfig', files.kubeconfigs.admin, '--bind-address', dnsIp, '--port', '53'), log('dns')));
      await registerDnsService(client, dnsIp);
      await ensureDefaultStorageClass(client);
    });
    await step('scheduler', async () => record(startDetached('scheduler', k8ts('scheduler', '--kubeconfig', files.kubeconfigs.scheduler), log('scheduler'))));
    // Pods reach DNS through the kube-dns Service the proxies program.
    const runtimeArgs = await runtimes;
    await registry;
    placements.forEach((node, i) => startNodeAgents(config, node, { kubeconfig: files.kubeconfigs[`kubelet-${node.name}`], serving: files.kubeletServing[node.name], clientCa: files.ca.cert, clusterDns: KUBE_DNS_IP, runtimeArgs: runtimeArgs[i], proxyKubeconfig: join(config.dir, 'proxy.kubeconfig'), evictionHard: LOCAL_CLUSTER_EVICTION_HARD, kubeletGcFlags: LOCAL_CLUSTER_KUBELET_GC_FLAGS }, record));
    await Promise.all(placements.map((node) =>
      step(`node ${node.name} Ready`, () =>
        until(`node ${node.name} Ready`, 60_000, async () => (await client.nodes.get(node.name)).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false, log(`kubelet-${node.name}`)),
      ),
    ));
    await step('cluster DNS answers', () =>
      until('kubernetes.default.svc.cluster.local from the cluster DNS', 30_000, async () => (await queryDns({ server: dnsIp, name: 'kubernetes.default.svc.cluster.local', timeoutMs: 1000 })).answers?.some((a) => a.type === 'A' && a.data === '10.96.0.1') ?? false, log('dns')),
    );
  } finally {
    await client.close();
  }
  process.stdout.write(`\nexport KUBECONFIG=${files.kubeconfigs.admin}\n`);
  return state;
}

/** Flags → config. */
export function parseUpConfig(argv: string[]): UpConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, UpConfigSchema, (v) => ({
    dir: (v.dir as string | undefined) ?? join(homedir(), '.k8ts'),
    nodes: v.nodes ?? 1,
    runtime: v.runtime,
    etcdPort: v['etcd-port'],
    port: v.port,
    skipInstall: v['skip-install'],
    podCidr: v['pod-cidr'],
    netnsPrefix: v['netns-prefix'],
    registryPort: v['registry-port'],
  }));
}

export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('up', USAGE, () => parseUpConfig(argv));
  if (!config) return;
  try {
    await up(config);
  } catch (err) {
    process.stderr.write(`k8ts up: ${(err as Error).message}\n(what started is still running: \`npx k8ts status\` lists it, \`npx k8ts down\` stops it)\n`);
    process.exitCode = 1;
  }
}
