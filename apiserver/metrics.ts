/**
 * Prometheus metrics of one API server (its own registry, so several servers can live in one
 * process): `apiserver_request_total` and `apiserver_request_duration_seconds`.
 *
 * Requests are counted in plain maps keyed by their label values — no per-request label
 * validation or hashing, which prom-client would do on every call — and handed to the registry
 * when it is scraped: the counter through prom-client's `collect` hook, the histogram as a
 * registry metric of its own that reports buckets exactly as prom-client's Histogram does.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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

type DurationLabels = Omit<RequestMetricLabels, 'code'>;

/** Upper bounds (seconds) of the duration histogram's buckets. */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** The map key of a label set (label values cannot hold NUL: they come from routes and status codes). */
function seriesKey(labels: DurationLabels): string {
  return `${labels.verb}\0${labels.group}\0${labels.version}\0${labels.resource}\0${labels.subresource}\0${labels.scope}\0${labels.component}`;
}

interface CountSeries {
  labels: RequestMetricLabels;
  /** Requests not yet handed to the prom-client counter. */
  pending: number;
}

interface DurationSeries {
  labels: DurationLabels;
  /** Per bucket (not cumulative), in `REQUEST_DURATION_BUCKETS` order. */
  buckets: number[];
  sum: number;
  count: number;
}

/** One value line as prom-client's registry formats it (`labels` first, then `sharedLabels`). */
interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar?: null;
}

/**
 * A histogram the prom-client registry can expose (it reads `name`, `help`, `type`,
 * `aggregator` and `get`/`getForPromString`), filled without prom-client's per-call overhead.
 */
class RequestDurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, DurationSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {}

  observe(key: string, labels: DurationLabels, seconds: number): void {
    let s = this.series.get(key);
    if (!s) {
      s = { labels, buckets: new Array<number>(this.upperBounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    s.sum += seconds;
    s.count += 1;
    const bucket = this.upperBounds.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) s.buckets[bucket] += 1;
  }

  /** The exposition form prom-client's Histogram gives: cumulative buckets, +Inf, sum, count per series. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; values: ExportedValue[]; aggregator: string }> {
    const values: ExportedValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((bound, i) => {
        cumulative += s.buckets[i];
        values.push({ labels: { le: bound }, sharedLabels: s.labels, value: cumulative, metricName: bucketName, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** As prom-client's `get()`: shared labels merged into each value's labels. */
  async get(): Promise<{ name: string; help: string; type: string; values: Array<Omit<ExportedValue, 'sharedLabels'>>; aggregator: string }> {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.series.clear();
  }
}

/** The request metrics of one server, in a registry of its own (`text()` is the /metrics body). */
export class ApiServerMetrics {
  readonly registry = new Registry();
  private readonly counts = new Map<string, CountSeries>();
  private readonly durations = new RequestDurationHistogram(
    'apiserver_request_duration_seconds',
    'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    REQUEST_DURATION_BUCKETS,
  );

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const counts = this.counts;
    new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers: [this.registry],
      collect() {
        for (const s of counts.values()) {
          if (s.pending === 0) continue;
          this.inc(s.labels, s.pending);
          s.pending = 0;
        }
      },
    });
    this.registry.registerMetric(this.durations as unknown as Counter);
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  private readonly inflight = new Gauge({
    name: 'apiserver_current_inflight_requests',
    help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
    labelNames: ['request_kind'],
    registers: [this.registry],
  });

  /** Requests of a kind being served now, under the max-in-flight limit (`readOnly` / `mutating`). */
  setInflight(kind: 'readOnly' | 'mutating', count: number): void {
    this.inflight.set({ request_kind: kind }, count);
  }

  observe(labels: RequestMetricLabels, seconds: number): void {
    const { code, ...rest } = labels;
    const durationKey = seriesKey(rest);
    const countKey = `${durationKey}\0${code}`;
    const count = this.counts.get(countKey);
    if (count) count.pending += 1;
    else this.counts.set(countKey, { labels, pending: 1 });
    this.durations.observe(durationKey, rest, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
