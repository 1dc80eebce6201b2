import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { pod } from '../testing/runtime-fixtures.ts';
import { insufficientResource, insufficientResourceMessage } from './resource-fit.ts';

const requesting = (requests: Record<string, string>): Pod => pod({ containers: [{ name: 'app', image: 'busybox', resources: { requests } }] });
const node = { cpu: '2', memory: '1Gi', pods: '3', 'ephemeral-storage': '10Gi' };

describe('insufficientResource (upstream noderesources.Fits, as the kubelet admits)', () => {
  it.each([
    ['fits', requesting({ cpu: '1' }), [requesting({ cpu: '500m' })], undefined],
    ['too many pods, before any resource', requesting({ cpu: '5' }), [pod(), pod(), pod()], "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3"],
    ['CPU taken by others', requesting({ cpu: '1500m' }), [requesting({ cpu: '1' })], "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000"],
    ['memory, in bytes', requesting({ memory: '1Gi' }), [requesting({ memory: '1Mi' })], "Node didn't have enough resource: memory, requested: 1073741824, used: 1048576, capacity: 1073741824"],
    ['ephemeral storage', requesting({ 'ephemeral-storage': '11Gi' }), [], "Node didn't have enough resource: ephemeral-storage, requested: 11811160064, used: 0, capacity: 10737418240"],
    ['a resource the pod requests none of never fails', requesting({ memory: '1Mi' }), [requesting({ cpu: '3' })], undefined],
  ])('%s', (_name, p, others, message) => {
    const lacking = insufficientResource(p, others, node);
    expect(lacking && insufficientResourceMessage(lacking)).toBe(message);
  });
});
