import { describe, expect, it } from 'vitest';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import { statefulSetResource } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { newStatefulSetPod } from './identity.ts';
import { planStatefulSet, revisionForNewPod, type Step } from './plan.ts';
import { completeRollingUpdate } from './status.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function set(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): StatefulSet {
  const s = statefulSetResource.schema.parse({
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 2 },
    spec: { serviceName: 'nginx', selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...spec },
  });
  statefulSetResource.applyDefaults(s);
  s.status = { replicas: 0, availableReplicas: 0, ...status };
  return s;
}

type State = 'ready' | 'pending' | 'running' | 'failed' | 'terminating' | 'ready-terminating' | 'fresh';

/** A pod of the set at `ordinal`: its state and revision (`cur` / `upd`). */
function pod(s: StatefulSet, ordinal: number, state: State, revision = 'upd'): Pod {
  const p = newStatefulSetPod(s, ordinal, revision === 'upd' ? 'web-upd' : 'web-cur');
  p.metadata.uid = `uid-${ordinal}`;
  const ready = state === 'ready' || state === 'ready-terminating';
  const since = new Date(state === 'fresh' ? NOW - 1000 : NOW - 60_000).toISOString();
  p.status = {
    phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running',
    conditions: [{ type: 'Ready', status: ready || state === 'fresh' ? 'True' : 'False', lastTransitionTime: since }],
  } as Pod['status'];
  if (state === 'terminating' || state === 'ready-terminating') p.metadata.deletionTimestamp = new Date(NOW).toISOString();
  return p;
}

function plan(s: StatefulSet, pods: Pod[]) {
  return planStatefulSet({ set: s, pods, current: { name: 'web-cur', set: s }, update: { name: 'web-upd', set: s }, collisionCount: 0, nowMs: NOW });
}

const describeSteps = (steps: Step[]) => steps.map((st) => `${st.action} ${st.action === 'create' ? `web-${st.ordinal}` : st.pod.metadata.name}`);

describe('planStatefulSet: which pod next', () => {
  const ordered = set({ replicas: 3 });
  const parallel = set({ replicas: 3, podManagementPolicy: 'Parallel' });
  const slow = set({ replicas: 3, minReadySeconds: 10 });

  it.each<[string, StatefulSet, Array<[number, State, string?]>, string[]]>([
    ['OrderedReady, nothing yet: only web-0', ordered, [], ['create web-0']],
    ['OrderedReady waits for web-0 to be Running and Ready', ordered, [[0, 'running']], []],
    ['OrderedReady waits for a Pending web-0', ordered, [[0, 'pending']], []],
    ['OrderedReady creates web-1 once web-0 is ready', ordered, [[0, 'ready']], ['create web-1']],
    ['OrderedReady fills a hole at the lowest ordinal first', ordered, [[0, 'ready'], [2, 'ready']], ['create web-1']],
    ['OrderedReady waits for minReadySeconds (availability)', slow, [[0, 'fresh']], []],
    ['OrderedReady, all ready: nothing to do', ordered, [[0, 'ready'], [1, 'ready'], [2, 'ready']], []],
    ['a Failed pod is deleted (recreated on a later sync) and blocks', ordered, [[0, 'ready'], [1, 'failed'], [2, 'ready']], ['delete web-1']],
    ['OrderedReady scales down from the highest ordinal, one at a time', ordered, [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'ready']], ['delete web-4']],
    ['OrderedReady waits for a terminating condemned pod', ordered, [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'ready-terminating']], []],
    ['OrderedReady does not scale down while a replica is unhealthy', ordered, [[0, 'ready'], [1, 'running'], [2, 'ready'], [3, 'ready']], []],
    ['OrderedReady deletes an unhealthy condemned pod only if it is the first unhealthy one', ordered, [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'running']], ['delete web-4']],
    ['OrderedReady deletes the highest condemned pod even when a lower one is unhealthy', ordered, [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'running'], [4, 'ready']], ['delete web-4']],
    ['Parallel creates every missing pod at once', parallel, [], ['create web-0', 'create web-1', 'create web-2']],
    ['Parallel does not wait for readiness', parallel, [[0, 'pending']], ['create web-1', 'create web-2']],
    ['Parallel deletes every condemned pod at once', parallel, [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'running'], [4, 'terminating'], [5, 'ready']], ['delete web-5', 'delete web-3']],
  ])('%s', (_name, s, pods, expected) => {
    expect(describeSteps(plan(s, pods.map(([o, st, r]) => pod(s, o, st, r))).steps)).toEqual(expected);
  });

  it('honours ordinals.start', () => {
    const s = set({ replicas: 2, ordinals: { start: 5 } });
    expect(describeSteps(plan(s, [pod(s, 5, 'ready')]).steps)).toEqual(['create web-6']);
    expect(describeSteps(plan(s, [pod(s, 5, 'ready'), pod(s, 6, 'ready'), pod(s, 0, 'ready')]).steps)).toEqual(['delete web-0']);
  });

  it('relabels a pod whose identity labels are missing', () => {
    const s = set({ replicas: 1 });
    const p = pod(s, 0, 'ready');
    delete p.metadata.labels!['statefulset.kubernetes.io/pod-name'];
    expect(describeSteps(plan(s, [p]).steps)).toEqual(['fix-identity web-0']);
  });

  it('does nothing but report status while the set is being deleted', () => {
    const s = set({ replicas: 3 });
    s.metadata.deletionTimestamp = new Date(NOW).toISOString();
    const result = plan(s, [pod(s, 0, 'ready')]);
    expect(result.steps).toEqual([]);
    expect(result.status.replicas).toBe(1);
  });
});

describe('planStatefulSet: rolling update', () => {
  const rolling = (partition?: number) => set({ replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: partition ?? 0 } } });

  it.each<[string, StatefulSet, Array<[number, State, string]>, string[]]>([
    ['deletes the highest old pod first', rolling(), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'cur']], ['delete web-2']],
    ['then waits for the new pod to be ready', rolling(), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'running', 'upd']], []],
    ['then the next one down', rolling(), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'upd']], ['delete web-1']],
    ['respects the partition', rolling(2), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'upd']], []],
    ['a partition beyond the replicas updates nothing', rolling(5), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'cur']], []],
    ['OnDelete never deletes for an update', set({ replicas: 3, updateStrategy: { type: 'OnDelete' } }), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'cur']], []],
    ['scaling takes precedence over updates', rolling(), [[0, 'ready', 'cur'], [1, 'ready', 'cur'], [2, 'ready', 'cur'], [3, 'ready', 'cur']], ['delete web-3']],
  ])('%s', (_name, s, pods, expected) => {
    expect(describeSteps(plan(s, pods.map(([o, st, r]) => pod(s, o, st, r))).steps)).toEqual(expected);
  });

  it('counts the pod deleted for the update out of currentReplicas', () => {
    const s = rolling();
    const result = plan(s, [0, 1, 2].map((o) => pod(s, o, 'ready', 'cur')));
    expect(result.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 0, currentRevision: 'web-cur', updateRevision: 'web-upd', observedGeneration: 2 });
  });

  it.each<[string, StatefulSet, number, string]>([
    ['below the partition at the current revision', rolling(2), 1, 'web-cur'],
    ['at or above the partition at the update revision', rolling(2), 2, 'web-upd'],
    ['OnDelete: always the update revision', set({ updateStrategy: { type: 'OnDelete' } }), 0, 'web-upd'],
    ['RollingUpdate without rollingUpdate: below currentReplicas at the current revision', set({ updateStrategy: { type: 'RollingUpdate' } }, { currentReplicas: 2 }), 1, 'web-cur'],
  ])('a recreated pod %s', (_name, s, ordinal, revision) => {
    expect(revisionForNewPod({ set: s, current: { name: 'web-cur', set: s }, update: { name: 'web-upd', set: s } }, ordinal).name).toBe(revision);
  });
});

describe('completeRollingUpdate', () => {
  it.each([
    ['all updated and ready: the update revision becomes current', { replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 0 }, 'web-upd', 3],
    ['one not ready yet: unchanged', { replicas: 3, readyReplicas: 2, updatedReplicas: 3, currentReplicas: 0 }, 'web-cur', 0],
    ['partitioned: unchanged', { replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentReplicas: 2 }, 'web-cur', 2],
  ])('%s', (_name, counts, currentRevision, currentReplicas) => {
    const s = set({ replicas: 3 });
    const out = completeRollingUpdate(s, { observedGeneration: 1, availableReplicas: 0, collisionCount: 0, currentRevision: 'web-cur', updateRevision: 'web-upd', ...counts });
    expect([out.currentRevision, out.currentReplicas]).toEqual([currentRevision, currentReplicas]);
  });
});
