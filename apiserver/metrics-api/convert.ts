/**
 * Summary → metrics.k8s.io objects, as metrics-server converts (pure): CPU is the usage rate in
 * nanocores as a DecimalSI quantity (`123456789n`, `250m` when round), memory the working set
 * in bytes as a BinarySI quantity (`12Mi`, `5120Ki`; plain bytes when not a multiple of 1024),
 * `timestamp` the sample time (RFC 3339, seconds), `window` the interval the rate covers as a Go
 * duration (`10s`). Something not measured yet has no metrics: a node without both values, a pod
 * with a container lacking either (metrics-server reports a pod only once every container has a
 * point, so a consumer such as the HPA never sees part of a pod).
 */
import type { ObjectMeta } from '../../pkg/api/meta.ts';
import type { NodeMetrics } from '../../pkg/api/metrics/v1beta1/nodemetrics.ts';
import type { ContainerMetrics, PodMetrics } from '../../pkg/api/metrics/v1beta1/podmetrics.ts';
import { METRICS_GROUP, METRICS_VERSION, type Usage } from '../../pkg/api/metrics/v1beta1/common.ts';
import { formatQuantity, integerQuantity } from '../../pkg/api/quantity.ts';
import { formatDuration } from '../../pkg/util/duration.ts';
import type { ContainerStats, PodStats, Summary } from '../../pkg/api/stats/v1alpha1/summary.ts';

const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** What a conversion needs besides the summary: the time of the answer and the rate window. */
export interface ConvertOptions {
  now: Date;
  /** The interval a usage rate covers (the kubelet's sampling interval), in milliseconds. */
  windowMs: number;
}

/** The object a metric is about (a node or a pod): its name, namespace and labels. */
export interface MetricsSubject {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Readonly<Record<string, string>>;
}

/** CPU nanocores as upstream's `NewScaledQuantity(n, -9)` prints: `123456789n`, `250m`, `2`. */
export function cpuQuantity(nanoCores: number): string {
  return formatQuantity(BigInt(Math.round(nanoCores)), 'DecimalSI');
}

/** Bytes as a BinarySI quantity prints: `12Mi`, `5120Ki`, `1500` (not a multiple of 1024). */
export function memoryQuantity(bytes: number): string {
  return integerQuantity(Math.round(bytes), 'BinarySI');
}

/** A metav1.Time as served: RFC 3339 in UTC, whole seconds. Undefined when `text` is no time. */
export function metaTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // Date parses at most milliseconds; the kubelet writes nanoseconds.
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : secondsIso(new Date(ms));
}

function secondsIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function usageOf(stats: { cpu?: { usageNanoCores?: number }; memory?: { workingSetBytes?: number } }): Usage | undefined {
  const cpu = stats.cpu?.usageNanoCores;
  const memory = stats.memory?.workingSetBytes;
  if (cpu === undefined || memory === undefined) return undefined;
  return { cpu: cpuQuantity(cpu), memory: memoryQuantity(memory) };
}

function metadataOf(subject: MetricsSubject, now: Date): ObjectMeta {
  return {
    name: subject.name,
    ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}),
    creationTimestamp: secondsIso(now),
    ...(subject.labels && Object.keys(subject.labels).length ? { labels: { ...subject.labels } } : {}),
  };
}

/** The node's NodeMetrics, or undefined when the summary lacks its CPU rate or working set. */
export function nodeMetricsFrom(node: MetricsSubject, summary: Summary, options: ConvertOptions): NodeMetrics | undefined {
  const usage = usageOf(summary.node);
  if (!usage) return undefined;
  const timestamp = metaTime(summary.node.cpu?.time) ?? metaTime(summary.node.memory?.time) ?? secondsIso(options.now);
  return { kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: metadataOf(node, options.now), timestamp, window: formatDuration(options.windowMs), usage };
}

/** The summary's pods by `namespace/name`. */
export function podStatsIndex(summary: Summary): Map<string, PodStats> {
  return new Map(summary.pods.map((p) => [`${p.podRef.namespace}/${p.podRef.name}`, p]));
}

/** The stats of `pod` in an index, unless they belong to an older pod of the same name (another UID). */
export function statsFor(pod: MetricsSubject, index: ReadonlyMap<string, PodStats>): PodStats | undefined {
  const stats = index.get(`${pod.namespace ?? ''}/${pod.name}`);
  if (!stats || (pod.uid && stats.podRef.uid && pod.uid !== stats.podRef.uid)) return undefined;
  return stats;
}

/** The earliest sample time of the containers (metrics-server stamps a pod with its oldest point). */
function earliest(containers: readonly ContainerStats[]): string | undefined {
  let best: string | undefined;
  for (const c of containers) {
    const t = metaTime(c.cpu?.time) ?? metaTime(c.memory?.time);
    if (t && (!best || t < best)) best = t;
  }
  return best;
}

/** The pod's PodMetrics, or undefined when it has no container or one has no usage yet. */
export function podMetricsFrom(pod: MetricsSubject, stats: PodStats, options: ConvertOptions): PodMetrics | undefined {
  if (stats.containers.length === 0) return undefined;
  const containers: ContainerMetrics[] = [];
  for (const c of stats.containers) {
    const usage = usageOf(c);
    if (!usage) return undefined;
    containers.push({ name: c.name, usage });
  }
  const timestamp = earliest(stats.containers) ?? secondsIso(options.now);
  return { kind: 'PodMetrics', apiVersion: API_VERSION, metadata: metadataOf(pod, options.now), timestamp, window: formatDuration(options.windowMs), containers };
}
