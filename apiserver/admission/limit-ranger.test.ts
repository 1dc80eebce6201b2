import { describe, expect, it } from 'vitest';
import { applyLimitRangeDefaults, LimitRangeSchema, type LimitRange } from '../../pkg/api/core/v1/limitrange.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { runWrite, testContext, testInfo } from './admission-test-kit.ts';
import { createLimitRangerPlugin, limitRangerApplies } from './limit-ranger.ts';
import { aggregateMessage, claimLimitViolations, LIMIT_RANGER_ANNOTATION, mergeLimitRangeDefaults, podLimitViolations } from './limit-ranger-rules.ts';

const PODS = testInfo('', 'Pod', 'pods', true);
const PVCS = testInfo('', 'PersistentVolumeClaim', 'persistentvolumeclaims', true);
const LRS = testInfo('', 'LimitRange', 'limitranges', true);

function range(name: string, limits: unknown[]): LimitRange {
  const lr = LimitRangeSchema.parse({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name, namespace: 'default' }, spec: { limits } });
  applyLimitRangeDefaults(lr);
  return lr;
}
function pod(name: string, containers: unknown[], initContainers?: unknown[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers, initContainers } };
}
const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name, image: 'nginx', ...(requests || limits ? { resources: { requests, limits } } : {}), ...extra });
function claim(name: string, storage?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: storage ? { storage } : {} } } };
}

const MEMORY_DEFAULTS = range('mem-limit-range', [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }]);
const CPU_MIN_MAX = range('cpu-min-max-demo-lr', [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }]);

describe('mergeLimitRangeDefaults', () => {
  it('fills containers and init containers and annotates what it set', () => {
    const p = pod('demo', [c('a'), c('b', { memory: '100Mi' }, { memory: '200Mi' }), c('c', undefined, { memory: '1Gi' })], [c('init')]);
    mergeLimitRangeDefaults(MEMORY_DEFAULTS, p);
    const spec = p.spec as { containers: Array<{ resources?: unknown }>; initContainers: Array<{ resources?: unknown }> };
    expect(spec.containers.map((x) => x.resources)).toEqual([
      { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } },
      { requests: { memory: '100Mi' }, limits: { memory: '200Mi' } },
      { requests: { memory: '256Mi' }, limits: { memory: '1Gi' } },
    ]);
    expect(spec.initContainers[0]!.resources).toEqual({ requests: { memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: memory request for container a; memory limit for container a; memory request for container c; memory request for init container init; memory limit for init container init');
  });

  it('sorts resource names and leaves a pod with everything set unannotated', () => {
    const both = range('both', [{ type: 'Container', default: { memory: '512Mi', cpu: '1' }, defaultRequest: { memory: '256Mi', cpu: '500m' } }]);
    const p = pod('x', [c('app')]);
    mergeLimitRangeDefaults(both, p);
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    const full = pod('y', [c('app', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]);
    mergeLimitRangeDefaults(both, full);
    expect(full.metadata.annotations).toBeUndefined();
  });
});

describe('podLimitViolations / claimLimitViolations', () => {
  const violations = (lr: LimitRange, p: KubeObject) => {
    mergeLimitRangeDefaults(lr, p);
    return podLimitViolations(lr, p);
  };
  it.each([
    ['within min/max', CPU_MIN_MAX, [c('a', { cpu: '500m' }, { cpu: '800m' })], []],
    ['defaults fill a bare container', CPU_MIN_MAX, [c('a')], []],
    ['limit above max', CPU_MIN_MAX, [c('a', { cpu: '500m' }, { cpu: '1500m' })], ['maximum cpu usage per Container is 800m, but limit is 1500m']],
    ['request below min', CPU_MIN_MAX, [c('a', { cpu: '100m' }, { cpu: '800m' })], ['minimum cpu usage per Container is 200m, but request is 100m']],
    ['limit below min', CPU_MIN_MAX, [c('a', { cpu: '200m' }, { cpu: '100m' })], ['minimum cpu usage per Container is 200m, but limit is 100m']],
    ['request above max', range('r', [{ type: 'Pod', max: { cpu: '1' } }]), [c('a', { cpu: '2' }, { cpu: '1' })], ['maximum cpu usage per Pod is 1, but request is 2']],
    ['no limit under a max', range('r', [{ type: 'Pod', max: { memory: '1Gi' } }]), [c('a')], ['maximum memory usage per Pod is 1Gi.  No limit is specified']],
    ['no request under a min', range('r', [{ type: 'Pod', min: { memory: '1Gi' } }]), [c('a')], ['minimum memory usage per Pod is 1Gi.  No request is specified']],
    ['a pod sum above the Pod max', range('r', [{ type: 'Pod', max: { memory: '1Gi' } }]), [c('a', undefined, { memory: '768Mi' }), c('b', undefined, { memory: '512Mi' })], ['maximum memory usage per Pod is 1Gi, but limit is 1280Mi']],
    ['a ratio above the max', range('r', [{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }]), [c('a', { memory: '100Mi' }, { memory: '250Mi' })], ['memory max limit to request ratio per Container is 2, but provided ratio is 2.500000']],
    ['a ratio without a request', range('r', [{ type: 'Pod', maxLimitRequestRatio: { cpu: '2' } }]), [c('a')], ['cpu max limit to request ratio per Pod is 2, but no request is specified or request is 0']],
    ['several at once', range('r', [{ type: 'Container', max: { memory: '1Gi' }, min: { cpu: '200m' } }]), [c('x', { cpu: '100m', memory: '1Gi' }, { cpu: '100m', memory: '2Gi' })], ['minimum cpu usage per Container is 200m, but request is 100m', 'maximum memory usage per Container is 1Gi, but limit is 2Gi']],
  ])('%s', (_name, lr, containers, want) => {
    expect(violations(lr, pod('p', containers))).toEqual(want);
  });

  it('checks init containers too, and a pod total takes the larger of init and regular', () => {
    expect(violations(CPU_MIN_MAX, pod('p', [c('a')], [c('i', { cpu: '100m' }, { cpu: '100m' })]))).toEqual(['minimum cpu usage per Container is 200m, but request is 100m']);
    const podMax = range('r', [{ type: 'Pod', max: { cpu: '1' } }]);
    expect(violations(podMax, pod('p', [c('a', { cpu: '500m' }, { cpu: '500m' })], [c('i', { cpu: '2' }, { cpu: '2' })]))).toEqual(['maximum cpu usage per Pod is 1, but limit is 2']);
    expect(violations(podMax, pod('p', [c('a', { cpu: '500m' }, { cpu: '500m' })], [c('s', { cpu: '600m' }, { cpu: '600m' }, { restartPolicy: 'Always' })]))).toEqual(['maximum cpu usage per Pod is 1, but limit is 1100m']);
  });

  it('bounds claim storage requests', () => {
    const storage = range('storagelimits', [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }]);
    expect(claimLimitViolations(storage, claim('ok', '1Gi'))).toEqual([]);
    expect(claimLimitViolations(storage, claim('big', '5Gi'))).toEqual(['maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi']);
    expect(claimLimitViolations(storage, claim('small', '500Mi'))).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    expect(claimLimitViolations(storage, claim('none'))).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified', 'maximum storage usage per PersistentVolumeClaim is 2Gi.  No request is specified']);
  });

  it('aggregates as utilerrors.NewAggregate prints', () => {
    expect(aggregateMessage(['a'])).toBe('a');
    expect(aggregateMessage(['a', 'b', 'a'])).toBe('[a, b]');
  });
});

describe('LimitRanger admission', () => {
  async function setup(...ranges: LimitRange[]) {
    const ctx = testContext();
    for (const lr of ranges) await runWrite(ctx, [], { operation: 'CREATE', info: LRS, namespace: 'default', name: lr.metadata.name!, object: lr as KubeObject });
    return { ctx, plugins: [createLimitRangerPlugin(ctx)] };
  }
  async function refusal(fn: () => Promise<unknown>): Promise<string> {
    try {
      await fn();
      return 'allowed';
    } catch (err) {
      return err instanceof ApiError ? `${err.code} ${err.message}` : String(err);
    }
  }

  it('defaults a new pod from the namespace ranges and refuses violations with 403', async () => {
    const { ctx, plugins } = await setup(MEMORY_DEFAULTS, CPU_MIN_MAX);
    const stored = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'default-mem-demo', object: pod('default-mem-demo', [c('default-mem-demo-ctr')]) });
    expect((stored?.spec as { containers: Array<{ resources: unknown }> }).containers[0]!.resources).toEqual({ requests: { memory: '256Mi', cpu: '800m' }, limits: { memory: '512Mi', cpu: '800m' } });
    // Each range that sets something rewrites the annotation (upstream too); ranges come in name order.
    expect(stored?.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr');
    const tooBig = await refusal(() => runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'constraints-cpu-demo-2', object: pod('constraints-cpu-demo-2', [c('ctr', { cpu: '500m' }, { cpu: '1.5' })]) }));
    expect(tooBig).toBe('403 pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m');
  });

  it('names a generated pod by its generateName, ignores other namespaces, pod updates and subresources', async () => {
    const { ctx, plugins } = await setup(CPU_MIN_MAX);
    const generated = { ...pod('', [c('a', { cpu: '100m' })]), metadata: { generateName: 'web-', namespace: 'default' } };
    expect(await refusal(() => runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: '', object: generated }))).toBe('403 pods "web-" is forbidden: minimum cpu usage per Container is 200m, but request is 100m');
    const other = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'other', name: 'free', object: { ...pod('free', [c('a')]), metadata: { name: 'free', namespace: 'other' } } });
    expect(other?.metadata.annotations).toBeUndefined();
    expect(limitRangerApplies({ operation: 'UPDATE', info: PODS, object: pod('p', []) })).toBeUndefined();
    expect(limitRangerApplies({ operation: 'CREATE', info: PODS, subresource: 'binding', object: pod('p', []) })).toBeUndefined();
    expect(limitRangerApplies({ operation: 'UPDATE', info: PVCS, object: claim('c'), oldObject: { ...claim('c'), metadata: { name: 'c', deletionTimestamp: '2026-01-01T00:00:00Z' } } })).toBeUndefined();
    expect(limitRangerApplies({ operation: 'UPDATE', info: PVCS, object: claim('c'), oldObject: claim('c') })).toBe('persistentvolumeclaims');
  });

  it.each<[string, string | undefined, Parameters<typeof limitRangerApplies>[0]]>([
    ['a pods/resize update', 'pods/resize', { operation: 'UPDATE', subresource: 'resize', info: PODS, object: pod('p', []), oldObject: pod('p', []) }],
    ['a pods/resize update of a pod being deleted', undefined, { operation: 'UPDATE', subresource: 'resize', info: PODS, object: pod('p', []), oldObject: { ...pod('p', []), metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' } } }],
    ['a pods/status update', undefined, { operation: 'UPDATE', subresource: 'status', info: PODS, object: pod('p', []), oldObject: pod('p', []) }],
    ['a resize subresource of claims', undefined, { operation: 'UPDATE', subresource: 'resize', info: PVCS, object: claim('c'), oldObject: claim('c') }],
  ])('LimitRanger takes %s as %s', (_name, target, attrs) => {
    expect(limitRangerApplies(attrs)).toBe(target);
  });

  it('judges a pods/resize update against min, max and ratio with 403, and fills only the defaults the request leaves unset, unannotated', async () => {
    const ratio = range('ratio', [{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }]);
    const podMax = range('pod-max', [{ type: 'Pod', max: { cpu: '1500m' } }]);
    const { ctx, plugins } = await setup(CPU_MIN_MAX, podMax, ratio);
    const side = c('side', { cpu: '500m', memory: '100Mi' }, { cpu: '700m', memory: '200Mi' });
    const created = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'web', object: pod('web', [c('app', { cpu: '500m', memory: '100Mi' }, { cpu: '700m', memory: '200Mi' }), side]) });
    const resize = (containers: unknown[]) => runWrite(ctx, plugins, { operation: 'UPDATE', subresource: 'resize', info: PODS, namespace: 'default', name: 'web', object: { ...created!, spec: { containers } } });
    expect(await refusal(() => resize([c('app', { cpu: '500m', memory: '100Mi' }, { cpu: '1500m', memory: '200Mi' }), side]))).toBe('403 pods "web" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m');
    expect(await refusal(() => resize([c('app', { cpu: '100m', memory: '100Mi' }, { cpu: '800m', memory: '200Mi' }), side]))).toBe('403 pods "web" is forbidden: minimum cpu usage per Container is 200m, but request is 100m');
    expect(await refusal(() => resize([c('app', { cpu: '500m', memory: '100Mi' }, { cpu: '800m', memory: '300Mi' }), side]))).toBe('403 pods "web" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 3.000000');
    expect(await refusal(() => resize([c('app', { cpu: '800m', memory: '100Mi' }, { cpu: '800m', memory: '200Mi' }), c('side', { cpu: '800m', memory: '100Mi' }, { cpu: '800m', memory: '200Mi' })]))).toBe('403 pods "web" is forbidden: maximum cpu usage per Pod is 1500m, but limit is 1600m');
    expect(await refusal(() => resize([c('app', { cpu: '800m', memory: '100Mi' }, { cpu: '800m', memory: '200Mi' }), side]))).toBe('allowed');
    const stored = (await ctx.storage.get(ctx.keyFor(PODS, 'default', 'web')))!;
    expect((stored.spec as { containers: Array<{ resources: unknown }> }).containers[0]!.resources).toEqual({ requests: { cpu: '800m', memory: '100Mi' }, limits: { cpu: '800m', memory: '200Mi' } });
    expect(stored.metadata.annotations).toBeUndefined();
    // A range's default fills a resource the resize leaves unset (upstream's mutating phase runs on resize too), without the annotation.
    const defaults = await setup(range('defaults', [{ type: 'Container', default: { cpu: '1' } }]));
    await runWrite(defaults.ctx, [], { operation: 'CREATE', info: PODS, namespace: 'default', name: 'bare', object: pod('bare', [c('app', { cpu: '100m' })]) });
    const resized = await runWrite(defaults.ctx, defaults.plugins, { operation: 'UPDATE', subresource: 'resize', info: PODS, namespace: 'default', name: 'bare', object: pod('bare', [c('app', { cpu: '200m' })]) });
    expect((resized?.spec as { containers: Array<{ resources: unknown }> }).containers[0]!.resources).toEqual({ requests: { cpu: '200m' }, limits: { cpu: '1' } });
    expect(resized?.metadata.annotations).toBeUndefined();
  });

  it('refuses claims outside the storage bounds on create and update', async () => {
    const { ctx, plugins } = await setup(range('storagelimits', [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }]));
    await runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'ok', object: claim('ok', '2Gi') });
    expect(await refusal(() => runWrite(ctx, plugins, { operation: 'CREATE', info: PVCS, namespace: 'default', name: 'big', object: claim('big', '5Gi') }))).toBe('403 persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    expect(await refusal(() => runWrite(ctx, plugins, { operation: 'UPDATE', info: PVCS, namespace: 'default', name: 'ok', object: claim('ok', '3Gi') }))).toBe('403 persistentvolumeclaims "ok" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 3Gi');
  });
});
