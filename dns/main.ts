/**
 * `k8ts dns --kubeconfig F [--bind-address 0.0.0.0] [--port 53] [--cluster-domain cluster.local]
 * [--upstream 1.1.1.1,…]`: the cluster DNS (what CoreDNS does in a kubeadm cluster), answering
 * from Services and EndpointSlices and forwarding other names to the host's resolvers.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { z } from 'zod';
import { createClient } from '../pkg/client/index.ts';
import { parseFlags, parseOrExit, shutdownSignal } from '../pkg/util/process.ts';
import { parseResolvConf } from '../kubelet/node/resolv-conf.ts';
import { startProbeServer } from '../pkg/runtime/probe-server.ts';
import { splitHostPort } from '../pkg/util/host-port.ts';
import { createDnsMetrics } from './metrics.ts';
import { startDnsServer } from './server.ts';
import { InformerDnsView } from './view.ts';

const FLAG_SPEC = {
  kubeconfig: { type: 'string' },
  'bind-address': { type: 'string' },
  port: { type: 'string' },
  'cluster-domain': { type: 'string' },
  upstream: { type: 'string' },
  'metrics-bind-address': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

const ConfigSchema = z.object({
  kubeconfig: z.string().min(1),
  bindAddress: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(53),
  clusterDomain: z.string().default('cluster.local'),
  upstreams: z.array(z.string()),
  /** /healthz, /readyz and /metrics (CoreDNS serves its metrics on :9153). */
  metricsAddress: z.string().regex(/^[^:]*:\d{1,5}$/, 'must be HOST:PORT').default('0.0.0.0:9153'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const USAGE = `Usage: k8ts dns --kubeconfig F [--bind-address 0.0.0.0] [--port 53] [--cluster-domain cluster.local] [--upstream IP[,IP]]
                [--metrics-bind-address 0.0.0.0:9153]   /healthz, /readyz (caches synced) and /metrics
`;

function hostResolvers(): string[] {
  try {
    return parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8')).servers.filter((s) => !s.startsWith('127.'));
  } catch {
    return [];
  }
}

export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('dns', USAGE, () =>
    parseFlags(argv, FLAG_SPEC, ConfigSchema, (v) => ({
      kubeconfig: v.kubeconfig,
      bindAddress: v['bind-address'],
      port: v.port,
      clusterDomain: v['cluster-domain'],
      upstreams: typeof v.upstream === 'string' ? v.upstream.split(',').filter(Boolean) : hostResolvers(),
      metricsAddress: v['metrics-bind-address'],
      logLevel: v['log-level'],
    })),
  );
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'dns' } });
  const client = createClient({ kubeconfig: config.kubeconfig, qps: 20, burst: 30, userAgent: 'k8ts-dns' });
  const view = new InformerDnsView(client, config.clusterDomain);
  const signal = shutdownSignal(log);
  const metrics = createDnsMetrics();
  let synced = false;
  const probe = await startProbeServer(splitHostPort(config.metricsAddress), { ready: () => synced, registry: metrics.registry });
  await view.start(signal);
  synced = true;
  const server = await startDnsServer({ view, host: config.bindAddress, port: config.port, upstreams: config.upstreams, log, metrics });
  log.info({ address: config.bindAddress, port: server.port, upstreams: config.upstreams }, 'serving DNS');
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  await server.close();
  await probe.close();
  await view.stop();
  await client.close();
}
