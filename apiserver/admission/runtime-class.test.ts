import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES } from '../../pkg/client/index.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/control-plane.ts';
import { admitRuntimeClass, mergeTolerations, overheadProblem, sameResourceList } from './runtime-class-rules.ts';

const MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
const kata = { overhead: { podFixed: { cpu: '250m', memory: '120Mi' } }, scheduling: { nodeSelector: { runtime: 'kata' }, tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }] } };

describe('admitRuntimeClass', () => {
  it.each([
    ['a class without overhead or scheduling changes nothing', { nodeSelector: { a: 'b' } }, {}, { overhead: undefined, nodeSelector: { a: 'b' }, tolerations: undefined }],
    ['the overhead and scheduling of the class are set', {}, kata, { overhead: { cpu: '250m', memory: '120Mi' }, nodeSelector: { runtime: 'kata' }, tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }] }],
    ['an equal overhead written differently passes', { overhead: { cpu: '0.25', memory: '120Mi' } }, { overhead: kata.overhead }, { overhead: { cpu: '250m', memory: '120Mi' }, nodeSelector: undefined, tolerations: undefined }],
    ['a different overhead is rejected', { overhead: { cpu: '1' } }, kata, { error: MISMATCH }],
    ['node selectors merge; an equal value is no conflict', { nodeSelector: { disk: 'ssd', runtime: 'kata' } }, { scheduling: { nodeSelector: { runtime: 'kata', zone: 'a' } } }, { overhead: undefined, nodeSelector: { disk: 'ssd', runtime: 'kata', zone: 'a' }, tolerations: undefined }],
    ['a conflicting node selector is rejected', { nodeSelector: { runtime: 'runc' } }, kata, { error: 'conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc' }],
    ["the class's tolerations come first, the pod's others after", { tolerations: [{ key: 'kata', operator: 'Equal', value: 'x', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }, { scheduling: kata.scheduling }, { overhead: undefined, nodeSelector: { runtime: 'kata' }, tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }],
  ] as const)('%s', (_name, spec, rc, want) => {
    expect(admitRuntimeClass(structuredClone(spec) as never, rc as never)).toEqual(want);
  });
});

describe('overheadProblem', () => {
  it.each([
    ['no class, no overhead', {}, undefined, undefined],
    ['no class but an overhead', { overhead: { cpu: '1' } }, undefined, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead'],
    ['a class without overhead and a pod with one', { overhead: { cpu: '1' } }, {}, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead'],
    ["the class's overhead", { overhead: { cpu: '250m', memory: '120Mi' } }, kata, undefined],
    ['a changed overhead', { overhead: { cpu: '250m' } }, kata, MISMATCH],
  ] as const)('%s', (_name, spec, rc, want) => {
    expect(overheadProblem(spec, rc as never)).toBe(want);
  });
});

describe('resource lists and tolerations', () => {
  it('compares quantities by value and treats absent as empty', () => {
    expect(sameResourceList({ memory: '1Gi' }, { memory: '1073741824' })).toBe(true);
    expect(sameResourceList(undefined, {})).toBe(true);
    expect(sameResourceList({ cpu: '1' }, { cpu: '1', memory: '1' })).toBe(false);
  });
  it('merges nothing into nothing', () => {
    expect(mergeTolerations(undefined, [])).toBeUndefined();
  });
});

describe('RuntimeClass admission through the API', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
    await cp.client.resource(BUILTIN_COORDINATES.runtimeClasses).create({ metadata: { name: 'kata' }, handler: 'kata', ...kata } as never);
    await cp.client.resource(BUILTIN_COORDINATES.runtimeClasses).create({ metadata: { name: 'plain' }, handler: 'runc' } as never);
  });
  afterAll(() => cp?.stop());
  const pods = () => cp.client.pods.inNamespace('default');
  const pod = (name: string, spec: object = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } }) as Pod;
  const rejection = (p: Pod) => pods().create(p).then(() => undefined, (e: unknown) => e as ApiError);

  it('sets overhead, merges the node selector and puts the class tolerations before the defaulted ones', async () => {
    const created = await pods().create(pod('with-kata', { runtimeClassName: 'kata', nodeSelector: { disk: 'ssd' } }));
    expect(created.spec?.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
    expect(created.spec?.nodeSelector).toEqual({ disk: 'ssd', runtime: 'kata' });
    expect(created.spec?.tolerations?.map((t) => t.key)).toEqual(['kata', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    const plain = await pods().create(pod('with-plain', { runtimeClassName: 'plain' }));
    expect(plain.spec?.overhead).toBeUndefined();
    expect(plain.spec?.runtimeClassName).toBe('plain');
  });

  it.each([
    ['an unknown class', 'missing', { runtimeClassName: 'gvisor' }, 'pods "missing" is forbidden: pod rejected: RuntimeClass "gvisor" not found'],
    ['a conflicting node selector', 'conflict', { runtimeClassName: 'kata', nodeSelector: { runtime: 'runc' } }, 'pods "conflict" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc'],
    ['an overhead that differs from the class', 'other-overhead', { runtimeClassName: 'kata', overhead: { cpu: '1' } }, `pods "other-overhead" is forbidden: ${MISMATCH}`],
    ['an overhead without a class', 'no-class', { overhead: { cpu: '1' } }, 'pods "no-class" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead'],
  ])('refuses %s with 403 and stores nothing', async (_what, name, spec, message) => {
    expect(await rejection(pod(name, spec))).toMatchObject({ code: 403, reason: 'Forbidden', message });
    await expect(pods().get(name)).rejects.toMatchObject({ code: 404 });
  });

  it('leaves pod updates alone (the class may have changed since)', async () => {
    const current = await pods().get('with-kata');
    const updated = await pods().update({ ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } });
    expect(updated.spec?.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
  });
});
