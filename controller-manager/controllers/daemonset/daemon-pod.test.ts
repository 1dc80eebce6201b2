import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { createPodTemplate, daemonTolerations, isPodUpdated, podForNode, replaceNodeNameAffinity, targetNodeName, withDaemonTolerations } from './daemon-pod.ts';
import { ds, pod } from './test-objects.ts';

const pin = (node: string) => ({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] });

describe('daemon pods', () => {
  it('get upstream default tolerations, network-unavailable only with hostNetwork', () => {
    expect(daemonTolerations(false)).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(daemonTolerations(true).at(-1)).toEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  });

  it.each([
    ['appends after the template ones', [{ key: 'a', operator: 'Exists' }], 7, { key: 'a', operator: 'Exists' }],
    ['replaces a matching one, dropping its tolerationSeconds', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], 6, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    ['keeps one differing in operator', [{ key: 'node.kubernetes.io/not-ready', operator: 'Equal', effect: 'NoExecute' }], 7, { key: 'node.kubernetes.io/not-ready', operator: 'Equal', effect: 'NoExecute' }],
  ])('AddOrUpdateToleration: %s', (_name, tolerations, count, first) => {
    const spec = withDaemonTolerations({ tolerations } as PodSpec);
    expect(spec.tolerations).toHaveLength(count);
    expect(spec.tolerations?.[0]).toEqual(first);
  });

  it.each([
    ['no affinity', undefined, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pin('n1') } }],
    ['node selector terms replaced, preferred kept', { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'metadata.name', operator: 'In', values: ['x'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'z', operator: 'Exists' }] } }] } }, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pin('n1'), preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'z', operator: 'Exists' }] } }] } }],
    ['pod anti-affinity kept', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k' }] } }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k' }] }, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pin('n1') } }],
  ])('ReplaceDaemonSetPodNodeNameNodeAffinity: %s', (_name, affinity, expected) => {
    expect(replaceNodeNameAffinity(affinity as never, 'n1')).toEqual(expected);
  });

  it('are made from the template with generation and hash labels, generateName, controller reference and the node pinned', () => {
    const d = ds({ podSpec: { tolerations: [{ key: 'x', operator: 'Exists' }] } });
    const template = createPodTemplate(d.spec?.template, 3, 'abc');
    const p = podForNode(d, template, 'n7');
    expect(p.metadata).toEqual({
      generateName: 'fluentd-',
      namespace: 'kube-system',
      labels: { app: 'fluentd', 'pod-template-generation': '3', 'controller-revision-hash': 'abc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec?.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pin('n7') } });
    expect(p.spec?.tolerations?.map((t) => t.key)).toEqual(['x', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
    expect(d.spec?.template?.spec?.tolerations).toHaveLength(1);
  });

  it.each([
    ['bound pod', pod('p', { node: 'n3' }), 'n3'],
    ['unbound pod pinned by matchFields', pod('p', { node: 'n4', bound: false }), 'n4'],
    ['neither', { metadata: {}, spec: {} }, undefined],
  ])('targetNodeName: %s', (_name, p, node) => expect(targetNodeName(p as never)).toBe(node));

  it.each([
    [pod('p', { hash: 'h1' }), 'h1', 2, true],
    [pod('p', { hash: 'h0', generation: '2' }), 'h1', 2, true],
    [pod('p', { hash: 'h0', generation: '1' }), 'h1', 2, false],
    [pod('p', {}), '', undefined, false],
  ])('isPodUpdated #%#', (p, hash, generation, updated) => expect(isPodUpdated(p, hash, generation)).toBe(updated));
});
