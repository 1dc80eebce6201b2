/**
 * `k8ts kubelet [flags]`: one node agent over a CRI runtime (containerd) or, with
 * `--runtime fake`, a hollow node that runs nothing. Serves /healthz on
 * --healthz-bind-address:--healthz-port; runs until SIGINT/SIGTERM.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { createClient } from '../pkg/client/index.ts';
import { parseOrExit, shutdownSignal, UsageError } from '../pkg/util/process.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { checkConfig, containerGcPolicy, evictionThresholds, imageGcPolicy, parseConfig, type KubeletConfig } from './config.ts';
import { CriClient } from './cri/client.ts';
import { Kubelet } from './kubelet.ts';
import { readFlagFile } from '../pkg/util/read-flag-file.ts';
import { sendAccessReviewsTo, webhookAuthorizer } from './server/webhook-authorizer.ts';
import { sendTokenReviewsTo, webhookTokenAuthenticator } from './server/webhook-token-authenticator.ts';
import { readHostFacts } from './node/host-info.ts';
import { DEFAULT_LEASE_DURATION_SECONDS } from './node/node-agent.ts';
import { parseResolvConf } from './node/resolv-conf.ts';
import { CriRuntime } from './runtime/cri-runtime.ts';
import { KubeletMetrics } from './metrics/kubelet-metrics.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { noNodeUsage } from './stats/node-usage.ts';

const USAGE = `Usage: k8ts kubelet --kubeconfig F [flags]

  --kubeconfig F                          credentials and server
  --node-name NAME (--hostname-override)  node name (default: the host name)
  --container-runtime remote|fake         containerd over CRI (default) or hollow nodes (also --runtime cri|fake)
  --hollow-nodes N                        with fake: N nodes <node-name>-0 … in this process
  --container-runtime-endpoint URL        (default unix:///run/containerd/containerd.sock)
  --root-dir DIR                          (default /var/lib/kubelet)
  --node-ip IP --node-labels k=v,… --register-with-taints k=v:Effect,… --max-pods N (110)
  --cluster-dns IP[,IP] --cluster-domain D (cluster.local) --resolv-conf F (/etc/resolv.conf)
  --pod-cidr CIDR --cni-conf-dir DIR      write a CNI bridge config for the pod CIDR
  --pod-manifest-path DIR                 run static pods from manifests (mirror pods in the API)
  --runtime-request-timeout 2m --node-status-update-frequency 10s
  --housekeeping-interval 10s             how often container and node usage is sampled (/stats/summary, /metrics/resource)
  --address ADDR --port N                 kubelet API for logs (default 0.0.0.0:10250)
  --tls-cert-file F --tls-private-key-file F  serve the kubelet API over HTTPS (default plain HTTP)
  --client-ca-file F                      authenticate callers by client certificates of this CA
  --anonymous-auth=false                  refuse callers without credentials (401; default: anonymous)
  --authentication-token-webhook          authenticate bearer tokens by TokenReviews to the API server (default: tokens ignored)
  --authentication-token-webhook-cache-ttl 2m0s  how long a TokenReview answer is reused
  --authorization-mode AlwaysAllow|Webhook  Webhook: ask the API server (SubjectAccessReview)
  --eviction-hard S                       hard eviction thresholds (default memory.available<100Mi,nodefs.available<10%,
                                          nodefs.inodesFree<5%,imagefs.available<15%,imagefs.inodesFree<5%; replaces them all)
  --eviction-soft S --eviction-soft-grace-period signal=duration,…  soft thresholds and how long they must hold
  --eviction-minimum-reclaim signal=quantity,…  what to free beyond a threshold before it clears
  --eviction-pressure-transition-period 5m  how long a pressure condition stays after its signal cleared
  --eviction-max-pod-grace-period N (0)   grace period of soft evictions, seconds
  --image-gc-high-threshold 85 --image-gc-low-threshold 80  image GC from/down to this % of the image filesystem (100 = off)
  --image-minimum-gc-age 2m --image-maximum-gc-age 0  keep images first seen this recently; remove unused ones this old (0 = off)
  --minimum-container-ttl-duration 0 --maximum-dead-containers-per-container 1 --maximum-dead-containers=-1
                                          container GC: dead containers kept (per container name, per node; -1 = all)
  --healthz-bind-address ADDR --healthz-port N (127.0.0.1:10248)
  --log-level LEVEL
`;

function readResolvConf(path: string) {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

/** Builds the kubelet for a config (not started). */
export function buildKubelet(config: KubeletConfig, log = pino({ level: 'silent' })): { kubelet: Kubelet; close(): void } {
  mkdirSync(config.rootDir, { recursive: true });
  // Hollow nodes share one process: a few connections each (upstream's kubelet multiplexes one
  // HTTP/2 connection), not 32 — thousands of nodes would otherwise open tens of thousands of sockets.
  const hollow = config.runtime === 'fake' && config.hollowNodes > 1;
  const identity = { kubeconfig: config.kubeconfig, userAgent: `kubelet/${config.nodeName}`, logger: log };
  const client = createClient({ ...identity, qps: 50, burst: 100, maxConnections: hollow ? 2 : undefined });
  // Upstream's heartbeat client: unthrottled, on its own connection, timing out within a status
  // period (and the 40 s lease), so pod status writes and events queued on the shared connections
  // cannot delay a Lease renewal until the node controller marks the node NotReady.
  const heartbeatClient = createClient({ ...identity, qps: Number.POSITIVE_INFINITY, maxConnections: 1, timeoutMs: Math.min(config.statusIntervalMs, DEFAULT_LEASE_DURATION_SECONDS * 1000) });
  // Process metrics only when this process is the one kubelet (hollow nodes share it).
  const metrics = new KubeletMetrics({ nodeName: config.nodeName, defaultMetrics: !hollow });
  const cri = config.runtime === 'cri' ? new CriClient({ endpoint: config.runtimeEndpoint, timeoutMs: config.runtimeRequestTimeoutMs, observe: metrics.runtimeOperation }) : undefined;
  const runtime = cri ? new CriRuntime(cri) : new FakeRuntime(realClock);
  const kubelet = new Kubelet({
    client,
    heartbeatClient,
    runtime,
    metrics,
    clock: realClock,
    log,
    nodeName: config.nodeName,
    facts: readHostFacts({ rootDir: config.rootDir, nodeIP: config.nodeIP, maxPods: config.maxPods, hostname: config.nodeName }),
    rootDir: config.rootDir,
    dns: { clusterDns: config.clusterDns, clusterDomain: config.clusterDomain, host: readResolvConf(config.resolvConf) },
    labels: config.labels,
    taints: config.taints,
    cniConfDir: config.cniConfDir,
    podManifestPath: config.podManifestPath,
    podCidr: config.podCidr,
    statusIntervalMs: config.statusIntervalMs,
    housekeepingMs: config.housekeepingIntervalMs,
    // Hollow nodes run nothing of their own: the host's usage is not theirs to report, nor its
    // pressure, and they hold no images or dead containers to collect; their runtime forgets
    // every pod on a restart, so their resize grants are not checkpointed either.
    ...(config.runtime === 'fake'
      ? { nodeUsage: noNodeUsage, checkpointAllocations: false }
      : {
          eviction: { thresholds: evictionThresholds(config), pressureTransitionMs: config.evictionPressureTransitionPeriodMs, maxPodGracePeriodSeconds: config.evictionMaxPodGracePeriod },
          gc: { containerPolicy: containerGcPolicy(config), imagePolicy: imageGcPolicy(config) },
        }),
    // Hollow nodes re-sync every pod each minute, upstream's --sync-frequency default; thousands of
    // them at the real kubelet's 10 s would spend the process on re-checking pods that run nothing.
    resyncMs: hollow ? 60_000 : undefined,
    serverAddress: { host: config.address, port: config.port },
    serverTls: config.tlsCertFile && config.tlsPrivateKeyFile
      ? {
          cert: readFlagFile('--tls-cert-file', config.tlsCertFile),
          key: readFlagFile('--tls-private-key-file', config.tlsPrivateKeyFile),
          ...(config.clientCaFile ? { clientCa: readFlagFile('--client-ca-file', config.clientCaFile) } : {}),
        }
      : undefined,
    serverAuth: {
      nodeName: config.nodeName,
      anonymous: config.anonymousAuth,
      ...(config.authenticationTokenWebhook
        ? { authenticateToken: webhookTokenAuthenticator(sendTokenReviewsTo(client.rest), { ttlMs: config.authenticationTokenWebhookCacheTtlMs, log }) }
        : {}),
      ...(config.authorizationMode === 'Webhook' ? { authorize: webhookAuthorizer(sendAccessReviewsTo(client.rest)) } : {}),
    },
  });
  return {
    kubelet,
    close: () => {
      cri?.close();
      void client.close();
      void heartbeatClient.close();
    },
  };
}

/** The node configs this process runs: one, or `--hollow-nodes` hollow ones on free API ports. */
export function nodeConfigs(config: KubeletConfig): KubeletConfig[] {
  if (config.hollowNodes <= 1) return [config];
  return Array.from({ length: config.hollowNodes }, (_, i) => ({ ...config, nodeName: `${config.nodeName}-${i}`, port: 0, rootDir: `${config.rootDir}/${config.nodeName}-${i}` }));
}

export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('kubelet', USAGE, () => {
    const parsed = parseConfig(argv, hostname());
    const problem = parsed === 'help' ? undefined : checkConfig(parsed);
    if (problem) throw new UsageError(problem);
    return parsed;
  });
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'kubelet' } });
  const built = nodeConfigs(config).map((c) => buildKubelet(c, log.child({ node: c.nodeName })));
  const signal = shutdownSignal(log);
  const healthz = createServer((req, res) => {
    const found = req.url === '/healthz';
    res.writeHead(found ? 200 : 404, { 'content-type': 'text/plain' }).end(found ? 'ok' : '404 page not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    healthz.once('error', reject);
    healthz.listen(config.healthzPort, config.healthzBindAddress, () => resolve());
  });
  log.info({ runtime: config.runtime, endpoint: config.runtimeEndpoint, nodes: built.length }, 'kubelet starting');
  try {
    await Promise.all(built.map((b) => b.kubelet.run(signal)));
  } catch (err) {
    log.fatal({ err }, 'kubelet failed');
    process.exitCode = 1;
  } finally {
    healthz.close();
    for (const b of built) b.close();
  }
}
