/**
 * `k8ts proxy` flags: node:util parseArgs spec, the zod schema of the validated configuration,
 * and the usage text.
 */
import { z } from 'zod';
import { parseFlags } from '../pkg/util/process.ts';
import { validateNodePortAddresses } from './node-port-addresses.ts';

/** The command-line flags (node:util parseArgs spec). */
export const FLAG_SPEC = {
  kubeconfig: { type: 'string' },
  'hostname-override': { type: 'string' },
  'proxy-mode': { type: 'string' },
  'cluster-cidr': { type: 'string' },
  'min-sync-period': { type: 'string' },
  'sync-period': { type: 'string' },
  'nodeport-addresses': { type: 'string' },
  'healthz-bind-address': { type: 'string' },
  'metrics-bind-address': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

export { parseDuration } from '../pkg/util/duration.ts';
import { parseDuration } from '../pkg/util/duration.ts';

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 10.244.0.0/16');
const hostPort = z.string().regex(/^[^\s:]*:\d{1,5}$/, 'must be host:port');
const duration = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s, ctx) => {
      try {
        return parseDuration(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

/** The validated configuration of `k8ts proxy`. */
export const ProxyConfigSchema = z.object({
  kubeconfig: z.string().min(1, '--kubeconfig is required'),
  hostnameOverride: z.string().min(1, '--hostname-override is required'),
  proxyMode: z.enum(['iptables', 'nftables', 'ipvs']).default('iptables'),
  clusterCidr: cidr.optional(),
  minSyncPeriodMs: duration('1s'),
  syncPeriodMs: duration('30s'),
  nodePortAddresses: z
    .array(z.string())
    .default([])
    .superRefine((values, ctx) => {
      for (const p of validateNodePortAddresses(values)) ctx.addIssue({ code: 'custom', path: [p.index], message: p.message });
    }),
  healthzBindAddress: hostPort.default('0.0.0.0:10256'),
  metricsBindAddress: hostPort.default('127.0.0.1:10249'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The parsed configuration. */
export type ProxyConfig = z.infer<typeof ProxyConfigSchema>;

/** Flags → validated config (throws UsageError listing every problem); `'help'` for -h. */
export function parseProxyConfig(argv: string[]): ProxyConfig | 'help' {
  return parseFlags(argv, FLAG_SPEC, ProxyConfigSchema, (v) => ({
    kubeconfig: v.kubeconfig ?? '',
    hostnameOverride: v['hostname-override'] ?? '',
    proxyMode: v['proxy-mode'] === '' ? undefined : v['proxy-mode'],
    clusterCidr: v['cluster-cidr'],
    minSyncPeriodMs: v['min-sync-period'],
    syncPeriodMs: v['sync-period'],
    nodePortAddresses: typeof v['nodeport-addresses'] === 'string' ? v['nodeport-addresses'].split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    healthzBindAddress: v['healthz-bind-address'],
    metricsBindAddress: v['metrics-bind-address'],
    logLevel: v['log-level'],
  }));
}

export { splitHostPort } from '../pkg/util/host-port.ts';

export const USAGE = `Usage: k8ts proxy --kubeconfig F --hostname-override NODE [flags]

  --proxy-mode iptables|nftables|ipvs   (default iptables; ipvs needs kernel IPVS support)
  --cluster-cidr CIDR                   pod CIDR; traffic from outside it is masqueraded
  --min-sync-period D                   minimum time between syncs (default 1s)
  --sync-period D                       a full resync at least this often (default 30s)
  --nodeport-addresses CIDR[,CIDR]|primary
                                        NodePorts answer only on local addresses in these CIDRs
                                        (primary: the node IP; default: every local address in
                                        iptables mode, primary in nftables mode)
  --healthz-bind-address HOST:PORT      (default 0.0.0.0:10256)
  --metrics-bind-address HOST:PORT      (default 127.0.0.1:10249)
  --log-level LEVEL                     (default info)
`;
