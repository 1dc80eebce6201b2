import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { runWrite, service, SERVICES, testContext, testKeyFor } from '../admission/admission-test-kit.ts';
import { createServiceAllocationPlugin } from '../admission/service-allocation.ts';
import { bootstrapCluster, type BootstrapOptions } from './bootstrap.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PolicyRule } from '../auth/rules.ts';
import { uncoveredRules } from '../auth/rbac/covers.ts';

function options(storage: MemoryStorage, overrides: Partial<BootstrapOptions> = {}): BootstrapOptions {
  let n = 0;
  return {
    storage,
    keyFor: testKeyFor,
    apiserverAddress: { ip: '192.168.1.10', port: 6443 },
    now: () => Date.UTC(2026, 10, 22, 12, 0, 0, 123),
    newUid: () => `uid-${++n}`,
    ...overrides,
  };
}

describe('bootstrapCluster', () => {
  it('creates the system namespaces with server-set metadata', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const ns = await storage.get(`/registry/namespaces/${name}`);
      expect(ns).toMatchObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, creationTimestamp: '2026-11-22T12:00:00Z', labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
      expect(ns?.metadata.uid).toMatch(/^uid-\d+$/);
    }
  });

  it('creates default/kubernetes on the first address of the range, reserved in the allocator', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage, { serviceClusterIpRange: '10.0.0.0/24' }));
    const svc = await storage.get('/registry/services/default/kubernetes');
    expect(svc).toMatchObject({
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        clusterIPs: ['10.0.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    });
    expect(await storage.get('/registry/networking.k8s.io/ipaddresses/10.0.0.1')).toMatchObject({
      metadata: { labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } },
      spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } },
    });
    expect(await storage.get('/registry/networking.k8s.io/servicecidrs/kubernetes')).toMatchObject({
      spec: { cidrs: ['10.0.0.0/24'] },
      status: { conditions: [{ type: 'Ready', status: 'True', message: 'Kubernetes default Service CIDR is ready' }] },
    });
    const ctx = testContext(storage);
    const plugin = createServiceAllocationPlugin(ctx, { serviceClusterIpRange: '10.0.0.0/24' });
    await expect(runWrite(ctx, [plugin], { operation: 'CREATE', info: SERVICES, namespace: 'default', name: 'x', object: service('x', { clusterIP: '10.0.0.1' }) }))
      .rejects.toThrow('provided IP is already allocated');
  });

  it('points Endpoints and the EndpointSlice at the API server', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    expect(await storage.get('/registry/endpoints/default/kubernetes')).toMatchObject({
      kind: 'Endpoints',
      subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    });
    expect(await storage.get('/registry/discovery.k8s.io/endpointslices/default/kubernetes')).toMatchObject({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generation: 1, labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.168.1.10'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    });
  });

  it('is idempotent: a second run writes nothing', async () => {
    const storage = new MemoryStorage();
    const first = await bootstrapCluster(options(storage));
    // 36 namespaces, priority classes, RBAC and kubernetes service objects + 8 APF priority levels + 13 flow schemas + the default ServiceCIDR (the service-cidrs-controller and service-account-issuer-discovery roles and bindings are among the RBAC objects)
    expect(first.created).toHaveLength(62);
    expect(first.created).toContain('clusterrolebindings/system:monitoring');
    expect(first.created).toContain('servicecidrs/kubernetes');
    expect(first.created).toContain('clusterroles/system:aggregated-metrics-reader');
    expect(first.created).toContain('clusterroles/system:service-account-issuer-discovery');
    expect(first.created).toContain('clusterrolebindings/system:service-account-issuer-discovery');
    const revision = await storage.currentRevision();
    const uid = (await storage.get('/registry/namespaces/default'))?.metadata.uid;
    const second = await bootstrapCluster(options(storage));
    expect(second).toMatchObject({ created: [], updated: [] });
    expect(second.repair).toEqual({ releasedIps: [], releasedPorts: [], reservedIps: [], reservedPorts: [] });
    expect(await storage.currentRevision()).toBe(revision);
    expect((await storage.get('/registry/namespaces/default'))?.metadata.uid).toBe(uid);
  });

  it('follows a changed API server address and port', async () => {
    const storage = new MemoryStorage();
    await bootstrapCluster(options(storage));
    const report = await bootstrapCluster(options(storage, { apiserverAddress: { ip: '192.168.1.11', port: 7443 } }));
    expect(report.updated.sort()).toEqual(['endpoints/default/kubernetes', 'endpointslices/default/kubernetes', 'services/default/kubernetes']);
    expect(await storage.get('/registry/endpoints/default/kubernetes')).toMatchObject({ subsets: [{ addresses: [{ ip: '192.168.1.11' }], ports: [{ port: 7443 }] }] });
    expect(await storage.get('/registry/discovery.k8s.io/endpointslices/default/kubernetes')).toMatchObject({
      metadata: { generation: 2 },
      endpoints: [{ addresses: ['192.168.1.11'] }],
    });
    expect(await storage.get('/registry/services/default/kubernetes')).toMatchObject({ spec: { clusterIP: '10.96.0.1', ports: [{ targetPort: 7443 }] } });
  });

  it('runs concurrently from two servers without errors or duplicates', async () => {
    const storage = new MemoryStorage();
    const [a, b] = await Promise.all([bootstrapCluster(options(storage)), bootstrapCluster(options(storage))]);
    expect([...a.created, ...b.created].sort()).toHaveLength(62);
  });

  it('changes no default RBAC object when run again with the same defaults', async () => {
    const storage = new MemoryStorage();
    const registry = createBuiltinRegistry();
    await bootstrapCluster(options(storage, { registry }));
    const again = await bootstrapCluster(options(storage, { registry }));
    expect(again.created).toEqual([]);
    expect(again.updated.filter((u) => u.startsWith('clusterrole'))).toEqual([]);
  });

  it('gives existing default RBAC objects what the defaults add, keeps what users added, and leaves autoupdate "false" alone', async () => {
    const storage = new MemoryStorage();
    const registry = createBuiltinRegistry();
    await bootstrapCluster(options(storage, { registry }));
    const RBAC = '/registry/rbac.authorization.k8s.io';
    const deployments = `${RBAC}/clusterroles/system:controller:horizontal-pod-autoscaler`;
    // An older version's role: one rule fewer, plus a rule an admin added.
    const original = (await storage.get(deployments)) as KubeObject & { rules: PolicyRule[] };
    const extra = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] };
    await storage.update(deployments, { ...original, rules: [...original.rules.slice(1), extra] } as KubeObject);
    // A binding with an admin's extra subject and the default one missing.
    const masters = `${RBAC}/clusterrolebindings/cluster-admin`;
    const binding = (await storage.get(masters)) as KubeObject & { subjects: unknown[] };
    await storage.update(masters, { ...binding, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] } as KubeObject);
    // A protected role with its rules cut.
    const discovery = `${RBAC}/clusterroles/system:discovery`;
    const disc = (await storage.get(discovery)) as KubeObject;
    await storage.update(discovery, { ...disc, metadata: { ...disc.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] } as KubeObject);
    // A binding pointing at another role (roleRef is immutable: recreated).
    const viewBinding = `${RBAC}/clusterrolebindings/system:basic-user`;
    const basic = (await storage.get(viewBinding)) as KubeObject & { roleRef: { name: string } };
    await storage.delete(viewBinding);
    await storage.create(viewBinding, { ...basic, roleRef: { ...basic.roleRef, name: 'view' } } as KubeObject);

    const report = await bootstrapCluster(options(storage, { registry }));
    expect(report.updated).toEqual(expect.arrayContaining(['clusterroles/system:controller:horizontal-pod-autoscaler', 'clusterrolebindings/cluster-admin', 'clusterrolebindings/system:basic-user']));
    expect(report.updated).not.toContain('clusterroles/system:discovery');
    const rules = ((await storage.get(deployments)) as KubeObject & { rules: PolicyRule[] }).rules;
    expect(rules.slice(0, original.rules.length)).toEqual([...original.rules.slice(1), extra]);
    expect(uncoveredRules(rules, original.rules)).toEqual([]);
    expect(((await storage.get(masters)) as KubeObject & { subjects: unknown[] }).subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    expect(await storage.get(discovery)).toMatchObject({ rules: [], metadata: { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } } });
    expect(await storage.get(viewBinding)).toMatchObject({ roleRef: { name: basic.roleRef.name } });
  });

  it('writes objects that pass their kind validation in the built-in registry', async () => {
    const storage = new MemoryStorage();
    const registry = createBuiltinRegistry();
    await bootstrapCluster(options(storage, { registry }));
    const checks: Array<[string, string, string, string]> = [
      ['', 'v1', 'Namespace', '/registry/namespaces/kube-node-lease'],
      ['', 'v1', 'Service', '/registry/services/default/kubernetes'],
      ['', 'v1', 'Endpoints', '/registry/endpoints/default/kubernetes'],
      ['discovery.k8s.io', 'v1', 'EndpointSlice', '/registry/discovery.k8s.io/endpointslices/default/kubernetes'],
      ['scheduling.k8s.io', 'v1', 'PriorityClass', '/registry/scheduling.k8s.io/priorityclasses/system-node-critical'],
      ['scheduling.k8s.io', 'v1', 'PriorityClass', '/registry/scheduling.k8s.io/priorityclasses/system-cluster-critical'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/admin'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/cluster-admin'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:discovery'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', '/registry/rbac.authorization.k8s.io/clusterrolebindings/system:public-info-viewer'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:service-account-issuer-discovery'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', '/registry/rbac.authorization.k8s.io/clusterrolebindings/system:service-account-issuer-discovery'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:controller:horizontal-pod-autoscaler'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', '/registry/rbac.authorization.k8s.io/clusterrolebindings/system:controller:horizontal-pod-autoscaler'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:controller:replication-controller'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:controller:validatingadmissionpolicy-status-controller'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', '/registry/rbac.authorization.k8s.io/clusterrolebindings/system:controller:validatingadmissionpolicy-status-controller'],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', '/registry/rbac.authorization.k8s.io/clusterroles/system:controller:service-cidrs-controller'],
      ['networking.k8s.io', 'v1', 'ServiceCIDR', '/registry/networking.k8s.io/servicecidrs/kubernetes'],
      ['networking.k8s.io', 'v1', 'IPAddress', '/registry/networking.k8s.io/ipaddresses/10.96.0.1'],
    ];
    for (const [group, version, kind, key] of checks) {
      const info = registry.byKind(group, version, kind);
      expect(info, kind).toBeDefined();
      const obj = await storage.get(key);
      expect(info!.validate(obj!), kind).toEqual([]);
    }
  });
});
