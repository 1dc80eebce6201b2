import { describe, expect, it } from 'vitest';
import { ds, node } from './test-objects.ts';
import { nodeShouldRunDaemonPod } from './should-run.ts';

const required = (terms: unknown) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

describe('nodeShouldRunDaemonPod (upstream NodeShouldRunDaemonPod)', () => {
  it.each([
    ['a plain node', {}, node('n1'), [true, true]],
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, node('n1', { labels: { disk: 'ssd' } }), [true, true]],
    ['nodeSelector does not match', { nodeSelector: { disk: 'ssd' } }, node('n1'), [false, false]],
    ['node affinity matchExpressions', required([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }]), node('n1', { labels: { zone: 'b' } }), [true, true]],
    ['node affinity not matching', required([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }]), node('n1', { labels: { zone: 'b' } }), [false, false]],
    ['node affinity matchFields', required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }]), node('n1'), [false, false]],
    ['template nodeName elsewhere', { nodeName: 'n2' }, node('n1'), [false, false]],
    ['template nodeName here', { nodeName: 'n1' }, node('n1'), [true, true]],
    ['untolerated NoSchedule taint: no new pod, a running one stays', {}, node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [false, true]],
    ['untolerated NoExecute taint: none at all', {}, node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }), [false, false]],
    ['PreferNoSchedule taint is ignored', {}, node('n1', { taints: [{ key: 'dedicated', effect: 'PreferNoSchedule' }] }), [true, true]],
    ['tolerated taint', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [true, true]],
    ['control-plane taint tolerated with Exists', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }, node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), [true, true]],
    ['daemon tolerations: not-ready NoExecute', {}, node('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), [true, true]],
    ['daemon tolerations: unreachable NoExecute', {}, node('n1', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), [true, true]],
    ['daemon tolerations: unschedulable', {}, node('n1', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), [true, true]],
    ['daemon tolerations: memory pressure', {}, node('n1', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), [true, true]],
    ['network-unavailable only tolerated with hostNetwork', {}, node('n1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), [false, true]],
    ['network-unavailable with hostNetwork', { hostNetwork: true }, node('n1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), [true, true]],
  ])('%s', (_name, podSpec, n, [shouldRun, shouldContinueRunning]) => {
    expect(nodeShouldRunDaemonPod(n, ds({ podSpec }))).toEqual({ shouldRun, shouldContinueRunning });
  });
});
