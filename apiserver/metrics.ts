/**
 * Prometheus metrics of one API server (its own registry, so several servers can live in one
 * process): `apiserver_request_total` and `apiserver_request_duration_seconds`.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Labels of one request's metrics, as upstream names them (verb upper-case, resource plural). */
export interface RequestMetricLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
  code: string;
}

/** The request metrics of one server, in a registry of its own (`text()` is the /metrics body). */
export class ApiServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<keyof RequestMetricLabels>;
  private readonly durations: Histogram<Exclude<keyof RequestMetricLabels, 'code'>>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers: [this.registry],
    });
    this.durations = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
      registers: [this.registry],
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observe(labels: RequestMetricLabels, seconds: number): void {
    this.requests.inc(labels);
    const { code: _code, ...rest } = labels;
    this.durations.observe(rest, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
