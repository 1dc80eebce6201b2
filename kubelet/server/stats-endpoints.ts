/**
 * The kubelet API's usage endpoints: `GET /stats/summary` (the Summary JSON; `only_cpu_and_memory`
 * is accepted and changes nothing, k8ts measures only those) and `GET /metrics/resource` (the
 * resource metrics in Prometheus text). Both render the collector's current view; when the last
 * runtime sample failed the summary answers 500, as upstream's does when it cannot build one, and
 * the metrics answer 200 with `scrape_error 1`.
 */
import type { ServerResponse } from 'node:http';
import { renderResourceMetrics } from '../stats/resource-metrics.ts';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../stats/prometheus-text.ts';
import { toSummary, type StatsView } from '../stats/view.ts';

/** The stats paths this module serves. */
export const STATS_SUMMARY_PATH = '/stats/summary';
export const RESOURCE_METRICS_PATH = '/metrics/resource';

/** The current view, undefined when it cannot be had (see {@link StatsCollector.view}). */
export type StatsViewSource = () => StatsView | undefined;

/** Answers a `/stats/summary` request. */
export function serveStatsSummary(stats: StatsViewSource, res: ServerResponse): void {
  const view = stats();
  if (!view) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Error: failed to get summary stats: container runtime stats unavailable');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(toSummary(view), null, 2));
}

/** Answers a `/metrics/resource` request. */
export function serveResourceMetrics(stats: StatsViewSource, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE }).end(renderResourceMetrics(stats()));
}
