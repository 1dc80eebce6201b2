import { describe, expect, it } from 'vitest';
import type { Container, ContainerStats, PodSandbox } from '../cri/types.ts';
import { criNsToMs, joinContainerStats } from './cri-stats.ts';

const labels = (pod: string, container: string) => ({ 'io.kubernetes.pod.uid': `uid-${pod}`, 'io.kubernetes.pod.name': pod, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.container.name': container });

function container(id: string, pod: string, name: string, state: Container['state'] = 'CONTAINER_RUNNING', podLabels = true): Container {
  return { id, podSandboxId: `sb-${pod}`, metadata: { name, attempt: 0 }, image: { image: 'busybox' }, imageRef: 'sha256:1', state, createdAt: '1796547182628123456', labels: podLabels ? labels(pod, name) : {}, annotations: {} };
}

function stats(id: string, cpuNs?: string, memory?: Partial<Record<'workingSetBytes' | 'availableBytes' | 'usageBytes' | 'rssBytes', string>>): ContainerStats {
  const v = (x: string | undefined) => (x === undefined ? null : { value: x });
  return {
    attributes: { id, metadata: null, labels: {}, annotations: {} },
    cpu: cpuNs === undefined ? null : { timestamp: '1796547184179000001', usageCoreNanoSeconds: { value: cpuNs }, usageNanoCores: { value: '999' } },
    memory: memory ? { timestamp: '1796547184181000000', workingSetBytes: v(memory.workingSetBytes), availableBytes: v(memory.availableBytes), usageBytes: v(memory.usageBytes), rssBytes: v(memory.rssBytes), pageFaults: null, majorPageFaults: null } : null,
    writableLayer: null,
  };
}

const sandboxes: PodSandbox[] = [{ id: 'sb-web', metadata: { name: 'web', uid: 'uid-web', namespace: 'default', attempt: 0 }, state: 'SANDBOX_READY', createdAt: '1796547181000000000', labels: {}, annotations: {}, runtimeHandler: '' }];

describe('joinContainerStats', () => {
  it('running pod containers with their pod, times in ms, the runtime\'s rate ignored, a 0 availableBytes (no limit) omitted, the writable layer\'s bytes', () => {
    const withLayer: ContainerStats = { ...stats('c1', '48938425', { workingSetBytes: '602112', availableBytes: '0', usageBytes: '700000' }), writableLayer: { timestamp: '1', fsId: null, usedBytes: { value: '31502336' }, inodesUsed: { value: '15' } } };
    const joined = joinContainerStats(
      [withLayer, stats('c2', undefined, { availableBytes: '5' }), stats('c3', '1'), stats('c4', '1'), stats('gone', '1')],
      [container('c1', 'web', 'app'), container('c2', 'web', 'side'), container('c3', 'web', 'old', 'CONTAINER_EXITED'), container('c4', 'x', 'raw', 'CONTAINER_RUNNING', false)],
      sandboxes,
    );
    expect(joined).toEqual([
      {
        id: 'c1',
        name: 'app',
        image: 'busybox',
        podUid: 'uid-web',
        podName: 'web',
        podNamespace: 'default',
        createdAtMs: 1796547182628.123,
        sandboxCreatedAtMs: 1796547181000,
        cpu: { atMs: 1796547184179, usageCoreNanoSeconds: 48938425 },
        memory: { atMs: 1796547184181, workingSetBytes: 602112, usageBytes: 700000 },
        rootfsUsedBytes: 31502336,
      },
      // No working set: no memory figures; no CPU usage: no cpu.
      { id: 'c2', name: 'side', image: 'busybox', podUid: 'uid-web', podName: 'web', podNamespace: 'default', createdAtMs: 1796547182628.123, sandboxCreatedAtMs: 1796547181000 },
    ]);
  });

  it.each([
    ['1796547184179000001', 1796547184179],
    ['1796547184179123999', 1796547184179.123],
    ['0', 0],
    ['', 0],
  ])('criNsToMs(%s) = %d', (ns, ms) => {
    expect(criNsToMs(ns)).toBe(ms);
  });
});
