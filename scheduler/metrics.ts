/** Scheduler metrics (upstream names): attempts, attempt/e2e latency, pending pods per queue. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueueName } from './queue/index.ts';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

const BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];

/** Contract: one instance per registry; `pendingPods` is read on every scrape. */
export class SchedulerMetrics {
  private readonly attempts: Counter<'result' | 'profile'>;
  private readonly attemptDuration: Histogram<'result' | 'profile'>;
  private readonly e2e: Histogram<'result' | 'profile'>;
  private readonly sli: Histogram<'attempts'>;

  constructor(
    readonly registry: Registry,
    pendingPods: () => Record<QueueName, number>,
  ) {
    const registers = [registry];
    this.attempts = new Counter({ name: 'scheduler_schedule_attempts_total', help: 'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.', labelNames: ['result', 'profile'], registers });
    this.attemptDuration = new Histogram({ name: 'scheduler_scheduling_attempt_duration_seconds', help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)', labelNames: ['result', 'profile'], buckets: BUCKETS, registers });
    this.e2e = new Histogram({ name: 'scheduler_e2e_scheduling_duration_seconds', help: 'E2e scheduling latency in seconds (scheduling algorithm + binding).', labelNames: ['result', 'profile'], buckets: BUCKETS, registers });
    this.sli = new Histogram({ name: 'scheduler_pod_scheduling_sli_duration_seconds', help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.', labelNames: ['attempts'], buckets: BUCKETS, registers });
    new Gauge({
      name: 'scheduler_pending_pods',
      help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      labelNames: ['queue'],
      registers,
      collect() {
        for (const [queue, n] of Object.entries(pendingPods())) this.set({ queue }, n);
      },
    });
  }

  /** One finished attempt of `seconds`. */
  attempt(result: AttemptResult, profile: string, seconds: number): void {
    this.attempts.inc({ result, profile });
    this.attemptDuration.observe({ result, profile }, seconds);
    this.e2e.observe({ result, profile }, seconds);
  }

  /** A pod bound after `attempts` attempts, `seconds` after it first entered the queue. */
  podScheduled(attempts: number, seconds: number): void {
    this.sli.observe({ attempts: String(Math.min(attempts, 15)) }, seconds);
  }
}
