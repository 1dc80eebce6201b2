/**
 * `k8ts scheduler [flags]`: the kube-scheduler. One leader-elected process (Lease
 * kube-system/kube-scheduler) running every profile of the configuration; /healthz, /readyz and
 * /metrics on --bind-address:--secure-port (plain HTTP). Exits 1 when leadership is lost.
 */
import { pino, type Logger } from 'pino';
import { createClient } from '../pkg/client/index.ts';
import { LeadershipLostError, Manager } from '../pkg/runtime/index.ts';
import { parseOrExit, shutdownSignal } from '../pkg/util/process.ts';
import type { Registry } from './framework/index.ts';
import { parseSchedulerConfig, type SchedulerProcessConfig } from './options.ts';
import { inTreeRegistry } from './plugins/index.ts';
import { Scheduler } from './scheduler.ts';

const USAGE = `Usage: k8ts scheduler --kubeconfig F [flags]

  --kubeconfig F                       credentials and server (or --master URL for a local insecure server)
  --config F                           KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file
  --leader-elect[=false]               elect a leader on a Lease (default true)
  --leader-elect-lease-duration 15s --leader-elect-renew-deadline 10s --leader-elect-retry-period 2s
  --leader-elect-resource-name N       (default kube-scheduler, in kube-system)
  --kube-api-qps N --kube-api-burst N  client rate limit (default 50 / 100)
  --bind-address ADDR --secure-port N  /healthz /readyz /metrics (default 0.0.0.0:10259)
  --log-level LEVEL                    (default info)
`;

/** Builds the manager and scheduler (not started). */
export async function buildScheduler(config: SchedulerProcessConfig, options: { log?: Logger; registry?: Registry } = {}): Promise<{ manager: Manager; scheduler: Scheduler }> {
  const log = options.log ?? pino({ level: 'silent' });
  const client = createClient({ kubeconfig: config.kubeconfig ?? config.master, qps: config.qps, burst: config.burst, userAgent: 'kube-scheduler', logger: log });
  const manager = new Manager({
    client,
    logger: log,
    probeAddress: { host: config.bindAddress, port: config.port },
    processMetrics: true,
    leaderElection: config.leaderElect
      ? { name: config.leaseName, namespace: config.leaseNamespace, leaseDurationMs: config.leaseDurationMs, renewDeadlineMs: config.renewDeadlineMs, retryPeriodMs: config.retryPeriodMs }
      : undefined,
  });
  const scheduler = await Scheduler.create({ manager, config: config.scheduler, registry: options.registry ?? inTreeRegistry(), log });
  return { manager, scheduler };
}

/** Runs until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('scheduler', USAGE, () => parseSchedulerConfig(argv));
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'scheduler' } });
  let built: Awaited<ReturnType<typeof buildScheduler>>;
  try {
    built = await buildScheduler(config, { log });
  } catch (err) {
    log.fatal({ err }, 'invalid scheduler configuration');
    process.stderr.write(`k8ts scheduler: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const signal = shutdownSignal(log);
  try {
    await built.manager.start(signal);
  } catch (err) {
    log.fatal({ err }, err instanceof LeadershipLostError ? 'leaderelection lost' : 'scheduler failed');
    process.exitCode = 1;
  } finally {
    await built.manager.client.close();
  }
}
