import { describe, expect, it } from 'vitest';
import { nodeAllocatable, nodeStatus, pressureEvents, readinessEvents, type HostFacts } from './node-status.ts';

const facts: HostFacts = { cpus: 2, memoryBytes: 2 ** 30, ephemeralStorageBytes: 2 ** 34, maxPods: 110, hostname: 'n', internalIP: '10.0.0.1', machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', architecture: 'amd64' };
const healthy = { containerRuntimeVersion: 'containerd://1.6.20', notReadyReason: null };

function pressure(status: ReturnType<typeof nodeStatus>) {
  return status.conditions?.filter((c) => c.type !== 'Ready').map((c) => [c.type, c.status, c.reason, c.message]);
}

describe('nodeStatus pressure conditions', () => {
  it.each([
    [
      [],
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ],
    ],
    [
      ['MemoryPressure', 'DiskPressure', 'PIDPressure'],
      [
        ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
        ['DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure'],
        ['PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available'],
      ],
    ],
  ])('pressure %j', (conditions, want) => {
    expect(pressure(nodeStatus(facts, healthy, '2026-01-01T00:00:00Z', undefined, { pressure: conditions }))).toEqual(want);
  });

  it('moves the transition time only when the status changes', () => {
    const first = nodeStatus(facts, healthy, '2026-01-01T00:00:00Z', undefined, { pressure: [] });
    const same = nodeStatus(facts, healthy, '2026-01-01T00:01:00Z', first, { pressure: [] });
    const changed = nodeStatus(facts, healthy, '2026-01-01T00:02:00Z', same, { pressure: ['MemoryPressure'] });
    const memory = (s: typeof first) => s.conditions?.find((c) => c.type === 'MemoryPressure');
    expect(memory(same)?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(memory(changed)).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:02:00Z', lastHeartbeatTime: '2026-01-01T00:02:00Z' });
  });
});

describe('pressureEvents', () => {
  const at = (pressureConditions: string[]) => nodeStatus(facts, healthy, '2026-01-01T00:00:00Z', undefined, { pressure: pressureConditions });
  it.each([
    ['first status', undefined, [], ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']],
    ['unchanged', at([]), [], []],
    ['memory pressure starts', at([]), ['MemoryPressure'], ['NodeHasInsufficientMemory']],
    ['disk and PID pressure start', at(['MemoryPressure']), ['MemoryPressure', 'DiskPressure', 'PIDPressure'], ['NodeHasDiskPressure', 'NodeHasInsufficientPID']],
    ['memory pressure ends', at(['MemoryPressure']), [], ['NodeHasSufficientMemory']],
  ] as const)('%s', (_name, previous, next, reasons) => {
    const events = pressureEvents('node-1', previous, at([...next]));
    expect(events.map((e) => e.reason)).toEqual(reasons);
    for (const e of events) expect(e.message).toBe(`Node node-1 status is now: ${e.reason}`);
  });
});

describe('readinessEvents', () => {
  const ready = nodeStatus(facts, healthy, '2026-01-01T00:00:00Z', undefined, {});
  const notReady = nodeStatus(facts, { ...healthy, notReadyReason: 'container runtime is down' }, '2026-01-01T00:00:00Z', undefined, {});
  const stays = { last: true, now: true };
  it.each([
    ['first status (no Ready before): none', undefined, ready, stays, []],
    ['unchanged', ready, ready, stays, []],
    ['the runtime goes down', ready, notReady, stays, ['NodeNotReady']],
    ['it comes back', notReady, ready, stays, ['NodeReady']],
    ['cordoned', ready, ready, { last: true, now: false }, ['NodeNotSchedulable']],
    ['uncordoned', ready, ready, { last: false, now: true }, ['NodeSchedulable']],
  ] as const)('%s', (_name, previous, next, schedulable, reasons) => {
    const events = readinessEvents('node-1', previous, next, schedulable);
    expect(events.map((e) => e.reason)).toEqual(reasons);
    for (const e of events) expect(e.message).toBe(`Node node-1 status is now: ${e.reason}`);
  });
});

describe('nodeAllocatable', () => {
  it.each([
    ['default reserve (100Mi, 10 % in float32)', undefined, { memory: '924Mi', 'ephemeral-storage': String(2 ** 34 - 1717986944) }],
    ['a configured reserve', { memoryBytes: 2 ** 29, ephemeralStorageBytes: 0 }, { memory: '512Mi', 'ephemeral-storage': '16Gi' }],
    ['a remainder no Mi divides stays in Ki', { memoryBytes: 100 * 2 ** 20 + 4096, ephemeralStorageBytes: 0 }, { memory: `${2 ** 20 - 100 * 1024 - 4}Ki`, 'ephemeral-storage': '16Gi' }],
    ['a reserve above capacity leaves 0', { memoryBytes: 2 ** 40, ephemeralStorageBytes: 2 ** 40 }, { memory: '0', 'ephemeral-storage': '0' }],
  ])('%s', (_name, reserve, want) => {
    expect(nodeAllocatable(facts, reserve)).toMatchObject({ ...want, cpu: '2', pods: '110' });
  });
});
