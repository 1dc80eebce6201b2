/** `k8ts scheduler` flags and the optional --config file → the resolved configuration. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../pkg/util/duration.ts';
import { parseFlags, UsageError } from '../pkg/util/process.ts';
import { defaultConfiguration, resolveConfiguration, type ResolvedConfiguration } from './framework/index.ts';

export const FLAG_SPEC = {
  kubeconfig: { type: 'string' },
  master: { type: 'string' },
  config: { type: 'string' },
  'leader-elect': { type: 'boolean' },
  'leader-elect-lease-duration': { type: 'string' },
  'leader-elect-renew-deadline': { type: 'string' },
  'leader-elect-retry-period': { type: 'string' },
  'leader-elect-resource-name': { type: 'string' },
  'leader-elect-resource-namespace': { type: 'string' },
  'kube-api-qps': { type: 'string' },
  'kube-api-burst': { type: 'string' },
  'bind-address': { type: 'string' },
  'secure-port': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

const FlagsSchema = z.object({
  kubeconfig: z.string().optional(),
  master: z.string().url().optional(),
  config: z.string().optional(),
  leaderElect: z.boolean().optional(),
  leaseDuration: z.string().optional(),
  renewDeadline: z.string().optional(),
  retryPeriod: z.string().optional(),
  leaseName: z.string().min(1).optional(),
  leaseNamespace: z.string().min(1).optional(),
  qps: z.coerce.number().positive().optional(),
  burst: z.coerce.number().int().positive().optional(),
  bindAddress: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(10259),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything `main` needs. */
export interface SchedulerProcessConfig {
  kubeconfig?: string;
  master?: string;
  bindAddress: string;
  port: number;
  logLevel: string;
  leaderElect: boolean;
  leaseName: string;
  leaseNamespace: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  qps: number;
  burst: number;
  scheduler: ResolvedConfiguration;
}

/** Reads and resolves a KubeSchedulerConfiguration file (YAML or JSON); throws UsageError naming the file. */
export function loadConfigFile(path: string): ResolvedConfiguration {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`failed to read config file "${path}": ${(err as Error).message}`);
  }
  try {
    return resolveConfiguration(raw);
  } catch (err) {
    throw new UsageError(`invalid config file "${path}": ${(err as Error).message}`);
  }
}

/** Flags (and --config) → config; flags given explicitly override the file. */
export function parseSchedulerConfig(argv: string[]): SchedulerProcessConfig | 'help' {
  const flags = parseFlags(argv, FLAG_SPEC, FlagsSchema, (v) => {
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    return {
      kubeconfig: str('kubeconfig'),
      master: str('master'),
      config: str('config'),
      leaderElect: v['leader-elect'] as boolean | undefined,
      leaseDuration: str('leader-elect-lease-duration'),
      renewDeadline: str('leader-elect-renew-deadline'),
      retryPeriod: str('leader-elect-retry-period'),
      leaseName: str('leader-elect-resource-name'),
      leaseNamespace: str('leader-elect-resource-namespace'),
      qps: str('kube-api-qps'),
      burst: str('kube-api-burst'),
      bindAddress: str('bind-address'),
      port: str('secure-port'),
      logLevel: str('log-level'),
    };
  });
  if (flags === 'help') return 'help';
  const scheduler = flags.config ? loadConfigFile(flags.config) : defaultConfiguration();
  const le = scheduler.leaderElection;
  const duration = (flag: string | undefined, fromFile: string, name: string) => {
    try {
      return parseDuration(flag ?? fromFile);
    } catch (err) {
      throw new UsageError(`${name}: ${(err as Error).message}`);
    }
  };
  const config: SchedulerProcessConfig = {
    kubeconfig: flags.kubeconfig ?? scheduler.clientConnection.kubeconfig,
    master: flags.master,
    bindAddress: flags.bindAddress,
    port: flags.port,
    logLevel: flags.logLevel,
    leaderElect: flags.leaderElect ?? le.leaderElect,
    leaseName: flags.leaseName ?? le.resourceName,
    leaseNamespace: flags.leaseNamespace ?? le.resourceNamespace,
    leaseDurationMs: duration(flags.leaseDuration, le.leaseDuration, '--leader-elect-lease-duration'),
    renewDeadlineMs: duration(flags.renewDeadline, le.renewDeadline, '--leader-elect-renew-deadline'),
    retryPeriodMs: duration(flags.retryPeriod, le.retryPeriod, '--leader-elect-retry-period'),
    qps: flags.qps ?? scheduler.clientConnection.qps,
    burst: flags.burst ?? scheduler.clientConnection.burst,
    scheduler,
  };
  if (!config.kubeconfig && !config.master) throw new UsageError('kubeconfig: give --kubeconfig (or --master for an insecure local server)');
  if (config.leaderElect && config.renewDeadlineMs >= config.leaseDurationMs) throw new UsageError('leaderElection: leaseDuration must be greater than renewDeadline');
  return config;
}
