/**
 * The kubelet API's Prometheus endpoints besides `/metrics/resource`: `GET /metrics` (the
 * kubelet's own metrics), `GET /metrics/cadvisor` (container and machine usage) and
 * `GET /metrics/probes` (probe results), each a separate registry as upstream serves them, in the
 * text format 0.0.4. Authorization is the server's (`nodes/metrics` for every `/metrics` path).
 */
import type { ServerResponse } from 'node:http';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../stats/prometheus-text.ts';

export const KUBELET_METRICS_PATH = '/metrics';
export const CADVISOR_METRICS_PATH = '/metrics/cadvisor';
export const PROBE_METRICS_PATH = '/metrics/probes';

/** Where the bodies come from; each call renders the current values. */
export interface MetricsSources {
  /** The kubelet's registry (`kubelet_*`, process metrics). */
  kubelet(): Promise<string>;
  /** The cAdvisor metrics of the current usage view. */
  cadvisor(): string;
  /** The prober's registry (`prober_probe_total`). */
  probes(): Promise<string>;
}

/** The source behind `path`, undefined for any other path. */
export function metricsSourceFor(sources: MetricsSources, path: string): (() => Promise<string> | string) | undefined {
  if (path === KUBELET_METRICS_PATH) return () => sources.kubelet();
  if (path === CADVISOR_METRICS_PATH) return () => sources.cadvisor();
  if (path === PROBE_METRICS_PATH) return () => sources.probes();
  return undefined;
}

/** Answers with `render`'s body; rejects (for the server's 500) when rendering failed. */
export async function serveMetrics(render: () => Promise<string> | string, res: ServerResponse): Promise<void> {
  const body = await render();
  res.writeHead(200, { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE }).end(body);
}
