/**
 * The prober's metrics behind `GET /metrics/probes` (upstream pkg/kubelet/prober: its own
 * registry, `prober_probe_total`): one counter per container probe and result, counted each time
 * a probe actually runs (not while waiting out `initialDelaySeconds` or a startup probe), and
 * dropped when the probe's worker stops, as upstream's worker deletes its series.
 *
 * Not emitted: the `unknown` result (k8ts' prober reports a probe that could not run as failed)
 * and `prober_probe_duration_seconds`.
 */
import { Counter, Registry } from 'prom-client';

/** Upstream's `probe_type` label values. */
export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

/** The labels of one worker's series (all but `result`). */
export interface ProbeLabels {
  probeType: ProbeType;
  container: string;
  pod: string;
  namespace: string;
  podUid: string;
}

const RESULTS = ['successful', 'failed'] as const;

/** Contract: one instance per kubelet; `registry` is the `/metrics/probes` body; recording never throws. */
export class ProberMetrics {
  readonly registry = new Registry();
  private readonly results = new Counter({
    name: 'prober_probe_total',
    help: '[ALPHA] Cumulative number of a liveness, readiness or startup probe for a container by result.',
    labelNames: ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid'],
    registers: [this.registry],
  });

  /** A probe ran with this outcome. */
  probed(labels: ProbeLabels, success: boolean): void {
    this.results.inc(labelValues(labels, success ? 'successful' : 'failed'));
  }

  /** The probe's worker stopped: its series go. */
  forget(labels: ProbeLabels): void {
    for (const result of RESULTS) this.results.remove(labelValues(labels, result));
  }
}

/** The label values in upstream's declaration order (prom-client writes them in this order). */
function labelValues(l: ProbeLabels, result: (typeof RESULTS)[number]) {
  return { probe_type: l.probeType, result, container: l.container, pod: l.pod, namespace: l.namespace, pod_uid: l.podUid };
}
