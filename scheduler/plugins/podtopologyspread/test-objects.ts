/** Frozen Pods, Nodes and NodeInfos with labels and spread constraints, for this plugin's tests. */
import { deepFreeze } from '../../../pkg/informer/index.ts';
import { NodeInfo, type NodeObject, type PodObject } from '../../framework/index.ts';
import type { TopologySpreadConstraintLike } from './common.ts';

export function spreadPod(opts: {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  constraints?: TopologySpreadConstraintLike[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  terminating?: boolean;
  owner?: { apiVersion: string; kind: string; name: string };
} = {}): PodObject {
  const name = opts.name ?? 'p';
  return deepFreeze({
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: opts.labels,
      deletionTimestamp: opts.terminating ? '2024-01-01T00:00:00Z' : undefined,
      ownerReferences: opts.owner ? [{ ...opts.owner, uid: `uid-${opts.owner.name}`, controller: true }] : undefined,
    },
    spec: {
      nodeName: opts.nodeName,
      nodeSelector: opts.nodeSelector,
      tolerations: opts.tolerations,
      topologySpreadConstraints: opts.constraints,
      containers: [{ name: 'c', image: 'x' }],
    },
  }) as PodObject;
}

export function spreadNode(name: string, labels: Record<string, string>, taints?: { key: string; value?: string; effect: string }[]): NodeObject {
  return deepFreeze({
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  }) as NodeObject;
}

/**
 * NodeInfos for `nodes`, each holding `pods[nodeName]` matching pods built as
 * `spreadPod({ name: `${node}-${i}`, labels, nodeName })`.
 */
export function cluster(nodes: NodeObject[], podsPerNode: Record<string, number> = {}, labels: Record<string, string> = { app: 'web' }, namespace = 'default'): NodeInfo[] {
  return nodes.map((n) => {
    const name = n.metadata!.name!;
    const pods = Array.from({ length: podsPerNode[name] ?? 0 }, (_, i) => spreadPod({ name: `${name}-${i}`, labels, nodeName: name, namespace }));
    return new NodeInfo(n, pods);
  });
}

/** A constraint on `app=web` with the given key, maxSkew and action (DoNotSchedule unless said). */
export function onWeb(topologyKey: string, maxSkew = 1, extra: Partial<TopologySpreadConstraintLike> = {}): TopologySpreadConstraintLike {
  return { maxSkew, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra };
}
