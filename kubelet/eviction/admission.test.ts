import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { admitPod, isCriticalPod } from './admission.ts';
import type { PressureCondition } from './signals.ts';

const bestEffort = { metadata: { name: 'be', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } } as Pod;
const burstable = { metadata: { name: 'bu', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { memory: '1Mi' } } }] } } as Pod;
const tolerating = { ...bestEffort, spec: { ...bestEffort.spec, tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] } } as Pod;
const toleratingAll = { ...bestEffort, spec: { ...bestEffort.spec, tolerations: [{ operator: 'Exists' }] } } as Pod;
const toleratingDisk = { ...bestEffort, spec: { ...bestEffort.spec, tolerations: [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' }] } } as Pod;
// No key needs operator Exists to match every taint (upstream ToleratesTaint); with Equal it matches none.
const emptyKeyEqual = { ...bestEffort, spec: { ...bestEffort.spec, tolerations: [{ operator: 'Equal', effect: 'NoSchedule' }] } } as Pod;
const critical = { ...bestEffort, spec: { ...bestEffort.spec, priority: 2_000_000_000 } } as Pod;
const staticPod = { ...bestEffort, metadata: { ...bestEffort.metadata, annotations: { 'kubernetes.io/config.source': 'file' } } } as Pod;
const mirror = { ...bestEffort, metadata: { ...bestEffort.metadata, annotations: { 'kubernetes.io/config.mirror': 'abc' } } } as Pod;

const refused = (conditions: string) => ({ admit: false, reason: 'Evicted', message: `The node had condition: [${conditions}]. ` });

describe('admitPod', () => {
  it.each([
    ['no pressure admits BestEffort', bestEffort, [], { admit: true }],
    ['memory pressure refuses BestEffort', bestEffort, ['MemoryPressure'], refused('MemoryPressure')],
    ['memory pressure admits Burstable', burstable, ['MemoryPressure'], { admit: true }],
    ['memory pressure admits BestEffort tolerating the taint', tolerating, ['MemoryPressure'], { admit: true }],
    ['memory pressure admits BestEffort tolerating everything', toleratingAll, ['MemoryPressure'], { admit: true }],
    ['memory pressure refuses BestEffort tolerating only disk pressure', toleratingDisk, ['MemoryPressure'], refused('MemoryPressure')],
    ['memory pressure refuses BestEffort whose key-less toleration is Equal', emptyKeyEqual, ['MemoryPressure'], refused('MemoryPressure')],
    ['disk pressure refuses Burstable', burstable, ['DiskPressure'], refused('DiskPressure')],
    ['PID pressure refuses Burstable', burstable, ['PIDPressure'], refused('PIDPressure')],
    ['memory and disk pressure refuse Burstable', burstable, ['MemoryPressure', 'DiskPressure'], refused('MemoryPressure DiskPressure')],
    ['critical priority is admitted under disk pressure', critical, ['DiskPressure'], { admit: true }],
    ['static pods are admitted under disk pressure', staticPod, ['DiskPressure'], { admit: true }],
  ] as Array<[string, Pod, PressureCondition[], unknown]>)('%s', (_name, pod, conditions, want) => {
    expect(admitPod(pod, conditions)).toEqual(want);
  });
});

describe('isCriticalPod', () => {
  it.each([
    [bestEffort, false],
    [critical, true],
    [staticPod, true],
    [mirror, true],
    [{ ...bestEffort, metadata: { ...bestEffort.metadata, annotations: { 'kubernetes.io/config.source': 'api' } } } as Pod, false],
    [{ ...bestEffort, spec: { ...bestEffort.spec, priority: 1_999_999_999 } } as Pod, false],
  ])('%#', (pod, want) => {
    expect(isCriticalPod(pod)).toBe(want);
  });
});
