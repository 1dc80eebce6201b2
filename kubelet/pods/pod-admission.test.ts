import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { AdmitResult } from '../eviction/admission.ts';
import { pod } from '../testing/runtime-fixtures.ts';
import { canAdmitPod } from './pod-admission.ts';
import type { InsufficientResource } from './resource-fit.ts';

const ordinary = pod();
const critical: Pod = pod({ containers: [{ name: 'app', image: 'busybox' }], priority: 2_000_000_000 });
const staticPod: Pod = pod({}, { annotations: { 'kubernetes.io/config.source': 'file' } });
const pressured: AdmitResult = { admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' };
const cpu: InsufficientResource = { name: 'cpu', requested: 1500, used: 1000, capacity: 2000 };

describe('canAdmitPod (upstream canAdmitPod: eviction handler, resource fit, AppArmor)', () => {
  it.each<[string, Pod, AdmitResult | undefined, InsufficientResource | undefined, AdmitResult]>([
    ['no eviction, fits', ordinary, undefined, undefined, { admit: true }],
    ['pressure admits, fits', ordinary, { admit: true }, undefined, { admit: true }],
    ['pressure refuses: its verdict', ordinary, pressured, undefined, pressured],
    ['pressure refuses before the fit is weighed', ordinary, pressured, cpu, pressured],
    ['lacking CPU: OutOfcpu with upstream’s message', ordinary, undefined, cpu, { admit: false, reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000" }],
    ['lacking pods: OutOfpods', ordinary, { admit: true }, { name: 'pods', requested: 1, used: 110, capacity: 110 }, { admit: false, reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110" }],
    ['a system-critical pod is not refused for resources', critical, undefined, cpu, { admit: true }],
    ['a static pod is not refused for resources', staticPod, { admit: true }, cpu, { admit: true }],
  ])('%s', (_name, p, pressure, lacking, expected) => {
    expect(canAdmitPod(p, { pressure, lacking: () => lacking, appArmorEnabled: true })).toEqual(expected);
  });

  it('then refuses a pod asking for AppArmor on a host without it, a critical one too', () => {
    const withAppArmor = (p: Pod): Pod => ({ ...p, spec: { ...p.spec, securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } } }) as Pod;
    const refused = { admit: false, reason: 'AppArmor', message: 'Cannot enforce AppArmor: AppArmor is not enabled on the host' };
    expect(canAdmitPod(withAppArmor(ordinary), { pressure: undefined, lacking: () => undefined, appArmorEnabled: false })).toEqual(refused);
    expect(canAdmitPod(withAppArmor(critical), { pressure: undefined, lacking: () => cpu, appArmorEnabled: false })).toEqual(refused);
    expect(canAdmitPod(withAppArmor(ordinary), { pressure: undefined, lacking: () => cpu, appArmorEnabled: false })).toMatchObject({ reason: 'OutOfcpu' });
    expect(canAdmitPod(withAppArmor(ordinary), { pressure: undefined, lacking: () => undefined, appArmorEnabled: true })).toEqual({ admit: true });
  });

  it('does not weigh the fit when pressure or criticality decides', () => {
    const lacking = (): InsufficientResource => {
      throw new Error('weighed');
    };
    expect(canAdmitPod(ordinary, { pressure: pressured, lacking, appArmorEnabled: true })).toEqual(pressured);
    expect(canAdmitPod(critical, { pressure: undefined, lacking, appArmorEnabled: true })).toEqual({ admit: true });
  });
});
