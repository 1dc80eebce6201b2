/**
 * Which kubelets a metrics request asks (pure): for NodeMetrics the nodes the request names or
 * selects; for PodMetrics the selected pods' nodes (`spec.nodeName`), each with its pods. A pod
 * not bound to a node, or bound to a node the server does not know, has no kubelet to ask and so
 * no metrics.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';

/** A node or a pod as the selection reads it. */
export type Selectable = KubeObject & { spec?: { nodeName?: string } };

/** One request's scope: namespace (pods; undefined = all), name (a get) and the selectors' matcher. */
export interface MetricsQuery {
  namespace?: string;
  name?: string;
  /** Label and field selectors, compiled (`metadata.name`, `metadata.namespace`). */
  matches(obj: KubeObject): boolean;
}

/** One kubelet to ask: its node, and for PodMetrics the pods wanted from it. */
export interface NodeFetch<T extends Selectable = Selectable> {
  node: T;
  pods: T[];
}

function wanted(obj: KubeObject, query: MetricsQuery): boolean {
  if (query.name !== undefined && obj.metadata.name !== query.name) return false;
  if (query.namespace !== undefined && obj.metadata.namespace !== query.namespace) return false;
  return query.matches(obj);
}

/** Byte order, as Go's `<` on strings (not the locale's). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: KubeObject, b: KubeObject) => compare(a.metadata.name ?? '', b.metadata.name ?? '');

/** The nodes a NodeMetrics get/list covers, by name (the order upstream lists them in). */
export function planNodeFetches<T extends Selectable>(nodes: readonly T[], query: MetricsQuery): NodeFetch<T>[] {
  return nodes
    .filter((n) => wanted(n, { ...query, namespace: undefined }))
    .sort(byName)
    .map((node) => ({ node, pods: [] }));
}

/**
 * The nodes a PodMetrics get/list must ask, each with its selected pods (by namespace, then
 * name); nodes in name order.
 */
export function planPodFetches<T extends Selectable>(pods: readonly T[], nodes: ReadonlyMap<string, T>, query: MetricsQuery): NodeFetch<T>[] {
  const groups = new Map<string, NodeFetch<T>>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? nodes.get(nodeName) : undefined;
    if (!node || !wanted(pod, query)) continue;
    let group = groups.get(nodeName as string);
    if (!group) groups.set(nodeName as string, (group = { node, pods: [] }));
    group.pods.push(pod);
  }
  const out = [...groups.values()].sort((a, b) => byName(a.node, b.node));
  for (const g of out) g.pods.sort(byNamespaceName);
  return out;
}

/** Upstream's list order for namespaced objects: namespace, then name. */
export function byNamespaceName(a: KubeObject, b: KubeObject): number {
  return compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || byName(a, b);
}
