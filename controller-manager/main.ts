/**
 * `k8ts controller-manager [flags]`: one leader-elected process running the selected built-in
 * controllers on a shared manager (informers, probes and metrics on --bind-address:--secure-port,
 * served over plain HTTP). Exits 1 when leadership is lost, as kube-controller-manager does.
 */
import { pino } from 'pino';
import { createClient } from '../pkg/client/index.ts';
import { LeadershipLostError, Manager } from '../pkg/runtime/index.ts';
import { parseOrExit, shutdownSignal, UsageError } from '../pkg/util/process.ts';
import { parseConfig, type ControllerManagerConfig } from './config.ts';
import { BUILTIN_CONTROLLERS } from './controllers/index.ts';
import { selectControllers, UnknownControllerError } from './select-controllers.ts';

const USAGE = `Usage: k8ts controller-manager --kubeconfig F [flags]

  --kubeconfig F                       credentials and server (or --master URL for a local insecure server)
  --controllers LIST                   '*' = defaults, 'name' enables, '-name' disables (default '*')
  --leader-elect[=false]               elect a leader on a Lease (default true)
  --leader-elect-lease-duration 15s --leader-elect-renew-deadline 10s --leader-elect-retry-period 2s
  --leader-elect-resource-name N       (default kube-controller-manager, in kube-system)
  --kube-api-qps N --kube-api-burst N  client rate limit (default 20 / 30)
  --allocate-node-cidrs --cluster-cidr CIDR [--node-cidr-mask-size 24]
  --node-monitor-grace-period 40s --node-monitor-period 5s --node-startup-grace-period 60s
  --node-eviction-rate 0.1 --secondary-node-eviction-rate 0.01
  --unhealthy-zone-threshold 0.55 --large-cluster-size-threshold 50
  --terminated-pod-gc-threshold 12500  finished pods kept before pod GC removes the oldest
  --cluster-signing-cert-file F --cluster-signing-key-file F   CA csrsigning issues certificates with
  --cluster-signing-duration 8760h     longest validity of an issued certificate
  --root-ca-file F                     CA root-ca-cert-publisher puts in kube-root-ca.crt (default: the kubeconfig's)
  --service-account-private-key-file F key serviceaccount-token signs legacy token Secrets with (absent: that controller is off)
  --horizontal-pod-autoscaler-sync-period 15s --horizontal-pod-autoscaler-downscale-stabilization 5m0s
  --horizontal-pod-autoscaler-tolerance 0.1 --horizontal-pod-autoscaler-cpu-initialization-period 5m0s
  --horizontal-pod-autoscaler-initial-readiness-delay 30s
  --concurrent-<controller>-syncs N    workers per controller (e.g. --concurrent-deployment-syncs)
  --bind-address ADDR --secure-port N  /healthz /readyz /metrics (default 127.0.0.1:10257)
  --log-level LEVEL                    (default info)

Controllers: ${BUILTIN_CONTROLLERS.map((c) => c.name).join(', ')}
`;

/** Builds the manager with the selected controllers registered (not started). */
export function buildControllerManager(config: ControllerManagerConfig, log = pino({ level: 'silent' })): Manager {
  const controllers = selectControllers(config.controllers, BUILTIN_CONTROLLERS);
  const client = createClient({ kubeconfig: config.kubeconfig ?? config.master, qps: config.qps, burst: config.burst, userAgent: 'kube-controller-manager', logger: log });
  const manager = new Manager({
    client,
    logger: log,
    probeAddress: { host: config.bindAddress, port: config.port },
    processMetrics: true,
    leaderElection: config.leaderElect
      ? { name: config.leaseName, namespace: config.leaseNamespace, leaseDurationMs: config.leaseDurationMs, renewDeadlineMs: config.renewDeadlineMs, retryPeriodMs: config.retryPeriodMs }
      : undefined,
  });
  for (const controller of controllers) {
    controller.register({ manager, settings: config.settings });
    log.info({ controller: controller.name }, 'registered controller');
  }
  return manager;
}

/** Runs until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  const config = parseOrExit('controller-manager', USAGE, () => {
    const parsed = parseConfig(argv);
    if (parsed !== 'help') {
      try {
        selectControllers(parsed.controllers, BUILTIN_CONTROLLERS);
      } catch (err) {
        if (err instanceof UnknownControllerError) throw new UsageError(err.message);
        throw err;
      }
    }
    return parsed;
  });
  if (!config) return;
  const log = pino({ level: config.logLevel, base: { component: 'controller-manager' } });
  const manager = buildControllerManager(config, log);
  const signal = shutdownSignal(log);
  try {
    await manager.start(signal);
  } catch (err) {
    log.fatal({ err }, err instanceof LeadershipLostError ? 'leaderelection lost' : 'controller-manager failed');
    process.exitCode = 1;
  } finally {
    await manager.client.close();
  }
}
