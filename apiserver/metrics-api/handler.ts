/**
 * get and list of metrics.k8s.io/v1beta1 `nodes` and `pods` (`ResourceInfo.computed`), as
 * metrics-server answers them: the nodes or pods are read from the server's storage (through
 * its watch cache), their kubelets' summaries fetched (cached a few seconds), and converted.
 * A node whose kubelet does not answer is skipped (logged), so a list shows what could be
 * measured. Selectors are checked before anything is read: a bad one is a 400, and only
 * `metadata.name` / `metadata.namespace` are field labels. A get of something without metrics
 * yet is metrics-server's 404 (`podmetrics.metrics.k8s.io "default/web" not found`; a missing
 * pod or node is the lister's `pods "web" not found` / `node "n1" not found`).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { ApiError, isNotFound, notFound } from '../../pkg/errors/index.ts';
import type { ReadOptions } from '../request/options.ts';
import type { HandlerResult, RequestScope, ServerContext } from '../handlers/context.ts';
import { kubeletUrlOfNode } from '../handlers/kubelet-location.ts';
import { getObject, listObjects, selectorMatcher } from '../handlers/read.ts';
import { nodeMetricsFrom, podMetricsFrom, podStatsIndex, statsFor, type MetricsSubject } from './convert.ts';
import type { KubeletSummaries } from './kubelet-summaries.ts';
import { byNamespaceName, planNodeFetches, planPodFetches, type MetricsQuery, type NodeFetch, type Selectable } from './select.ts';
import type { Summary } from '../../pkg/api/stats/v1alpha1/summary.ts';

/** The server's metrics source: kubelet summaries and the window their rates cover. */
export interface MetricsApi {
  summaries: KubeletSummaries;
  /** The interval the kubelets' usage rates cover, reported as `window` (default 10 s). */
  windowMs: number;
}

/** A consistent, unfiltered, unpaged list (the watch cache answers it). */
const ALL: ReadOptions = { watch: false, allowWatchBookmarks: false, includeObject: 'None' };

function coreInfo(ctx: ServerContext, plural: 'nodes' | 'pods'): ResourceInfo {
  const info = ctx.registry.lookup('', 'v1', plural);
  if (!info) throw new Error(`core/v1 ${plural} is not served`);
  return info;
}

function subject(obj: KubeObject): MetricsSubject {
  const { name = '', namespace, uid, labels } = obj.metadata;
  return { name, namespace, uid, labels };
}

/** Each planned node's summary, in plan order; nodes without an endpoint or an answer are left out (logged). */
async function summariesOf(ctx: ServerContext, scope: RequestScope, api: MetricsApi, plan: NodeFetch[]): Promise<Array<{ fetch: NodeFetch; summary: Summary }>> {
  const scheme = ctx.kubelet?.scheme ?? 'http';
  const answers = await Promise.all(
    plan.map(async (fetch) => {
      const node = fetch.node.metadata.name ?? '';
      const url = kubeletUrlOfNode(fetch.node, scheme);
      if (!url) {
        scope.log.warn({ node }, 'metrics: node has no kubelet endpoint, skipped');
        return undefined;
      }
      try {
        return { fetch, summary: await api.summaries.summary(node, url) };
      } catch (err) {
        scope.log.warn({ node, code: (err as { code?: string }).code, err: (err as Error).message }, 'metrics: kubelet summary unavailable, node skipped');
        return undefined;
      }
    }),
  );
  return answers.filter((a) => a !== undefined);
}

async function nodeMetrics(ctx: ServerContext, scope: RequestScope, api: MetricsApi, query: MetricsQuery): Promise<KubeObject[]> {
  const nodeInfo = coreInfo(ctx, 'nodes');
  let nodes: KubeObject[];
  if (query.name !== undefined) {
    const node = await getObject(ctx, { ...scope, info: nodeInfo, namespace: undefined, name: query.name }).catch((err) => {
      // metrics-server answers with its node lister's error, which names the resource `node`.
      throw isNotFound(err) ? notFound({ group: '', resource: 'node' }, query.name as string) : err;
    });
    nodes = [node];
  } else {
    nodes = (await listObjects(ctx, { ...scope, info: nodeInfo, namespace: undefined }, ALL)).items;
  }
  const options = { now: ctx.clock.now(), windowMs: api.windowMs };
  return (await summariesOf(ctx, scope, api, planNodeFetches(nodes as Selectable[], query))).flatMap(({ fetch, summary }) => nodeMetricsFrom(subject(fetch.node), summary, options) ?? []);
}

/** The nodes `pods` run on, by name: one read for a single node, else a list of all. */
async function nodesOf(ctx: ServerContext, scope: RequestScope, pods: readonly KubeObject[]): Promise<Map<string, Selectable>> {
  const nodeScope = { ...scope, info: coreInfo(ctx, 'nodes'), namespace: undefined };
  const names = [...new Set(pods.flatMap((p) => (p as Selectable).spec?.nodeName || []))];
  if (names.length === 0) return new Map();
  const absent = (err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  };
  const nodes = names.length === 1 ? [await getObject(ctx, { ...nodeScope, name: names[0] }).catch(absent)] : (await listObjects(ctx, nodeScope, ALL)).items;
  return new Map(nodes.flatMap((n) => (n ? [[n.metadata.name ?? '', n as Selectable] as const] : [])));
}

async function podMetrics(ctx: ServerContext, scope: RequestScope, api: MetricsApi, query: MetricsQuery): Promise<KubeObject[]> {
  const podInfo = coreInfo(ctx, 'pods');
  const podScope = { ...scope, info: podInfo };
  const pods = query.name !== undefined ? [await getObject(ctx, podScope)] : (await listObjects(ctx, podScope, ALL)).items;
  const nodes = await nodesOf(ctx, scope, pods);
  const options = { now: ctx.clock.now(), windowMs: api.windowMs };
  const items: KubeObject[] = [];
  for (const { fetch, summary } of await summariesOf(ctx, scope, api, planPodFetches(pods as Selectable[], nodes, query))) {
    const index = podStatsIndex(summary);
    for (const pod of fetch.pods) {
      const stats = statsFor(subject(pod), index);
      const metrics = stats && podMetricsFrom(subject(pod), stats, options);
      if (metrics) items.push(metrics);
    }
  }
  // Nodes were asked in name order: put the pods back in namespace/name order.
  return items.sort(byNamespaceName);
}

/** A get (`scope.name` set) or list of NodeMetrics / PodMetrics. */
export async function metricsHandler(ctx: ServerContext, scope: RequestScope, options: Pick<ReadOptions, 'labelSelector' | 'fieldSelector'>): Promise<HandlerResult> {
  const api = ctx.metricsApi;
  if (!api) throw new ApiError({ code: 503, reason: 'ServiceUnavailable', message: 'the metrics API is not available' });
  const { info } = scope;
  const getting = scope.name !== undefined;
  // Compiled first: a bad selector is a 400 before any read.
  const matches = getting ? () => true : selectorMatcher(scope, options);
  const query: MetricsQuery = { namespace: scope.namespace, name: scope.name, matches };
  const items = info.kind === 'NodeMetrics' ? await nodeMetrics(ctx, scope, api, query) : await podMetrics(ctx, scope, api, query);
  if (!getting) return { code: 200, body: { kind: `${info.kind}List`, apiVersion: `${info.group}/${info.version}`, metadata: {}, items }, list: true };
  // metrics-server's group resources are `nodemetrics` and `podmetrics`, and it names a pod `namespace/name`.
  if (!items.length) throw notFound({ group: info.group, resource: info.kind.toLowerCase() }, info.namespaced ? `${scope.namespace}/${scope.name}` : (scope.name as string));
  return { code: 200, body: items[0] };
}
