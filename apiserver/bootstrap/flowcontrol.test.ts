import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { testKeyFor } from '../admission/admission-test-kit.ts';
import { bootstrapCluster, type BootstrapOptions } from './bootstrap.ts';
import { danglingCondition, mayAutoUpdate, updateDanglingConditions, withDanglingCondition } from './flowcontrol.ts';

const FS = '/registry/flowcontrol.apiserver.k8s.io/flowschemas/';
const PL = '/registry/flowcontrol.apiserver.k8s.io/prioritylevelconfigurations/';

function options(storage: MemoryStorage, at = Date.UTC(2026, 10, 22, 12, 0, 0)): BootstrapOptions {
  let n = 0;
  return { storage, registry: createBuiltinRegistry(), keyFor: testKeyFor, apiserverAddress: { ip: '192.168.1.10', port: 6443 }, now: () => at, newUid: () => `uid-${++n}`, repair: false };
}

describe('API Priority and Fairness bootstrap configuration', () => {
  it('creates the mandatory and suggested priority levels and flow schemas, valid and annotated', async () => {
    const storage = new MemoryStorage();
    const registry = createBuiltinRegistry();
    await bootstrapCluster(options(storage));
    const levels = (await storage.list(PL)).items.map((o) => o.metadata.name).sort();
    expect(levels).toEqual(['catch-all', 'exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low']);
    const schemas = (await storage.list(FS)).items.map((o) => o.metadata.name).sort();
    expect(schemas).toEqual([
      'catch-all', 'endpoint-controller', 'exempt', 'global-default', 'kube-controller-manager', 'kube-scheduler', 'kube-system-service-accounts',
      'probes', 'service-accounts', 'system-leader-election', 'system-node-high', 'system-nodes', 'workload-leader-election',
    ]);
    const plInfo = registry.byKind('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration')!;
    const fsInfo = registry.byKind('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema')!;
    for (const obj of (await storage.list(PL)).items) {
      expect(obj.metadata.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
      expect(obj.metadata).toMatchObject({ generation: 1, creationTimestamp: '2026-11-22T12:00:00Z' });
      expect(plInfo.validate(obj as never), obj.metadata.name).toEqual([]);
    }
    for (const obj of (await storage.list(FS)).items) {
      expect(obj.metadata.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
      expect(fsInfo.validate(obj as never), obj.metadata.name).toEqual([]);
    }
  });

  it('writes the upstream specs (workload-low, catch-all, exempt, probes)', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    expect((await storage.get(`${PL}workload-low`))?.spec).toEqual({
      type: 'Limited',
      limited: { nominalConcurrencyShares: 100, lendablePercent: 90, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } },
    });
    expect((await storage.get(`${PL}catch-all`))?.spec).toEqual({ type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } });
    expect((await storage.get(`${PL}exempt`))?.spec).toEqual({ type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } });
    expect((await storage.get(`${FS}probes`))?.spec).toEqual({
      priorityLevelConfiguration: { name: 'exempt' },
      matchingPrecedence: 2,
      rules: [{ subjects: [{ kind: 'Group', group: { name: 'system:unauthenticated' } }, { kind: 'Group', group: { name: 'system:authenticated' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }] }],
    });
    expect((await storage.get(`${FS}system-node-high`))?.spec).toMatchObject({
      matchingPrecedence: 400,
      distinguisherMethod: { type: 'ByUser' },
      rules: [{ resourceRules: [{ verbs: ['*'], apiGroups: [''], resources: ['nodes', 'nodes/status'], clusterScope: true, namespaces: ['*'] }, { apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['*'] }] }],
    });
  });

  it('marks every bootstrap flow schema Dangling=False (Found)', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    for (const fs of (await storage.list(FS)).items) {
      const level = (fs.spec as { priorityLevelConfiguration: { name: string } }).priorityLevelConfiguration.name;
      expect(fs.status, fs.metadata.name).toEqual({
        conditions: [{ type: 'Dangling', status: 'False', lastTransitionTime: '2026-11-22T12:00:00Z', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named "${level}" and it exists` }],
      });
    }
  });

  it('restores an auto-updated object and keeps one whose annotation is "false"', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    const changed = (name: string, annotation: string) => storage.guaranteedUpdate(`${PL}${name}`, (cur) => ({
      ...cur!,
      metadata: { ...cur!.metadata, generation: 2, annotations: { 'apf.kubernetes.io/autoupdate-spec': annotation } },
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: 7, lendablePercent: 0, limitResponse: { type: 'Reject' } } },
    }));
    await changed('workload-high', 'false');
    await changed('workload-low', 'true');
    await storage.delete(`${FS}global-default`);
    const report = await bootstrapCluster(options(storage));
    expect(report.created).toEqual(['flowschemas/global-default']);
    expect(report.updated).toEqual(['prioritylevelconfigurations/workload-low']);
    expect((await storage.get(`${PL}workload-high`))?.spec).toMatchObject({ limited: { nominalConcurrencyShares: 7 } });
    expect(await storage.get(`${PL}workload-low`)).toMatchObject({ metadata: { generation: 3 }, spec: { limited: { nominalConcurrencyShares: 100, lendablePercent: 90 } } });
    expect((await storage.get(`${FS}global-default`))?.status).toMatchObject({ conditions: [{ type: 'Dangling', status: 'False', reason: 'Found' }] });
  });

  it('always restores a mandatory object, keeping the exempt level\'s spec.exempt, and marks an edited unannotated one "false"', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    await storage.guaranteedUpdate(`${PL}exempt`, (cur) => ({ ...cur!, metadata: { ...cur!.metadata, generation: 2 }, spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 10, lendablePercent: 20 } } }));
    await storage.guaranteedUpdate(`${FS}catch-all`, (cur) => ({
      ...cur!,
      metadata: { ...cur!.metadata, generation: 2, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'false' } },
      spec: { ...(cur!.spec as object), matchingPrecedence: 9000 },
    }));
    await storage.guaranteedUpdate(`${FS}probes`, (cur) => ({ ...cur!, metadata: { ...cur!.metadata, generation: 2, annotations: {} }, spec: { ...(cur!.spec as object), matchingPrecedence: 3 } }));
    const report = await bootstrapCluster(options(storage));
    expect(report.updated.sort()).toEqual(['flowschemas/catch-all', 'flowschemas/probes']);
    expect((await storage.get(`${PL}exempt`))?.spec).toEqual({ type: 'Exempt', exempt: { nominalConcurrencyShares: 10, lendablePercent: 20 } });
    expect(await storage.get(`${FS}catch-all`)).toMatchObject({ metadata: { generation: 3, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' } }, spec: { matchingPrecedence: 10000 } });
    expect(await storage.get(`${FS}probes`)).toMatchObject({ metadata: { generation: 2, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'false' } }, spec: { matchingPrecedence: 3 } });
  });

  it('marks a user flow schema whose priority level is missing Dangling=True (NotFound)', async () => {
    const storage = new MemoryStorage();
    await storage.create(`${FS}mine`, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'mine' }, spec: { priorityLevelConfiguration: { name: 'nope' }, matchingPrecedence: 500 } });
    await updateDanglingConditions({ storage, keyFor: testKeyFor }, '2026-11-22T12:00:00Z');
    expect((await storage.get(`${FS}mine`))?.status).toEqual({
      conditions: [{ type: 'Dangling', status: 'True', lastTransitionTime: '2026-11-22T12:00:00Z', reason: 'NotFound', message: 'This FlowSchema references the PriorityLevelConfiguration object named "nope" but there is no such object' }],
    });
  });

  it.each([
    [{ 'apf.kubernetes.io/autoupdate-spec': 'true' }, 5, true],
    [{ 'apf.kubernetes.io/autoupdate-spec': 'false' }, 1, false],
    [{ 'apf.kubernetes.io/autoupdate-spec': 'F' }, 1, false],
    [{ 'apf.kubernetes.io/autoupdate-spec': 'maybe' }, 1, true],
    [undefined, 1, true],
    [undefined, 2, false],
  ])('mayAutoUpdate(annotations %j, generation %d) = %s', (annotations, generation, expected) => {
    expect(mayAutoUpdate({ metadata: { name: 'x', annotations, generation } })).toBe(expected);
  });

  it('keeps lastTransitionTime while the Dangling status holds', () => {
    const fs = { metadata: { name: 'x' }, status: { conditions: [danglingCondition('a', true, 'T1')] } };
    expect(withDanglingCondition(fs, danglingCondition('a', true, 'T2'))).toBeUndefined();
    expect(withDanglingCondition(fs, danglingCondition('b', true, 'T2'))?.status).toMatchObject({ conditions: [{ lastTransitionTime: 'T1', message: expect.stringContaining('"b"') }] });
    expect(withDanglingCondition(fs, danglingCondition('a', false, 'T2'))?.status).toMatchObject({ conditions: [{ status: 'True', lastTransitionTime: 'T2' }] });
  });
});
