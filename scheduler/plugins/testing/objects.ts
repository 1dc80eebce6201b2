/** Tiny builders of frozen Pods, Nodes and NodeInfos for plugin table tests. */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { deepFreeze, type Lister } from '../../../pkg/informer/index.ts';
import { NodeInfo, type NodeObject, type PodObject } from '../../framework/index.ts';

type Req = Record<string, string>;

export function makePod(opts: {
  name?: string;
  requests?: Req[];
  initRequests?: Req[];
  overhead?: Req;
  nodeName?: string;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  hostPorts?: { port: number; ip?: string; protocol?: string }[];
  priority?: number;
  /** metadata.namespace (default `default`). */
  namespace?: string;
  labels?: Record<string, string>;
  /** spec.affinity, as written in a manifest. */
  affinity?: NonNullable<PodObject['spec']>['affinity'];
} = {}): PodObject {
  const name = opts.name ?? 'p';
  return deepFreeze({
    metadata: { name, namespace: opts.namespace ?? 'default', uid: `uid-${name}`, labels: opts.labels },
    spec: {
      nodeName: opts.nodeName,
      affinity: opts.affinity,
      priority: opts.priority,
      tolerations: opts.tolerations,
      overhead: opts.overhead,
      containers: (opts.requests ?? [{}]).map((r, i) => ({
        name: `c${i}`,
        image: 'x',
        resources: { requests: r },
        ports: i === 0 ? opts.hostPorts?.map((p) => ({ containerPort: p.port, hostPort: p.port, hostIP: p.ip, protocol: p.protocol })) : undefined,
      })),
      initContainers: opts.initRequests?.map((r, i) => ({ name: `i${i}`, image: 'x', resources: { requests: r } })),
    },
  }) as PodObject;
}

export function makeNode(
  opts: { name?: string; allocatable?: Req; taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean; labels?: Record<string, string> } = {},
): NodeObject {
  return deepFreeze({
    metadata: { name: opts.name ?? 'n1', labels: opts.labels },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: opts.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' } },
  }) as NodeObject;
}

export function nodeInfo(node: NodeObject, pods: PodObject[] = []): NodeInfo {
  return new NodeInfo(node, pods);
}

/** A lister over an empty cache, for framework handles in unit tests (plugins take listers in their factories). */
export function emptyLister<T extends KubeObject>(): Lister<T> {
  return { list: () => [], listInNamespace: () => [], get: () => undefined, byIndex: () => [] };
}
