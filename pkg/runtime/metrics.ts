/**
 * Prometheus metrics of one manager (its own registry), named as controller-runtime and
 * client-go name them: `controller_runtime_reconcile_total{controller,result}`,
 * `controller_runtime_reconcile_time_seconds`, `controller_runtime_terminal_reconcile_errors_total`,
 * `workqueue_depth`, `workqueue_adds_total`, `workqueue_retries_total`,
 * `workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds`, and `leader_election_master_status`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueMetrics } from '../workqueue/index.ts';

/** Reconcile outcomes as label values. */
export type ReconcileOutcome = 'success' | 'error' | 'terminal_error' | 'requeue' | 'requeue_after';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The metrics of one manager; `registry.metrics()` is the /metrics body. */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly queueMetrics: QueueMetrics;
  private readonly reconciles = new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'], registers: [this.registry] });
  private readonly terminal = new Counter({ name: 'controller_runtime_terminal_reconcile_errors_total', help: 'Total number of terminal reconciliation errors per controller', labelNames: ['controller'], registers: [this.registry] });
  private readonly reconcileTime = new Histogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames: ['controller'], buckets: SECONDS_BUCKETS, registers: [this.registry] });
  private readonly leader = new Gauge({ name: 'leader_election_master_status', help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.', labelNames: ['name'], registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers: [this.registry] });
    const adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'], registers: [this.registry] });
    const retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'], registers: [this.registry] });
    const wait = new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames: ['name'], buckets: SECONDS_BUCKETS, registers: [this.registry] });
    const work = new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames: ['name'], buckets: SECONDS_BUCKETS, registers: [this.registry] });
    this.queueMetrics = {
      depth: (name, n) => depth.set({ name }, n),
      added: (name) => adds.inc({ name }),
      retried: (name) => retries.inc({ name }),
      queueLatency: (name, ms) => wait.observe({ name }, ms / 1000),
      workDuration: (name, ms) => work.observe({ name }, ms / 1000),
    };
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observeReconcile(controller: string, outcome: ReconcileOutcome, ms: number): void {
    this.reconciles.inc({ controller, result: outcome });
    if (outcome === 'terminal_error') this.terminal.inc({ controller });
    this.reconcileTime.observe({ controller }, ms / 1000);
  }

  setLeader(lease: string, isLeader: boolean): void {
    this.leader.set({ name: lease }, isLeader ? 1 : 0);
  }
}
