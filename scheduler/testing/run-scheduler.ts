/**
 * Runs a scheduler against a test control plane for integration tests: its own unthrottled
 * client and manager, stopped (and its client closed) by `halt()` or by `cp.stop()`.
 */
import { pino } from 'pino';
import { createClient } from '../../pkg/client/index.ts';
import { Manager } from '../../pkg/runtime/index.ts';
import type { TestControlPlane } from '../../pkg/testing/index.ts';
import { defaultConfiguration, type Registry, type ResolvedConfiguration } from '../framework/index.ts';
import { inTreeRegistry } from '../plugins/index.ts';
import { Scheduler } from '../scheduler.ts';

export interface RunSchedulerOptions {
  /** Default: the in-tree registry. */
  registry?: Registry;
  /** Default: the upstream default configuration. */
  config?: ResolvedConfiguration;
  /** Elect a leader on `kube-system/kube-scheduler` with short test timings. */
  leaderElection?: boolean;
}

export interface RunningScheduler {
  manager: Manager;
  scheduler: Scheduler;
  /** Stops the scheduler and closes its client; idempotent. */
  halt(): Promise<void>;
}

export async function runScheduler(cp: TestControlPlane, options: RunSchedulerOptions = {}): Promise<RunningScheduler> {
  const client = createClient({ kubeconfig: cp.kubeconfigPath, qps: Infinity });
  const manager = new Manager({
    client,
    logger: pino({ level: 'silent' }),
    leaderElection: options.leaderElection ? { name: 'kube-scheduler', namespace: 'kube-system', leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 200 } : undefined,
  });
  const scheduler = await Scheduler.create({ manager, config: options.config ?? defaultConfiguration(), registry: options.registry ?? inTreeRegistry(), log: pino({ level: 'silent' }) });
  const stop = new AbortController();
  const running = manager.start(stop.signal).catch(() => undefined);
  let halted: Promise<void> | undefined;
  const halt = () =>
    (halted ??= (async () => {
      stop.abort();
      await running;
      await client.close();
    })());
  cp.onStop(halt);
  return { manager, scheduler, halt };
}
