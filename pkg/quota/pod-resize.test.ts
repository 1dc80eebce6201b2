/**
 * Quota and in-place pod resize, pure (upstream 1.33 pod evaluator `Handles` and `PodUsageFunc`
 * with `UseStatusResources`): which writes the pod evaluator charges, a resizing pod's usage (the
 * larger of spec and allocated/actual status resources, per resource), the admission delta of a
 * resize (only the growth is charged; a resize over the quota is refused with upstream's text),
 * the controller's recount and its replenishment once the kubelet applies a shrink.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { evaluatorFor, podEvaluator, podHandles, type QuotaWrite } from './evaluators.ts';
import { checkQuotaRequest, type QuotaLike } from './check.ts';
import { usageOf, usageShrank } from './calculate.ts';
import { podUsage, type PodLike } from './pod-usage.ts';

const now = new Date('2026-01-01T00:00:00Z');
type List = Record<string, string>;
interface Running { requests?: List; limits?: List; allocated?: List }

/**
 * A pod whose container `app` asks `spec` and, when `running` is given, reports it in its status
 * (`resources` and `allocatedResources`, as a kubelet that supports resize does).
 */
function resizing(spec: { requests?: List; limits?: List }, running?: Running, opts: { infeasible?: boolean; sidecar?: { spec: { requests?: List; limits?: List }; running?: Running }; init?: { requests?: List; limits?: List } } = {}): PodLike & KubeObject {
  const status = (name: string, r: Running | undefined) => r && { name, allocatedResources: r.allocated, resources: { requests: r.requests, limits: r.limits } };
  return {
    metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
    spec: {
      containers: [{ name: 'app', resources: spec }],
      initContainers: [
        ...(opts.sidecar ? [{ name: 'proxy', restartPolicy: 'Always', resources: opts.sidecar.spec }] : []),
        ...(opts.init ? [{ name: 'setup', resources: opts.init }] : []),
      ],
    },
    status: {
      phase: 'Running',
      conditions: opts.infeasible ? [{ type: 'PodResizePending', reason: 'Infeasible' }] : [],
      containerStatuses: [status('app', running)].filter((s) => s !== undefined),
      initContainerStatuses: [opts.sidecar && status('proxy', opts.sidecar.running), opts.init && status('setup', { requests: { cpu: '16' }, limits: { cpu: '16' } })].filter((s) => !!s),
    },
  } as PodLike & KubeObject;
}

const compute = (usage: Record<string, string | number>) => Object.fromEntries(Object.entries(usage).filter(([k]) => k.startsWith('requests.') || k.startsWith('limits.')));

describe('pod evaluator Handles (upstream 1.33)', () => {
  const p = resizing({ requests: { cpu: '1' } });
  const terminating = { ...p, spec: { ...p.spec, activeDeadlineSeconds: 30 } } as KubeObject;
  it.each<[string, Omit<QuotaWrite, 'object'> & { object?: KubeObject }, boolean]>([
    ['create', { operation: 'CREATE' }, true],
    ['main-resource update', { operation: 'UPDATE', oldObject: p }, false],
    ['main-resource update changing the Terminating scope', { operation: 'UPDATE', oldObject: p, object: terminating }, true],
    ['pods/resize update', { operation: 'UPDATE', subresource: 'resize', oldObject: p }, true],
    ['pods/resize create', { operation: 'CREATE', subresource: 'resize' }, false],
    ['pods/status update', { operation: 'UPDATE', subresource: 'status', oldObject: p }, false],
    ['pods/binding create', { operation: 'CREATE', subresource: 'binding' }, false],
  ])('%s → %s', (_name, write, handled) => {
    expect(podHandles({ object: p, ...write })).toBe(handled);
  });

  it('other kinds charge no subresource write', () => {
    const object = { metadata: { name: 'x' } };
    expect(evaluatorFor('', 'services').handles({ operation: 'UPDATE', subresource: 'status', object })).toBe(false);
    expect(evaluatorFor('', 'persistentvolumeclaims').handles({ operation: 'UPDATE', subresource: 'status', object })).toBe(false);
    expect(evaluatorFor('', 'serviceaccounts').handles({ operation: 'CREATE', subresource: 'token', object })).toBe(false);
    expect(evaluatorFor('', 'services').handles({ operation: 'UPDATE', object })).toBe(true);
  });
});

describe('usage of a pod being resized in place', () => {
  const base = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
  it.each<[string, PodLike, Record<string, string | number>]>([
    ['no status yet: the spec', resizing(base), { 'requests.cpu': '500m', 'requests.memory': '128Mi', 'limits.cpu': '1', 'limits.memory': '256Mi' }],
    ['resize up pending: the new spec', resizing({ requests: { cpu: '800m', memory: '128Mi' }, limits: { cpu: '2', memory: '256Mi' } }, { ...base, allocated: base.requests }), { 'requests.cpu': '800m', 'requests.memory': '128Mi', 'limits.cpu': '2', 'limits.memory': '256Mi' }],
    ['resize down not yet applied: what runs', resizing({ requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, { ...base, allocated: base.requests }), { 'requests.cpu': '500m', 'requests.memory': '128Mi', 'limits.cpu': '1', 'limits.memory': '256Mi' }],
    ['resize down admitted, not yet actuated: allocated and actual', resizing({ requests: { cpu: '200m' } }, { requests: { cpu: '300m' }, allocated: { cpu: '400m' } }), { 'requests.cpu': '400m' }],
    ['resize down applied: the spec again', resizing({ requests: { cpu: '200m' }, limits: { cpu: '500m' } }, { requests: { cpu: '200m' }, limits: { cpu: '500m' }, allocated: { cpu: '200m' } }), { 'requests.cpu': '200m', 'limits.cpu': '500m' }],
    ['each resource its own maximum', resizing({ requests: { cpu: '2', memory: '64Mi' } }, { requests: { cpu: '1', memory: '128Mi' }, allocated: { cpu: '1', memory: '128Mi' } }), { 'requests.cpu': '2', 'requests.memory': '128Mi' }],
    ['Infeasible: the spec no longer counts', resizing({ requests: { cpu: '64' }, limits: { cpu: '64' } }, { requests: { cpu: '1' }, limits: { cpu: '1' }, allocated: { cpu: '1' } }, { infeasible: true }), { 'requests.cpu': '1', 'limits.cpu': '1' }],
    ['a sidecar counts its status too', resizing({ requests: { cpu: '100m' } }, undefined, { sidecar: { spec: { requests: { cpu: '100m' } }, running: { requests: { cpu: '300m' }, allocated: { cpu: '300m' } } } }), { 'requests.cpu': '400m' }],
    ['a plain init container counts its spec only', resizing({ requests: { cpu: '100m' } }, undefined, { init: { requests: { cpu: '200m' } } }), { 'requests.cpu': '200m' }],
  ])('%s', (_name, p, want) => {
    expect(compute(podUsage(p, now))).toEqual(want);
  });
});

describe('admission of a pods/resize update', () => {
  const hard = { 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '1Gi' };
  const q = (used: List): QuotaLike => ({ metadata: { name: 'compute' }, status: { hard, used } });
  const running = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' }, allocated: { cpu: '500m', memory: '128Mi' } };
  const stored = resizing({ requests: running.requests, limits: running.limits }, running);
  const used = { 'requests.cpu': '500m', 'limits.cpu': '1', 'requests.memory': '128Mi', 'limits.memory': '256Mi' };
  const resize = (spec: { requests?: List; limits?: List }, quotas = [q(used)]) =>
    checkQuotaRequest({ evaluator: podEvaluator, operation: 'UPDATE', object: resizing(spec, running), oldObject: stored, quotas, now });

  it('charges only the growth', () => {
    expect(resize({ requests: { cpu: '800m', memory: '128Mi' }, limits: { cpu: '1500m', memory: '256Mi' } })).toEqual({
      allowed: true,
      charges: [{ name: 'compute', requested: { 'requests.cpu': '300m', 'limits.cpu': '500m' }, used: { 'requests.cpu': '800m', 'limits.cpu': '1500m', 'requests.memory': '128Mi', 'limits.memory': '256Mi' } }],
    });
  });

  it('refuses a resize past the quota with upstream\'s text', () => {
    expect(resize({ requests: { cpu: '1200m', memory: '128Mi' }, limits: { cpu: '1500m', memory: '256Mi' } })).toEqual({
      allowed: false, message: 'exceeded quota: compute, requested: requests.cpu=700m, used: requests.cpu=500m, limited: requests.cpu=1',
    });
  });

  it('charges nothing for a shrink the kubelet has not applied yet', () => {
    expect(resize({ requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } })).toEqual({ allowed: true, charges: [] });
  });

  it('counts a pending shrink in the growth of a later resize (the running value is the floor)', () => {
    const shrinking = resizing({ requests: { cpu: '200m', memory: '128Mi' }, limits: running.limits }, running);
    const grown = resizing({ requests: { cpu: '600m', memory: '128Mi' }, limits: running.limits }, running);
    expect(checkQuotaRequest({ evaluator: podEvaluator, operation: 'UPDATE', object: grown, oldObject: shrinking, quotas: [q(used)], now })).toMatchObject({ allowed: true, charges: [{ requested: { 'requests.cpu': '100m' } }] });
  });
});

describe('controller recount of resizing pods', () => {
  it('counts each pod at its resize-aware usage', () => {
    const quota = { spec: { hard: { 'requests.cpu': '4', 'limits.memory': '4Gi' } } };
    const pods = [
      resizing({ requests: { cpu: '200m' }, limits: { memory: '256Mi' } }, { requests: { cpu: '500m' }, limits: { memory: '512Mi' }, allocated: { cpu: '500m' } }),
      resizing({ requests: { cpu: '1' }, limits: { memory: '1Gi' } }, { requests: { cpu: '500m' }, limits: { memory: '512Mi' }, allocated: { cpu: '500m' } }),
    ];
    expect(usageOf(podEvaluator, quota, pods, now)).toEqual({ 'requests.cpu': '1500m', 'limits.memory': '1536Mi' });
  });

  it('gives usage back when the kubelet applies a shrink, not when the spec shrinks', () => {
    const spec = { requests: { cpu: '200m' } };
    const before = resizing({ requests: { cpu: '500m' } }, { requests: { cpu: '500m' }, allocated: { cpu: '500m' } });
    const requested = resizing(spec, { requests: { cpu: '500m' }, allocated: { cpu: '500m' } });
    const applied = resizing(spec, { requests: { cpu: '200m' }, allocated: { cpu: '200m' } });
    expect(usageShrank(podEvaluator, before, requested, now)).toBe(false);
    expect(usageShrank(podEvaluator, requested, applied, now)).toBe(true);
  });
});
