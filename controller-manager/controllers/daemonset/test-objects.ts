/** Object builders for the DaemonSet controller's table tests. */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function ds(spec: Partial<NonNullable<DaemonSet['spec']>> & { podSpec?: Record<string, unknown> } = {}): DaemonSet {
  const { podSpec, ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'fluentd', namespace: 'kube-system', uid: 'ds-uid', generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }], ...podSpec } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...rest,
    },
  } as DaemonSet;
}

export function node(name: string, o: { labels?: Record<string, string>; taints?: Array<{ key: string; value?: string; effect: string }>; conditions?: Array<{ type: string; status: string }> } = {}): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, spec: { taints: o.taints }, status: { conditions: o.conditions ?? [{ type: 'Ready', status: 'True' }] } } as Node;
}

/** A daemon pod; `age` in seconds before T0 orders creation; `ready` sets the Ready condition since `readySince` seconds before T0. */
export function pod(name: string, o: { node?: string; bound?: boolean; hash?: string; age?: number; ready?: boolean; readySince?: number; phase?: string; deleting?: boolean; generation?: string } = {}): Pod {
  const labels: Record<string, string> = { app: 'fluentd' };
  if (o.hash) labels['controller-revision-hash'] = o.hash;
  if (o.generation) labels['pod-template-generation'] = o.generation;
  const nodeName = o.node ?? 'n1';
  return {
    metadata: {
      name,
      namespace: 'kube-system',
      labels,
      creationTimestamp: new Date(T0 - (o.age ?? 100) * 1000).toISOString(),
      ...(o.deleting ? { deletionTimestamp: new Date(T0).toISOString() } : {}),
    },
    spec: {
      containers: [],
      ...(o.bound === false ? {} : { nodeName }),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } },
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: new Date(T0 - (o.readySince ?? 60) * 1000).toISOString() }],
    },
  } as Pod;
}
