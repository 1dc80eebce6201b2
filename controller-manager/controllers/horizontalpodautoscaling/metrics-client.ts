/**
 * Where the autoscaler reads pod resource usage: the resource metrics API
 * (`metrics.k8s.io/v1beta1` PodMetrics, as metrics-server serves it) behind a small injected
 * interface, its REST implementation through the repo's client, a fake for tests, and the pure
 * step turning PodMetrics into per-pod samples (upstream metrics/client.go `getPodMetrics` and
 * `getContainerMetrics`).
 */
import { z } from 'zod';
import { parseQuantity } from '../../../pkg/api/quantity.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { parseDuration } from '../../../pkg/util/duration.ts';
import { CalcError } from './calc-error.ts';
import type { PodMetrics } from './pod-groups.ts';

/** One container's usage (`cpu: "123456n"`, `memory: "1234Ki"`). */
const ContainerMetricsSchema = z.object({
  name: z.string(),
  usage: z.record(z.string(), z.union([z.string(), z.number()])).nullish().transform((u) => u ?? {}),
});

/** metrics.k8s.io/v1beta1 PodMetrics, validated at the boundary. */
export const PodMetricsSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).nullish(),
  }),
  timestamp: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'timestamp must be RFC 3339'),
  window: z.string(),
  containers: z.array(ContainerMetricsSchema).nullish().transform((c) => c ?? []),
});
export type PodMetricsItem = z.infer<typeof PodMetricsSchema>;

const PodMetricsListSchema = z.object({ items: z.array(PodMetricsSchema).nullish().transform((i) => i ?? []) });

/**
 * Reads pod resource metrics. Contract: resolves with the PodMetrics of the pods of `namespace`
 * matching `labelSelector` (an upstream selector string; `''` selects all), possibly none;
 * rejects when the metrics API cannot be read or answers something that is not a PodMetrics
 * list. Read-only; safe to call concurrently.
 */
export interface ResourceMetricsClient {
  listPodMetrics(namespace: string, labelSelector: string, signal?: AbortSignal): Promise<PodMetricsItem[]>;
}

/** `GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?labelSelector=…` through the typed client. */
export class RestResourceMetricsClient implements ResourceMetricsClient {
  constructor(private readonly client: Pick<Client, 'podMetrics'>) {}

  async listPodMetrics(namespace: string, labelSelector: string, signal?: AbortSignal): Promise<PodMetricsItem[]> {
    let body: unknown;
    try {
      body = await this.client.podMetrics.inNamespace(namespace).list({ ...(labelSelector ? { labelSelector } : {}), signal });
    } catch (err) {
      // client-go names the request when the server has no such API: keep that wording.
      if (isNotFound(err)) throw new Error('the server could not find the requested resource (get pods.metrics.k8s.io)', { cause: err });
      throw err;
    }
    const parsed = PodMetricsListSchema.safeParse(body);
    if (!parsed.success) throw new Error(`invalid PodMetricsList from the resource metrics API: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data.items;
  }
}

/**
 * A fake for tests: answers with whatever `source` returns for the namespace and selector
 * (build the items from the pods the test created), or rejects with `failWith` when set.
 */
export class FakeResourceMetricsClient implements ResourceMetricsClient {
  failWith: Error | undefined;
  /** Every call, in order (namespace and selector). */
  readonly calls: Array<{ namespace: string; labelSelector: string }> = [];

  constructor(private source: (namespace: string, labelSelector: string) => PodMetricsItem[] | Promise<PodMetricsItem[]>) {}

  setSource(source: (namespace: string, labelSelector: string) => PodMetricsItem[] | Promise<PodMetricsItem[]>): void {
    this.source = source;
  }

  async listPodMetrics(namespace: string, labelSelector: string): Promise<PodMetricsItem[]> {
    this.calls.push({ namespace, labelSelector });
    if (this.failWith) throw this.failWith;
    // Validated as the REST client would, so a fake cannot feed shapes the real API never sends.
    return PodMetricsListSchema.parse({ items: await this.source(namespace, labelSelector) }).items;
  }
}

function windowMs(window: string): number {
  try {
    return parseDuration(window);
  } catch {
    return 60_000;
  }
}

/**
 * Per-pod samples of `resource` in milli-units: the sum over the pod's containers (a pod with
 * no containers, or one lacking the resource, has no sample), or only `container`'s (a pod
 * without that container has no sample, as upstream 1.32+).
 */
export function samplesOf(items: readonly PodMetricsItem[], resource: string, container = ''): PodMetrics {
  const out: PodMetrics = new Map();
  for (const item of items) {
    const base = { timestampMs: Date.parse(item.timestamp), windowMs: windowMs(item.window) };
    const containers = container ? item.containers.filter((c) => c.name === container) : item.containers;
    if (!containers.length) continue;
    let sum = 0;
    let complete = true;
    for (const c of containers) {
      const q = c.usage[resource] === undefined ? undefined : parseQuantity(c.usage[resource]!);
      if (!q) {
        complete = false;
        break;
      }
      sum += q.milli;
    }
    if (complete) out.set(item.metadata.name, { value: sum, ...base });
  }
  return out;
}

/** Upstream `GetResourceMetric` with its error wording: the samples, or a {@link CalcError}. */
export async function getResourceMetric(client: ResourceMetricsClient, args: { resource: string; namespace: string; selector: string; container?: string; signal?: AbortSignal }): Promise<PodMetrics> {
  let items: PodMetricsItem[];
  try {
    items = await client.listPodMetrics(args.namespace, args.selector, args.signal);
  } catch (err) {
    throw new CalcError('MetricsUnavailable', `unable to fetch metrics from resource metrics API: ${(err as Error).message ?? String(err)}`, { cause: err });
  }
  if (!items.length) throw new CalcError('MetricsUnavailable', 'no metrics returned from resource metrics API');
  return samplesOf(items, args.resource, args.container ?? '');
}
