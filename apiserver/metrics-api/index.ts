/**
 * metrics.k8s.io/v1beta1 served by the API server itself (upstream's metrics-server, built in as
 * k3s bundles it): `createMetricsApi` builds the source the resource route asks for
 * NodeMetrics and PodMetrics (`ResourceInfo.computed`).
 */
import type { KubeletTransport } from '../handlers/kubelet-client.ts';
import type { MetricsApi } from './handler.ts';
import { KubeletSummaries, type SummaryGet } from './kubelet-summaries.ts';

export { metricsHandler, type MetricsApi } from './handler.ts';

/** Tuning of the metrics source; every field has a default. */
export interface MetricsApiOptions {
  /** Reuse a node's summary fetched less than this long ago (default 5 s). */
  maxAgeMs?: number;
  /** Give up on a kubelet after this long (default 5 s). */
  timeoutMs?: number;
  /** The `window` reported: the interval the kubelets' usage rates cover (default 10 s). */
  windowMs?: number;
  /** Milliseconds since the epoch, for the cache (tests). */
  now?: () => number;
  /** The HTTP edge (tests). */
  get?: SummaryGet;
}

/** The metrics source of one API server (each `--workers` process has its own, with its own cache). */
export function createMetricsApi(options: MetricsApiOptions & { transport?: KubeletTransport }): MetricsApi {
  const { windowMs = 10_000, ...rest } = options;
  return { summaries: new KubeletSummaries(rest), windowMs };
}
