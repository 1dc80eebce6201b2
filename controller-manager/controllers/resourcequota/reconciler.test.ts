import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { ResourceQuota } from '../../../pkg/api/core/v1/resourcequota.ts';
import type { Lister } from '../../../pkg/informer/index.ts';
import { evaluatorFor } from '../../../pkg/quota/evaluators.ts';
import { coordinatesForCount, ResourceQuotaReconciler } from './reconciler.ts';

function lister<T extends KubeObject>(items: T[]): Lister<T> {
  return {
    list: () => items,
    listInNamespace: (ns: string) => items.filter((i) => i.metadata.namespace === ns),
    get: (key: string) => items.find((i) => `${i.metadata.namespace}/${i.metadata.name}` === key),
  } as unknown as Lister<T>;
}

const ctx = { signal: new AbortController().signal, log: pino({ level: 'silent' }) };
const pod = (name: string, cpu: string, phase = 'Running', ns = 'default') => ({ metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }] }, status: { phase } });

function run(quota: ResourceQuota, objects: { pods?: KubeObject[]; deployments?: KubeObject[] }) {
  const written: ResourceQuota[] = [];
  const reconciler = new ResourceQuotaReconciler({
    quotas: lister([quota]),
    cached: [{ evaluator: evaluatorFor('', 'pods'), lister: lister(objects.pods ?? []) }, { evaluator: evaluatorFor('', 'resourcequotas'), lister: lister([quota as KubeObject]) }],
    client: { list: async () => objects.deployments ?? [], updateStatus: async (q) => written.push(q) },
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z') },
    resyncMs: 300_000,
  });
  return { written, result: reconciler.reconcile({ namespace: 'default', name: 'q' }, ctx) };
}

describe('resourcequota reconciler', () => {
  it('recalculates used from live pods (terminal ones excluded) and copies hard', async () => {
    const quota = { metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '2', 'requests.cpu': '1', 'count/deployments.apps': '1', resourcequotas: '1' } }, status: { used: { pods: '2' } } } as ResourceQuota;
    const { written, result } = run(quota, { pods: [pod('a', '100m'), pod('b', '200m', 'Succeeded'), pod('c', '1', 'Running', 'other')], deployments: [{ metadata: { name: 'd', namespace: 'default' } }] });
    expect(await result).toEqual({ requeueAfterMs: 300_000 });
    expect(written.map((q) => q.status)).toEqual([{ hard: quota.spec!.hard, used: { pods: '1', 'requests.cpu': '100m', 'count/deployments.apps': '1', resourcequotas: '1' } }]);
  });

  it('counts a pod being resized in place at the larger of its spec and what its kubelet allocated and runs', async () => {
    const quota = { metadata: { name: 'q', namespace: 'default' }, spec: { hard: { 'requests.cpu': '4' } }, status: { used: { 'requests.cpu': '0' } } } as ResourceQuota;
    const running = (name: string, cpu: string, actual: string, allocated: string) => {
      const p = pod(name, cpu);
      return { ...p, status: { ...p.status, containerStatuses: [{ name: 'c', allocatedResources: { cpu: allocated }, resources: { requests: { cpu: actual } } }] } };
    };
    const { written, result } = run(quota, { pods: [running('shrinking', '100m', '1', '1'), running('growing', '1500m', '500m', '500m'), running('admitted', '200m', '200m', '300m')] });
    await result;
    expect(written.map((q) => q.status?.used)).toEqual([{ 'requests.cpu': '2800m' }]);
  });

  it('writes nothing when the status is current', async () => {
    const hard = { pods: '2' };
    const { written, result } = run({ metadata: { name: 'q', namespace: 'default' }, spec: { hard }, status: { hard, used: { pods: '1' } } } as ResourceQuota, { pods: [pod('a', '1')] });
    await result;
    expect(written).toEqual([]);
  });

  it.each([
    ['count/deployments.apps', 'deployments'],
    ['count/pods', 'pods'],
    ['count/widgets.example.com', undefined],
    ['pods', undefined],
  ])('%s counts the built-in %s', (name, plural) => {
    expect(coordinatesForCount(name)?.plural).toBe(plural);
  });
});
