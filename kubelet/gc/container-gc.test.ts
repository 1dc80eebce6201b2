import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTAINER_GC_POLICY, planContainerGc, podUidOfLogDir, type ContainerGcInput, type GcContainer, type GcPodState, type GcSandbox } from './container-gc.ts';

const c = (id: string, createdAtMs: number, over: Partial<GcContainer> = {}): GcContainer => ({ id, podUid: 'p1', name: 'app', sandboxId: 's1', state: 'exited', createdAtMs, ...over });
const s = (id: string, createdAtMs: number, over: Partial<GcSandbox> = {}): GcSandbox => ({ id, podUid: 'p1', ready: false, createdAtMs, ...over });

function plan(over: Partial<ContainerGcInput> & { states?: Record<string, GcPodState> }) {
  const states = over.states ?? {};
  return planContainerGc({
    containers: [],
    sandboxes: [],
    logDirs: [],
    policy: DEFAULT_CONTAINER_GC_POLICY,
    nowMs: 1_000_000,
    allSourcesReady: true,
    evictNonDeletedPods: false,
    podState: (uid) => states[uid] ?? 'active',
    ...over,
  });
}

const ids = (p: ReturnType<typeof plan>) => p.containers.map((x) => x.id);

describe('planContainerGc: containers', () => {
  it.each([
    ['a crash loop keeps only its newest dead container, oldest removed first', [c('a', 1), c('b', 2), c('c', 3), c('run', 4, { state: 'running' })], ['a', 'b']],
    ['a running container never counts', [c('run', 1, { state: 'running' }), c('dead', 2)], []],
    ['units are per container name', [c('a1', 1), c('a2', 2), c('b1', 1, { name: 'side' }), c('b2', 2, { name: 'side' })], ['a1', 'b1']],
    ['units are per pod', [c('a1', 1), c('a2', 2), c('q1', 1, { podUid: 'p2' })], ['a1']],
    ['a created (never started) container is dead too', [c('a', 1, { state: 'created' }), c('b', 2)], ['a']],
  ])('%s', (_name, containers, expected) => {
    expect(ids(plan({ containers }))).toEqual(expected);
  });

  it('MinAge: a dead container younger than the minimum age is left alone', () => {
    const containers = [c('old', 1), c('older', 0), c('young', 999_500)];
    expect(ids(plan({ containers, policy: { ...DEFAULT_CONTAINER_GC_POLICY, minAgeMs: 60_000 } }))).toEqual(['older']);
  });

  it.each([
    [0, ['a', 'b']],
    [2, []],
    [-1, []],
  ])('MaxPerPodContainer %i', (maxPerPodContainer, expected) => {
    expect(ids(plan({ containers: [c('a', 1), c('b', 2)], policy: { ...DEFAULT_CONTAINER_GC_POLICY, maxPerPodContainer } }))).toEqual(expected);
  });

  it('MaxContainers: units are evened out (at least 1 each), then the oldest overall go', () => {
    const containers = [c('a1', 1), c('a2', 2), c('a3', 3), c('b1', 4, { name: 'side' }), c('b2', 5, { name: 'side' }), c('x1', 6, { podUid: 'p2' })];
    const policy = { minAgeMs: 0, maxPerPodContainer: -1, maxContainers: 4 };
    // 3 units → 1 each (a3, b2, x1) → 3 ≤ 4.
    expect(ids(plan({ containers, policy }))).toEqual(['a1', 'a2', 'b1']);
    // 1 allowed over 3 units: 1 each, then oldest overall until 1 is left.
    expect(ids(plan({ containers, policy: { ...policy, maxContainers: 1 } }))).toEqual(['a1', 'a2', 'b1', 'a3', 'b2']);
  });

  it('a deleted pod loses every dead container; a terminated one only on node-level reclaim', () => {
    const containers = [c('gone', 1, { podUid: 'del' }), c('term', 1, { podUid: 'done' }), c('mine', 1)];
    const states: Record<string, GcPodState> = { del: 'removable', done: 'terminated' };
    expect(ids(plan({ containers, states }))).toEqual(['gone']);
    expect(ids(plan({ containers, states, evictNonDeletedPods: true }))).toEqual(['gone', 'term']);
  });

  it('before all pod sources are ready, pods are not wiped (their newest dead container stays)', () => {
    const containers = [c('a', 1, { podUid: 'del' }), c('b', 2, { podUid: 'del' })];
    expect(ids(plan({ containers, states: { del: 'removable' }, allSourcesReady: false }))).toEqual(['a']);
  });

  it('a container in unknown state is marked to be stopped first', () => {
    expect(plan({ containers: [c('u', 1, { state: 'unknown' }), c('b', 2)] }).containers).toEqual([{ id: 'u', unknown: true }]);
  });
});

describe('planContainerGc: sandboxes', () => {
  it('keeps the newest sandbox of a live pod, removes older dead ones without containers', () => {
    const sandboxes = [s('s1', 1), s('s2', 2), s('s3', 3)];
    expect(plan({ sandboxes }).sandboxes).toEqual(['s1', 's2']);
  });

  it('keeps a sandbox that is ready or still holds a container (after this round\'s removals)', () => {
    const sandboxes = [s('s1', 1), s('s2', 2), s('s3', 3, { ready: true }), s('s4', 4)];
    const containers = [c('kept', 10, { sandboxId: 's2' }), c('removed', 5, { sandboxId: 's1' })];
    expect(plan({ sandboxes, containers })).toMatchObject({ containers: [{ id: 'removed' }], sandboxes: ['s1'] });
  });

  it('a deleted pod loses even its newest dead sandbox, but not a ready one', () => {
    expect(plan({ sandboxes: [s('s1', 1), s('s2', 2)], states: { p1: 'removable' } }).sandboxes).toEqual(['s1', 's2']);
    expect(plan({ sandboxes: [s('s1', 1), s('s2', 2, { ready: true })], states: { p1: 'removable' } }).sandboxes).toEqual(['s1']);
    expect(plan({ sandboxes: [s('s1', 1)], states: { p1: 'terminated' } }).sandboxes).toEqual([]);
    expect(plan({ sandboxes: [s('s1', 1)], states: { p1: 'terminated' }, evictNonDeletedPods: true }).sandboxes).toEqual(['s1']);
    expect(plan({ sandboxes: [s('s1', 1)], states: { p1: 'removable' }, allSourcesReady: false }).sandboxes).toEqual([]);
  });
});

describe('planContainerGc: pod log directories', () => {
  it('removes the directories of pods whose content may go, once all sources are ready', () => {
    const logDirs = ['default_web_p1', 'kube-system_dns_p2', 'ns_with_underscore_p3'];
    const states: Record<string, GcPodState> = { p2: 'removable', p3: 'removable', p1: 'terminated' };
    expect(plan({ logDirs, states }).logDirs).toEqual(['kube-system_dns_p2', 'ns_with_underscore_p3']);
    expect(plan({ logDirs, states, allSourcesReady: false }).logDirs).toEqual([]);
  });

  it('reads the pod UID from the last part of the name', () => {
    expect(podUidOfLogDir('default_my-pod_0c5e7b1e-uid')).toBe('0c5e7b1e-uid');
  });
});
