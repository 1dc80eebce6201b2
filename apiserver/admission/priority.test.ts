import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { pickDefaultClass, resolvePodPriority, type PriorityClassView } from './priority.ts';

const pc = (name: string, value: number, globalDefault = false, preemptionPolicy = 'PreemptLowerPriority'): PriorityClassView => ({ name, value, globalDefault, preemptionPolicy });

describe('pickDefaultClass', () => {
  it('takes the globalDefault class, the lowest value when several raced in', () => {
    expect(pickDefaultClass([pc('a', 5), pc('b', 7)])).toBeUndefined();
    expect(pickDefaultClass([pc('a', 5), pc('b', 7, true)])?.name).toBe('b');
    expect(pickDefaultClass([pc('hi', 9, true), pc('lo', 3, true)])?.name).toBe('lo');
  });
});

describe('resolvePodPriority', () => {
  const high = pc('high', 1000, false, 'Never');
  it.each([
    ['no class, no default', {}, undefined, undefined, { className: '', priority: 0, preemptionPolicy: 'PreemptLowerPriority' }],
    ['default class applies', {}, undefined, pc('d', 10, true), { className: 'd', priority: 10, preemptionPolicy: 'PreemptLowerPriority' }],
    ['named class wins', { priorityClassName: 'high' }, high, pc('d', 10, true), { className: 'high', priority: 1000, preemptionPolicy: 'Never' }],
    ['equal explicit values pass', { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' }, high, undefined, { className: 'high', priority: 1000, preemptionPolicy: 'Never' }],
    ['unknown class', { priorityClassName: 'nope' }, undefined, undefined, { error: 'no PriorityClass with name nope was found' }],
    ['explicit priority differs', { priority: 5 }, undefined, undefined, { error: 'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name' }],
    ['explicit policy differs', { priorityClassName: 'high', preemptionPolicy: 'PreemptLowerPriority' }, high, undefined, { error: 'the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name' }],
  ] as const)('%s', (_name, spec, named, def, want) => {
    expect(resolvePodPriority(spec, named, def)).toEqual(want);
  });
});

describe('Priority admission through the API', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp?.stop());
  const pods = () => cp.client.pods.inNamespace('default');
  const pod = (name: string, spec: object = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } }) as Pod;
  const classes = () => cp.client.resource<{ metadata: { name: string }; value: number; globalDefault?: boolean }>({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false, kind: 'PriorityClass' });

  it('serves the two system classes and resolves them', async () => {
    const critical = await pods().create(pod('critical', { priorityClassName: 'system-node-critical' }));
    expect(critical.spec).toMatchObject({ priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
    expect((await classes().get('system-cluster-critical')).value).toBe(2000000000);
  });

  it('every pod gets priority 0 and PreemptLowerPriority without classes, and keeps them on replace', async () => {
    const plain = await pods().create(pod('plain'));
    expect(plain.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    const { priority: _p, preemptionPolicy: _pp, ...specWithout } = plain.spec as Record<string, unknown>;
    const replaced = await pods().update({ ...plain, spec: specWithout } as Pod);
    expect(replaced.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('refuses an unknown class and a client-set priority with 403, creating nothing', async () => {
    const unknown = await pods().create(pod('unknown', { priorityClassName: 'gold' })).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "unknown" is forbidden: no PriorityClass with name gold was found' });
    const forced = (await pods().create(pod('forced', { priority: 7 })).catch((e: unknown) => e)) as ApiError;
    expect(forced.code).toBe(403);
    await expect(pods().get('unknown')).rejects.toMatchObject({ code: 404 });
  });

  it('applies the default class, and only one class may be the default', async () => {
    await classes().create({ metadata: { name: 'standard' }, value: 100, globalDefault: true });
    const defaulted = await pods().create(pod('defaulted'));
    expect(defaulted.spec).toMatchObject({ priorityClassName: 'standard', priority: 100 });
    const second = (await classes().create({ metadata: { name: 'other' }, value: 5, globalDefault: true }).catch((e: unknown) => e)) as ApiError;
    expect(second).toMatchObject({ code: 403, message: 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass standard is already marked as default. Only one default can exist' });
  });
});
