import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { StatsView } from '../stats/view.ts';
import { podUsageOf } from './pod-usage.ts';

const podOf = (uid: string): Pod => ({ metadata: { name: uid, namespace: 'ns', uid } }) as Pod;
const view: StatsView = {
  node: { nodeName: 'n1', startMs: 0 },
  pods: [
    {
      ref: { name: 'a', namespace: 'ns', uid: 'a' },
      startMs: 0,
      memory: { atMs: 1, workingSetBytes: 300 },
      containers: [
        { name: 'app', startMs: 0, memory: { atMs: 1, workingSetBytes: 200 } },
        { name: 'sidecar', startMs: 0, memory: { atMs: 1, workingSetBytes: 100 } },
      ],
    },
    { ref: { name: 'b', namespace: 'ns', uid: 'b' }, startMs: 0, containers: [{ name: 'app', startMs: 0 }] },
  ],
};

describe('podUsageOf', () => {
  it.each([
    ['a measured pod: its working set, whole and per container', view, 'a', { memoryBytes: 300, containers: [{ name: 'app', memoryBytes: 200 }, { name: 'sidecar', memoryBytes: 100 }] }],
    ['a pod without memory figures: none, per container too', view, 'b', { memoryBytes: undefined, containers: [{ name: 'app', memoryBytes: undefined }] }],
    ['a pod the view does not have', view, 'c', undefined],
    ['no view (the runtime failed): nothing', undefined, 'a', undefined],
  ])('%s', (_name, v, uid, expected) => {
    expect(podUsageOf(v)(podOf(uid))).toEqual(expected);
  });
});
