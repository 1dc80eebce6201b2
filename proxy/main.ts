/**
 * `k8ts proxy`: watches Services and EndpointSlices, programs iptables or nftables through a
 * bounded-frequency runner (no sync before both caches synced), holds NodePorts open and serves
 * /healthz and /metrics.
 */
import { createServer, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { pino, type Logger } from 'pino';
import type { Node } from '../pkg/api/core/v1/node.ts';
import type { Service } from '../pkg/api/core/v1/service.ts';
import { LABEL_TOPOLOGY_ZONE } from '../pkg/api/core/v1/well-known-labels.ts';
import type { EndpointSlice } from '../pkg/api/discovery/v1/endpointslice.ts';
import { BUILTIN_COORDINATES, createClient, type Client } from '../pkg/client/index.ts';
import { deletedObject, SharedInformerFactory } from '../pkg/informer/index.ts';
import { EventSink } from '../pkg/runtime/index.ts';
import { parseOrExit, shutdownSignal } from '../pkg/util/process.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { ProxyHealth } from './health.ts';
import { detectIptables, hostExec, hostLaunch, type Exec } from './iptables/exec.ts';
import { execHost } from './iptables/host.ts';
import { IptablesProxier, type ProxierHost } from './iptables/proxier.ts';
import { assertIpvsSupported } from './ipvs/kernel.ts';
import { createProxyMetrics, type ProxyMetrics } from './metrics.ts';
import { servicePortsOf } from './model.ts';
import { NftProxier } from './nftables/proxier.ts';
import { hostSpawn } from './nftables/session.ts';
import { NODE_PORT_ADDRESSES_PRIMARY, resolvePrimary } from './node-port-addresses.ts';
import { NodePortHolder } from './node-ports.ts';
import { parseProxyConfig, splitHostPort, USAGE, type ProxyConfig } from './options.ts';
import { BoundedFrequencyRunner } from './runner.ts';
import type { EndpointSliceLike, ServiceLike } from './types.ts';

/** Upstream's selector: skip headless services' slices and those owned by another proxy. */
export const ENDPOINT_SLICE_SELECTOR = '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name';

/** The proxier surface main drives (iptables or nftables). */
interface Proxier {
  /** Upstream NewProxier's one-time host setup (sysctls), before the first sync. */
  setup(): Promise<void>;
  onService(key: string, svc: ServiceLike | undefined): boolean;
  onEndpointSlice(slice: EndpointSliceLike, deleted?: boolean): boolean;
  /** The node's zone label (topology hints); true when it changed (the next sync is then full). */
  onNodeZone(zone: string | undefined): boolean;
  sync(): Promise<unknown>;
  /** Ends helper processes: the nftables proxier's `nft -i` session; the iptables proxier's prepared restore and save, once its idle-time work is done. */
  close?(): void;
  /** Local addresses NodePorts answer on after the last sync; undefined = every local address. */
  readonly nodePortIPs: readonly string[] | undefined;
}

/** Runs the proxy until SIGINT/SIGTERM. Bad flags: message + exit code 2; fatal setup errors: exit code 1. */
export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('proxy', USAGE, () => parseProxyConfig(argv));
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'proxy', node: config.hostnameOverride } });
  if (config.proxyMode === 'ipvs') {
    try {
      assertIpvsSupported();
    } catch (err) {
      process.stderr.write(`k8ts proxy: ${(err as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write('k8ts proxy: --proxy-mode ipvs is rendered (proxy/ipvs) but not applied by this build; use iptables or nftables\n');
    process.exitCode = 1;
    return;
  }
  const signal = shutdownSignal(log);
  let client: Client;
  try {
    client = createClient({ kubeconfig: config.kubeconfig, qps: 50, burst: 100, userAgent: 'kube-proxy', logger: log });
  } catch (err) {
    process.stderr.write(`k8ts proxy: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const cleanups: Array<() => unknown> = [() => client.close()];
  try {
    await run(config, client, log, signal, cleanups);
  } catch (err) {
    log.fatal({ err }, 'proxy failed');
    process.exitCode = 1;
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

async function run(config: ProxyConfig, client: Client, log: Logger, signal: AbortSignal, cleanups: Array<() => unknown>): Promise<void> {
  const exec = hostExec();
  const host = await conntrackTolerantHost(exec, log);
  const nodeIP = await nodeAddress(client, config.hostnameOverride, log);
  // Upstream: nftables mode defaults to `--nodeport-addresses primary`; `primary` means the node IP.
  const requested = config.nodePortAddresses.length === 0 && config.proxyMode === 'nftables' ? [NODE_PORT_ADDRESSES_PRIMARY] : config.nodePortAddresses;
  const nodePortAddresses = resolvePrimary(requested, nodeIP);
  if (requested.length > 0) log.info({ nodePortAddresses, requested }, 'NodePorts answer only on local addresses in these CIDRs');
  const opts = { nodeName: config.hostnameOverride, clusterCIDR: config.clusterCidr, nodePortAddresses, nodeIP, logger: log };
  const metrics = createProxyMetrics();
  let proxier: Proxier;
  if (config.proxyMode === 'nftables') {
    proxier = new NftProxier(exec, host, { ...opts, spawn: hostSpawn() });
    log.info({ mode: 'nftables', nodeIP }, 'using nftables: one "ip kube-proxy" table with map-based dispatch');
  } else {
    const iptables = await detectIptables(exec, hostLaunch());
    const reason =
      iptables.backend === 'legacy'
        ? 'iptables-legacy-restore loads in time linear in the payload; the iptables-nft backend is quadratic in the number of chains on this kernel'
        : 'iptables-legacy is not available; falling back to iptables-nft (slow beyond ~1,000 services)';
    log.info({ mode: 'iptables', backend: iptables.backend, reason, nodeIP }, `using iptables-${iptables.backend}`);
    proxier = new IptablesProxier(iptables, host, opts);
  }

  cleanups.push(() => proxier.close?.());
  await proxier.setup();
  // As upstream's kube-proxy, a Normal `Starting` event (no message) on its Node.
  const events = new EventSink({ client, clock: realClock, log, host: config.hostnameOverride });
  events.recorder('kube-proxy').event({ apiVersion: 'v1', kind: 'Node', metadata: { name: config.hostnameOverride, uid: config.hostnameOverride } }, 'Normal', 'Starting', '');
  const health = new ProxyHealth(2 * config.syncPeriodMs);
  const nodePorts = new NodePortHolder(log);
  cleanups.push(() => nodePorts.close());
  const factory = new SharedInformerFactory(client, { logger: log });
  const services = factory.forResource<Service>(BUILTIN_COORDINATES.services);
  const slices = factory.forResource<EndpointSlice>(BUILTIN_COORDINATES.endpointSlices, { labelSelector: ENDPOINT_SLICE_SELECTOR });
  let synced = false;

  const sync = async (): Promise<void> => {
    if (!synced) return;
    const end = metrics.syncDuration.startTimer();
    const result = await proxier.sync();
    end();
    recordResult(metrics, result);
    metrics.lastSyncTimestamp.setToCurrentTime();
    health.updated();
    const held = [];
    for (const svc of services.store().list()) for (const p of servicePortsOf(svc as unknown as ServiceLike).values()) held.push({ port: p.nodePort, protocol: p.protocol });
    await nodePorts.reconcile(held, proxier.nodePortIPs);
  };
  const runner = new BoundedFrequencyRunner(sync, {
    minIntervalMs: config.minSyncPeriodMs,
    maxIntervalMs: config.syncPeriodMs,
    onError: (err) => log.error({ err }, 'sync failed; retrying'),
  });
  const changed = (pending: boolean): void => {
    if (!pending) return;
    health.queued();
    runner.run();
  };
  const svcKey = (s: { readonly metadata: { readonly namespace?: string; readonly name?: string } }) => `${s.metadata.namespace ?? "default"}/${s.metadata.name ?? ""}`;
  services.addEventHandler({
    onAdd: (s) => changed(proxier.onService(svcKey(s), s as unknown as ServiceLike)),
    onUpdate: (_o, s) => changed(proxier.onService(svcKey(s), s as unknown as ServiceLike)),
    onDelete: (s) => changed(proxier.onService(svcKey(deletedObject(s)), undefined)),
  });
  slices.addEventHandler({
    onAdd: (s) => changed(proxier.onEndpointSlice(s as unknown as EndpointSliceLike)),
    onUpdate: (_o, s) => changed(proxier.onEndpointSlice(s as unknown as EndpointSliceLike)),
    onDelete: (s) => changed(proxier.onEndpointSlice(deletedObject(s) as unknown as EndpointSliceLike, true)),
  });
  // Upstream NodeTopologyConfig: this node's zone label decides which zone-hinted endpoints it uses.
  const node = factory.forResource<Node>(BUILTIN_COORDINATES.nodes, { fieldSelector: `metadata.name=${config.hostnameOverride}` });
  const onNode = (n: { readonly metadata: { readonly labels?: Readonly<Record<string, string>> } }) => changed(proxier.onNodeZone(n.metadata.labels?.[LABEL_TOPOLOGY_ZONE] || undefined));
  node.addEventHandler({ onAdd: onNode, onUpdate: (_o, n) => onNode(n) });

  const healthz = await serve(config.healthzBindAddress, (path) => {
    if (path !== '/healthz' && path !== '/livez') return undefined;
    const r = health.report();
    return { status: r.status, type: 'application/json', body: JSON.stringify(r.body) };
  });
  cleanups.push(() => closeServer(healthz));
  const metricsServer = await serve(config.metricsBindAddress, async (path) => {
    if (path === '/healthz') return { status: 200, type: 'text/plain', body: 'ok' };
    if (path !== '/metrics') return undefined;
    return { status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() };
  });
  cleanups.push(() => closeServer(metricsServer));
  log.info({ healthz: config.healthzBindAddress, metrics: config.metricsBindAddress }, 'serving health and metrics');

  factory.start(signal);
  cleanups.push(() => factory.shutdown());
  if (!(await factory.waitForCacheSync(signal))) return;
  synced = true;
  log.info({ services: services.store().list().length, endpointSlices: slices.store().list().length }, 'caches synced; first sync');
  runner.start();
  cleanups.push(() => runner.stop());
  runner.run();
  await new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true })));
}

function recordResult(metrics: ProxyMetrics, result: unknown): void {
  const r = result as { natRules?: number; filterRules?: number; elements?: number };
  if (r.natRules !== undefined) metrics.iptablesRules.set({ table: 'nat' }, r.natRules);
  if (r.filterRules !== undefined) metrics.iptablesRules.set({ table: 'filter' }, r.filterRules);
  if (r.elements !== undefined) metrics.nftablesElements.set(r.elements);
}

/** The Node's InternalIP, else the first non-loopback IPv4 address of this host. */
async function nodeAddress(client: Client, nodeName: string, log: Logger): Promise<string | undefined> {
  try {
    const node = await client.nodes.get(nodeName);
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ip) return ip;
  } catch (err) {
    log.warn({ err, node: nodeName }, 'cannot read the Node object; using the host address');
  }
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** execHost, but a missing `conntrack` tool only warns (once) instead of failing syncs. */
async function conntrackTolerantHost(exec: Exec, log: Logger): Promise<ProxierHost> {
  // This process runs in the namespace it programs, so its own interface list is the host's.
  const base = { ...execHost(exec), localAddresses: async () => localIPv4Addresses() };
  const probe = await exec('conntrack', ['--version']).catch(() => undefined);
  if (probe && probe.code === 0) return base;
  log.warn('conntrack tool not found: stale UDP conntrack entries of removed endpoints will not be cleared');
  return { ...base, clearUdpConntrack: async () => undefined };
}

/** Every IPv4 address of this host's interfaces, loopback included (upstream InterfaceAddrs). */
function localIPv4Addresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addrs) => (addrs ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address));
}

type Reply = { status: number; type: string; body: string } | undefined;

function serve(bind: string, handler: (path: string) => Reply | Promise<Reply>): Promise<Server> {
  const { host, port } = splitHostPort(bind);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    Promise.resolve(handler(path)).then(
      (r) => {
        if (!r) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
          return;
        }
        res.writeHead(r.status, { 'content-type': r.type }).end(r.body);
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });
}
