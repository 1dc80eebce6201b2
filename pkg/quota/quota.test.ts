import { describe, expect, it } from 'vitest';
import { claimUsage, evaluatorFor, objectCountName, podEvaluator, serviceUsage } from './evaluators.ts';
import { checkQuotaRequest, type QuotaLike } from './check.ts';
import { desiredQuotaStatus, usageOf, usageShrank } from './calculate.ts';
import { podConstraintViolation, podCountsForQuota, podUsage, type PodLike } from './pod-usage.ts';
import { podMatchesScope } from './pod-scopes.ts';
import { addQuantity, prettyPrintList, subtractNonNegative } from './resource-list.ts';

const now = new Date('2026-01-01T00:00:00Z');

function pod(containers: Array<{ name: string; requests?: Record<string, string>; limits?: Record<string, string>; restartPolicy?: string }>, extra: { init?: typeof containers; phase?: string; spec?: Record<string, unknown>; meta?: Record<string, unknown> } = {}): PodLike & { metadata: { name: string } } {
  const toC = (c: (typeof containers)[number]) => ({ name: c.name, restartPolicy: c.restartPolicy, resources: { requests: c.requests, limits: c.limits } });
  return {
    metadata: { name: 'p', ...extra.meta },
    spec: { containers: containers.map(toC), initContainers: extra.init?.map(toC), ...extra.spec },
    status: { phase: extra.phase ?? 'Pending' },
  };
}

const quota = (name: string, hard: Record<string, string>, used: Record<string, string>, spec: QuotaLike['spec'] = {}): QuotaLike => ({ metadata: { name }, spec, status: { hard, used } });

describe('quantity arithmetic', () => {
  it.each([
    ['600Mi', '100Mi', '700Mi'],
    ['0', '1Gi', '1Gi'],
    ['500m', '500m', '1'],
    ['1', '200m', '1200m'],
    ['1G', '1G', '2G'],
    ['1', '1', '2'],
    [undefined, '700Mi', '700Mi'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(addQuantity(a, b)).toBe(sum);
  });

  it('subtracts without going below zero and prints lists as upstream', () => {
    expect(subtractNonNegative({ cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '512Mi' })).toEqual({ cpu: '0', memory: '512Mi' });
    expect(prettyPrintList({ 'requests.memory': '700Mi', 'limits.cpu': '800m' })).toBe('limits.cpu=800m,requests.memory=700Mi');
  });
});

describe('pod evaluator', () => {
  it('sums containers, takes the init peak, adds sidecars and overhead', () => {
    const p = pod([{ name: 'a', requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m' } }, { name: 'b', requests: { cpu: '200m' } }], {
      init: [{ name: 'init', requests: { cpu: '1', memory: '10Mi' } }, { name: 'side', restartPolicy: 'Always', requests: { memory: '50Mi' } }],
      spec: { overhead: { cpu: '10m' } },
    });
    expect(podUsage(p, now)).toEqual({
      'count/pods': '1', pods: '1', cpu: '1010m', 'requests.cpu': '1010m', memory: '150Mi', 'requests.memory': '150Mi', 'limits.cpu': '210m',
    });
  });

  it.each([
    ['a running pod', {}, true],
    ['a Succeeded pod', { phase: 'Succeeded' }, false],
    ['a Failed pod', { phase: 'Failed' }, false],
    ['a pod inside its grace period', { meta: { deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 30 } }, true],
    ['a pod past its grace period', { meta: { deletionTimestamp: '2025-12-31T23:58:00Z', deletionGracePeriodSeconds: 30 } }, false],
  ])('%s counts: %s', (_n, extra, counts) => {
    const p = pod([{ name: 'a', requests: { cpu: '1' } }], extra);
    expect(podCountsForQuota(p, now)).toBe(counts);
    expect('pods' in podUsage(p, now)).toBe(counts);
    expect(podUsage(p, now)['count/pods']).toBe('1');
  });

  it('requires every container to state constrained cpu/memory, in upstream words', () => {
    const p = pod([{ name: 'c2', requests: { memory: '1Gi' } }, { name: 'c1' }]);
    expect(podConstraintViolation(['limits.cpu', 'limits.memory', 'requests.memory', 'pods'], p)).toBe('must specify limits.cpu for: c1,c2; limits.memory for: c1,c2; requests.memory for: c1');
    expect(podConstraintViolation(['pods', 'count/pods'], p)).toBeUndefined();
  });

  it.each([
    ['Terminating', { activeDeadlineSeconds: 30 }, true],
    ['Terminating', {}, false],
    ['NotTerminating', {}, true],
    ['BestEffort', {}, true],
    ['NotBestEffort', {}, false],
  ])('scope %s on spec %j: %s', (scopeName, spec, match) => {
    expect(podMatchesScope(pod([{ name: 'a' }], { spec }), { scopeName, operator: 'Exists' })).toBe(match);
  });

  it.each([
    ['In', ['high'], 'high', true],
    ['In', ['high'], 'low', false],
    ['NotIn', ['high'], 'low', true],
    ['NotIn', ['high'], '', true],
    ['Exists', undefined, '', false],
    ['Exists', undefined, 'low', true],
    ['DoesNotExist', undefined, '', true],
  ])('PriorityClass %s %j on class %j: %s', (operator, values, cls, match) => {
    expect(podMatchesScope(pod([{ name: 'a' }], { spec: { priorityClassName: cls } }), { scopeName: 'PriorityClass', operator, values })).toBe(match);
  });
});

describe('other evaluators', () => {
  it('counts services, node ports and load balancers', () => {
    expect(serviceUsage({ spec: { type: 'NodePort', ports: [{}, {}] } })).toMatchObject({ services: '1', 'services.nodeports': '2', 'services.loadbalancers': '0' });
    expect(serviceUsage({ spec: { type: 'LoadBalancer', ports: [{}, { nodePort: 30001 }], allocateLoadBalancerNodePorts: false } })).toMatchObject({ 'services.nodeports': '1', 'services.loadbalancers': '1' });
    expect(serviceUsage({ spec: { type: 'LoadBalancer', ports: [{}, {}] } })).toMatchObject({ 'services.nodeports': '2', 'services.loadbalancers': '1' });
  });

  it('charges a claim\'s storage, also per class', () => {
    expect(claimUsage({ metadata: {}, spec: { storageClassName: 'gold', resources: { requests: { storage: '1Gi' } } }, status: { allocatedResources: { storage: '2Gi' } } })).toEqual({
      persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1', 'requests.storage': '2Gi', 'gold.storageclass.storage.k8s.io/requests.storage': '2Gi',
    });
  });

  it('counts any other kind under count/<resource>.<group> (and the legacy bare name of core kinds)', () => {
    expect(objectCountName('apps', 'deployments')).toBe('count/deployments.apps');
    expect(evaluatorFor('', 'configmaps').usage({ metadata: {} }, now)).toEqual({ 'count/configmaps': '1', configmaps: '1' });
    expect(evaluatorFor('apps', 'deployments').matchingResources(['count/deployments.apps', 'pods'])).toEqual(['count/deployments.apps']);
    expect(evaluatorFor('', 'configmaps').handles({ operation: 'UPDATE', object: { metadata: {} } })).toBe(false);
  });
});

describe('admission decision', () => {
  const demo = quota('mem-cpu-demo', { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' }, { 'requests.cpu': '400m', 'requests.memory': '600Mi', 'limits.cpu': '800m', 'limits.memory': '800Mi' });
  const check = (object: PodLike, quotas: QuotaLike[]) => checkQuotaRequest({ evaluator: podEvaluator, operation: 'CREATE', object: object as never, quotas, now });

  it('refuses a pod over the quota with the tutorial\'s message', () => {
    const p = pod([{ name: 'quota-mem-cpu-demo-2-ctr', requests: { cpu: '400m', memory: '700Mi' }, limits: { cpu: '800m', memory: '1Gi' } }]);
    expect(check(p, [demo])).toEqual({ allowed: false, message: 'exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi' });
  });

  it('charges a fitting pod to every covering quota', () => {
    const p = pod([{ name: 'c', requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m', memory: '200Mi' } }]);
    expect(check(p, [demo, quota('pods', { pods: '2' }, { pods: '1' }), quota('other', { 'count/configmaps': '1' }, { 'count/configmaps': '0' })])).toEqual({
      allowed: true,
      charges: [
        { name: 'mem-cpu-demo', requested: { 'requests.cpu': '100m', 'requests.memory': '100Mi', 'limits.cpu': '200m', 'limits.memory': '200Mi' }, used: { 'requests.cpu': '500m', 'requests.memory': '700Mi', 'limits.cpu': '1', 'limits.memory': '1000Mi' } },
        { name: 'pods', requested: { pods: '1' }, used: { pods: '2' } },
      ],
    });
  });

  it('refuses a third pod against pods: 2', () => {
    expect(check(pod([{ name: 'c' }]), [quota('pod-demo', { pods: '2' }, { pods: '2' })])).toEqual({ allowed: false, message: 'exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2' });
  });

  it('refuses a pod without limits, and a quota without observed usage', () => {
    expect(check(pod([{ name: 'c', requests: { memory: '1Gi' } }]), [quota('q', { 'requests.memory': '2Gi', 'limits.cpu': '2' }, { 'requests.memory': '0', 'limits.cpu': '0' })])).toEqual({ allowed: false, message: 'failed quota: q: must specify limits.cpu for: c' });
    expect(check(pod([{ name: 'c' }]), [quota('q', { pods: '2', 'count/pods': '3' }, {})])).toEqual({ allowed: false, message: 'status unknown for quota: q, resources: count/pods,pods' });
  });

  it('ignores quotas whose scopes do not cover the pod, and quotas not yet observed', () => {
    const best = quota('be', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] });
    expect(check(pod([{ name: 'c', requests: { cpu: '1' } }]), [best])).toEqual({ allowed: true, charges: [] });
    expect(check(pod([{ name: 'c' }]), [best])).toMatchObject({ allowed: false });
    expect(check(pod([{ name: 'c' }]), [{ metadata: { name: 'new' }, spec: {} }])).toEqual({ allowed: true, charges: [] });
  });

  it('charges only the growth of an updated service', () => {
    const svc = (type: string) => ({ metadata: { name: 's', resourceVersion: '5' }, spec: { type, ports: [{}] } });
    const q = quota('svc', { 'services.loadbalancers': '1', services: '5' }, { 'services.loadbalancers': '1', services: '1' });
    expect(checkQuotaRequest({ evaluator: evaluatorFor('', 'services'), operation: 'UPDATE', object: svc('LoadBalancer'), oldObject: svc('ClusterIP'), quotas: [q], now })).toEqual({
      allowed: false, message: 'exceeded quota: svc, requested: services.loadbalancers=1, used: services.loadbalancers=1, limited: services.loadbalancers=1',
    });
  });
});

describe('controller recalculation', () => {
  it('sums the live pods the quota covers and copies hard from the spec', () => {
    const q = { spec: { hard: { pods: '2', 'requests.cpu': '1' } }, status: {} };
    const pods = [pod([{ name: 'a', requests: { cpu: '100m' } }]), pod([{ name: 'b', requests: { cpu: '200m' } }], { phase: 'Succeeded' })];
    const used = usageOf(podEvaluator, q, pods as never, now);
    expect(used).toEqual({ pods: '1', 'requests.cpu': '100m' });
    expect(desiredQuotaStatus(q, used)).toEqual({ status: { hard: { pods: '2', 'requests.cpu': '1' }, used: { pods: '1', 'requests.cpu': '100m' } }, dirty: true });
    expect(desiredQuotaStatus({ ...q, status: { hard: { pods: '2', 'requests.cpu': '1000m' }, used: { pods: '1', 'requests.cpu': '0.1' } } }, used).dirty).toBe(false);
    expect(usageOf(podEvaluator, q, [], now)).toEqual({ pods: '0', 'requests.cpu': '0' });
  });
});

describe('replenishment', () => {
  it.each([
    ['a pod finishing', 'Running', 'Succeeded', true],
    ['a pod starting', 'Pending', 'Running', false],
  ])('%s gives usage back: %s', (_n, before, after, shrank) => {
    const p = (phase: string) => pod([{ name: 'a', requests: { cpu: '1' } }], { phase });
    expect(usageShrank(podEvaluator, p(before) as never, p(after) as never, now)).toBe(shrank);
  });

  it('sees a service losing its load balancer', () => {
    const svc = (type: string) => ({ metadata: {}, spec: { type, ports: [{}] } });
    expect(usageShrank(evaluatorFor('', 'services'), svc('LoadBalancer'), svc('ClusterIP'), now)).toBe(true);
    expect(usageShrank(evaluatorFor('', 'services'), svc('ClusterIP'), svc('LoadBalancer'), now)).toBe(false);
  });
});
