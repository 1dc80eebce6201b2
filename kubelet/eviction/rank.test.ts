import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { podRequest, rankForEviction, type PodUsage } from './rank.ts';

const MI = 1024 * 1024;

function pod(name: string, opts: { memoryRequest?: string; priority?: number; storageRequest?: string } = {}): Pod {
  const requests: Record<string, string> = {};
  if (opts.memoryRequest) requests.memory = opts.memoryRequest;
  if (opts.storageRequest) requests['ephemeral-storage'] = opts.storageRequest;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests } }], ...(opts.priority !== undefined ? { priority: opts.priority } : {}) },
  } as Pod;
}

function rank(resource: Parameters<typeof rankForEviction>[1], pods: Array<[Pod, PodUsage | undefined]>): string[] {
  const usage = new Map(pods.map(([p, u]) => [p.metadata.uid as string, u]));
  return rankForEviction(pods.map(([p]) => p), resource, (p) => usage.get(p.metadata.uid as string)).map((p) => p.metadata.name as string);
}

describe('rankForEviction memory', () => {
  it.each([
    ['pods without stats first', [[pod('a'), { memoryBytes: 5 * MI }], [pod('nostats'), undefined]], ['nostats', 'a']],
    ['usage above request before within request, whatever the priority', [[pod('within', { memoryRequest: '100Mi' }), { memoryBytes: 50 * MI }], [pod('over', { memoryRequest: '10Mi', priority: 1000 }), { memoryBytes: 20 * MI }]], ['over', 'within']],
    ['then lower priority', [[pod('high', { priority: 10 }), { memoryBytes: 100 * MI }], [pod('low', { priority: -5 }), { memoryBytes: 1 * MI }]], ['low', 'high']],
    ['then the larger usage above request', [[pod('small'), { memoryBytes: 10 * MI }], [pod('big'), { memoryBytes: 90 * MI }], [pod('mid', { memoryRequest: '10Mi' }), { memoryBytes: 60 * MI }]], ['big', 'mid', 'small']],
    ['ties keep their order', [[pod('x'), { memoryBytes: 1 }], [pod('y'), { memoryBytes: 1 }]], ['x', 'y']],
  ] as Array<[string, Array<[Pod, PodUsage | undefined]>, string[]]>)('%s', (_name, pods, want) => {
    expect(rank('memory', pods)).toEqual(want);
  });
});

describe('rankForEviction disk and pids', () => {
  it('disk: above the ephemeral-storage request first, then priority, then usage', () => {
    expect(rank('ephemeral-storage', [[pod('a', { storageRequest: '1Gi' }), { diskBytes: 10 }], [pod('b', { priority: 5 }), { diskBytes: 20 }], [pod('c', { priority: 5 }), { diskBytes: 30 }]])).toEqual(['c', 'b', 'a']);
  });

  it('pids: priority, then the most processes', () => {
    expect(rank('pids', [[pod('a', { priority: 1 }), { processes: 100 }], [pod('b'), { processes: 1 }], [pod('c'), { processes: 5 }]])).toEqual(['c', 'b', 'a']);
  });
});

describe('podRequest', () => {
  it('sums containers and takes the init peak', () => {
    const p = pod('a', { memoryRequest: '64Mi' });
    p.spec!.containers!.push({ name: 'd', image: 'x', resources: { requests: { memory: '64Mi' } } });
    p.spec!.initContainers = [{ name: 'i', image: 'x', resources: { requests: { memory: '256Mi' } } }];
    expect(podRequest(p, 'memory')).toBe(256 * MI);
    expect(podRequest(pod('none'), 'memory')).toBe(0);
  });
});
