/**
 * The plugin together with the real Service kind (defaults, strategy, validation), in the order
 * the server runs them: prepare → defaults → admit → validate.
 */
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, invalid } from '../../pkg/errors/index.ts';
import { testContext } from './admission-test-kit.ts';
import { defaultAdmissionPlugins } from './defaults.ts';
import type { AdmissionAttributes } from './types.ts';

const registry = createBuiltinRegistry();
const services = registry.byKind('', 'v1', 'Service')!;

async function setup() {
  const ctx = testContext();
  await ctx.storage.create('/registry/namespaces/default', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, status: { phase: 'Active' } });
  const plugins = defaultAdmissionPlugins(ctx);
  async function write(operation: 'CREATE' | 'UPDATE', input: KubeObject): Promise<KubeObject> {
    const obj = structuredClone(input);
    const name = obj.metadata.name!;
    const key = `/registry/services/default/${name}`;
    const old = operation === 'UPDATE' ? await ctx.storage.get(key) : undefined;
    obj.metadata.namespace = 'default';
    if (old) services.prepareForUpdate?.(obj, old);
    else {
      obj.metadata.uid = `uid-${name}`;
      services.prepareForCreate?.(obj);
    }
    services.applyDefaults(obj);
    const success: Array<() => Promise<void>> = [];
    const failure: Array<() => Promise<void>> = [];
    const attrs: AdmissionAttributes = { operation, info: services, namespace: 'default', name, object: obj, oldObject: old, dryRun: false, onFailure: (f) => failure.push(f), onSuccess: (f) => success.push(f) };
    try {
      for (const p of plugins) await p.admit?.(attrs);
      const errors = services.validate(obj, old);
      if (errors.length) throw invalid({ group: '', kind: 'Service', name, errors });
      for (const p of plugins) await p.validate?.(attrs);
      const stored = old ? await ctx.storage.update(key, obj) : await ctx.storage.create(key, obj);
      for (const f of success) await f();
      return stored;
    } catch (err) {
      for (const f of failure) await f();
      throw err;
    }
  }
  return { ctx, write };
}

const nginxSvc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'my-nginx-app-svc', labels: { app: 'my-nginx-app' } },
  spec: { type: 'NodePort', selector: { app: 'my-nginx-app' }, ports: [{ port: 80, targetPort: 80, nodePort: 32143 }] },
};

describe('ServiceAllocation with the real Service kind', () => {
  it('creates the my-nginx-app.yaml Service: valid, defaulted, NodePort 32143 kept', async () => {
    const t = await setup();
    const stored = await t.write('CREATE', nginxSvc);
    expect(stored.spec).toMatchObject({
      type: 'NodePort',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      externalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, targetPort: 80, nodePort: 32143, protocol: 'TCP' }],
    });
    expect((stored.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
  });

  it('re-applying without nodePort keeps it; switching to ClusterIP passes validation and frees it', async () => {
    const t = await setup();
    await t.write('CREATE', nginxSvc);
    const again = await t.write('UPDATE', { ...nginxSvc, spec: { type: 'NodePort', selector: { app: 'my-nginx-app' }, ports: [{ port: 80, targetPort: 80 }] } });
    expect((again.spec as { ports: Array<{ nodePort: number }> }).ports[0].nodePort).toBe(32143);
    const current = (await t.ctx.storage.get('/registry/services/default/my-nginx-app-svc'))!;
    const toClusterIP = await t.write('UPDATE', { ...current, spec: { ...(current.spec as object), type: 'ClusterIP' } });
    expect((toClusterIP.spec as { ports: Array<{ nodePort?: number }> }).ports[0].nodePort).toBeUndefined();
    expect((await t.ctx.storage.list('/registry/k8ts/nodeports/')).items).toEqual([]);
  });

  it('a second Service asking for 32143 gets upstream\'s 422', async () => {
    const t = await setup();
    await t.write('CREATE', nginxSvc);
    const err = await t.write('CREATE', { ...nginxSvc, metadata: { name: 'copy' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('Service "copy" is invalid: spec.ports[0].nodePort: Invalid value: 32143: provided port is already allocated');
    expect((await t.ctx.storage.list('/registry/networking.k8s.io/ipaddresses/')).items).toHaveLength(1);
  });

  it('a Service the kind rejects leaves nothing reserved', async () => {
    const t = await setup();
    const err = await t.write('CREATE', { ...nginxSvc, metadata: { name: 'mariadb_service' } }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(422);
    expect((await t.ctx.storage.list('/registry/networking.k8s.io/ipaddresses/')).items).toEqual([]);
    expect((await t.ctx.storage.list('/registry/k8ts/nodeports/')).items).toEqual([]);
  });

  it('headless and ExternalName Services validate', async () => {
    const t = await setup();
    await t.write('CREATE', { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } });
    await t.write('CREATE', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    await t.write('CREATE', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { a: 'b' }, ports: [{ port: 80 }] } });
    const lb = (await t.ctx.storage.get('/registry/services/default/lb'))!.spec as { healthCheckNodePort: number; ports: Array<{ nodePort: number }> };
    expect(lb.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.ports[0].nodePort).not.toBe(lb.healthCheckNodePort);
  });
});
