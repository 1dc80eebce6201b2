/**
 * The Website operator against an in-process control plane (`k8ts/testing`, with the built-in
 * Deployment/ReplicaSet/garbage-collector controllers): the CRD is applied through the API and
 * served, Websites get their Deployment and Service with controller refs, spec changes follow,
 * schema and CEL rule violations are refused with the API server's 422, status is written, and the official
 * `@kubernetes/client-node` can create Websites too.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_COORDINATES as C, type ResourceClient } from 'k8ts/client';
import { Manager } from 'k8ts/runtime';
import { startTestControlPlane, waitFor, type TestControlPlane } from 'k8ts/testing';
import { CRDS, installWebsiteCrd, isEstablished, WEBSITE_CRD_NAME } from './crd.ts';
import { registerWebsiteOperator } from './operator.ts';
import { WEBSITE_API_VERSION, WEBSITES, type DeploymentLike, type ServiceLike, type Website } from './types.ts';

const NS = 'default';

describe('website operator', () => {
  let cp: TestControlPlane;
  let websites: ResourceClient<Website>;
  let deployments: ResourceClient<DeploymentLike>;
  let services: ResourceClient<ServiceLike>;

  const website = (name: string, spec: Record<string, unknown>): Website => ({ apiVersion: WEBSITE_API_VERSION, kind: 'Website', metadata: { name, namespace: NS }, spec }) as unknown as Website;
  const deploymentOf = (name: string, test: (d: DeploymentLike) => boolean = () => true) =>
    waitFor(`Deployment ${name}`, async () => {
      const d = await deployments.get(name).catch(() => undefined);
      return d && test(d) ? d : undefined;
    });

  beforeAll(async () => {
    cp = await startTestControlPlane({ controllers: true });
    await installWebsiteCrd(cp.client);
    const manager = new Manager({ client: cp.client });
    registerWebsiteOperator(manager);
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    cp.onStop(async () => {
      stop.abort();
      await running;
    });
    websites = cp.client.resource<Website>(WEBSITES).inNamespace(NS);
    deployments = cp.client.resource<DeploymentLike>(C.deployments).inNamespace(NS);
    services = cp.client.resource<ServiceLike>(C.services).inNamespace(NS);
  });
  afterAll(() => cp?.stop());

  it('serves the CRD: Established, printer columns Image/Replicas/URL/Age', async () => {
    expect(isEstablished((await cp.client.resource(CRDS).get(WEBSITE_CRD_NAME)) as Parameters<typeof isEstablished>[0])).toBe(true);
    await websites.create(website('columns', { image: 'nginx:1.27' }));
    const table = (await (await fetch(`${cp.url}/apis/example.k8ts.dev/v1/namespaces/${NS}/websites`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json()) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Image', 'Replicas', 'URL', 'Age']);
    await waitFor('URL column', async () => {
      const t = (await (await fetch(`${cp.url}/apis/example.k8ts.dev/v1/namespaces/${NS}/websites/columns`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json()) as { rows: Array<{ cells: unknown[] }> };
      return t.rows[0]?.cells[3] === `http://columns.${NS}.svc.cluster.local:80`;
    });
  });

  it('creates the Deployment and Service with controller ownerReferences, defaults applied', async () => {
    const created = await websites.create(website('blog', { image: 'nginx:1.27', port: 8080 }));
    expect(created.spec).toEqual({ image: 'nginx:1.27', port: 8080, replicas: 1 });
    const owner = { apiVersion: WEBSITE_API_VERSION, kind: 'Website', name: 'blog', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };

    const d = await deploymentOf('blog');
    expect(d.metadata.ownerReferences).toEqual([owner]);
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'blog' });
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'blog' } });
    expect(d.spec?.template?.spec?.containers?.[0]).toMatchObject({ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] });

    const s = await waitFor('Service blog', () => services.get('blog').catch(() => undefined));
    expect(s.metadata.ownerReferences).toEqual([owner]);
    expect(s.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'blog' });
    expect(s.spec?.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' })]);
    expect(s.spec?.clusterIP).toMatch(/^10\./);
  });

  it('writes status: url, availableReplicas, Ready False while pods are unavailable, True at 0 replicas', async () => {
    await websites.create(website('status', { image: 'nginx:1.27' }));
    const st = await waitFor('status', async () => (await websites.get('status')).status?.url ? await websites.get('status') : undefined);
    expect(st.status).toMatchObject({ url: `http://status.${NS}.svc.cluster.local:80`, availableReplicas: 0 });
    // No kubelet in the test control plane: the pod never becomes available.
    expect(st.status?.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ReplicasUnavailable', message: '0/1 replicas available', observedGeneration: 1 })]);
    expect(st.status?.conditions?.[0]?.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await websites.patch('status', { spec: { replicas: 0 } }, { type: 'merge' });
    const ready = await waitFor('Ready True', async () => {
      const w = await websites.get('status');
      return w.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True') ? w : undefined;
    });
    expect(ready.status?.conditions?.[0]).toMatchObject({ reason: 'ReplicasAvailable', message: '0/0 replicas available', observedGeneration: 2 });
  });

  it('follows replicas and image changes into the Deployment', async () => {
    await websites.create(website('shop', { image: 'nginx:1.26', replicas: 2 }));
    await deploymentOf('shop', (d) => d.spec?.replicas === 2);
    await websites.patch('shop', { spec: { replicas: 3, image: 'nginx:1.27' } }, { type: 'merge' });
    const d = await deploymentOf('shop', (x) => x.spec?.replicas === 3 && x.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1.27');
    expect(d.spec?.template?.spec?.containers).toHaveLength(1);
    // The Deployment controller rolls it out: a ReplicaSet with the new image exists.
    await waitFor('new ReplicaSet', async () => (await cp.client.replicaSets.list({ namespace: NS, labelSelector: 'app.kubernetes.io/name=shop' })).items.some((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1.27'));
  });

  it('puts a hand-edited Deployment back', async () => {
    await websites.create(website('drift', { image: 'nginx:1.27', replicas: 2 }));
    await deploymentOf('drift', (d) => d.spec?.replicas === 2);
    await deployments.patch('drift', { spec: { replicas: 5 } }, { type: 'merge' });
    await deploymentOf('drift', (d) => d.spec?.replicas === 2);
  });

  it('refuses schema violations with the API server 422 Invalid', async () => {
    const negative = await websites.create(website('bad-replicas', { image: 'nginx', replicas: -1 })).catch((e: unknown) => e);
    expect(negative).toMatchObject({ code: 422, reason: 'Invalid' });
    expect((negative as Error).message).toBe('Website.example.k8ts.dev "bad-replicas" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0');

    const noImage = await websites.create(website('no-image', { replicas: 1 })).catch((e: unknown) => e);
    expect(noImage).toMatchObject({ code: 422, reason: 'Invalid' });
    // A missing required field blocks the CRD's validation rules (the port rule), and upstream says so.
    expect((noImage as Error).message).toBe('Website.example.k8ts.dev "no-image" is invalid: [spec.image: Required value, <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]');

    const wrongType = await websites.create(website('bad-port', { image: 'nginx', port: 'eighty' })).catch((e: unknown) => e);
    expect((wrongType as Error).message).toContain('spec.port: Invalid value: "string": spec.port in body must be of type integer: "string"');

    const highPort = await websites.create(website('high-port', { image: 'nginx', port: 70000 })).catch((e: unknown) => e);
    expect((highPort as Error).message).toBe('Website.example.k8ts.dev "high-port" is invalid: spec.port: Invalid value: "integer": port 70000 is not between 1 and 65535');

    await websites.create(website('valid', { image: 'nginx' }));
    const update = await websites.patch('valid', { spec: { replicas: -1 } }, { type: 'merge' }).catch((e: unknown) => e);
    expect(update).toMatchObject({ code: 422 });
    expect((update as Error).message).toContain('spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0');
  });

  it('deleting the Website garbage-collects its Deployment and Service', async () => {
    await websites.create(website('gone', { image: 'nginx:1.27' }));
    await deploymentOf('gone');
    await waitFor('Service created', () => services.get('gone').catch(() => undefined));
    await websites.delete('gone');
    await waitFor('children collected', async () => {
      const [d, s] = await Promise.all([deployments.get('gone').catch((e: { code?: number }) => e.code), services.get('gone').catch((e: { code?: number }) => e.code)]);
      return d === 404 && s === 404;
    });
  });

  it('@kubernetes/client-node creates a Website (CustomObjectsApi) and the operator reconciles it', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cp.kubeconfigPath);
    // client-node refuses plain http unless told to skip TLS verification (the test plane has no TLS).
    kc.loadFromOptions({ ...kc, clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })) });
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const created = (await api.createNamespacedCustomObject({ group: 'example.k8ts.dev', version: 'v1', namespace: NS, plural: 'websites', body: { apiVersion: WEBSITE_API_VERSION, kind: 'Website', metadata: { name: 'from-client-node' }, spec: { image: 'nginx:1.27' } } })) as Website;
    expect(created.spec).toEqual({ image: 'nginx:1.27', replicas: 1, port: 80 });
    await deploymentOf('from-client-node');
    const listed = (await api.listNamespacedCustomObject({ group: 'example.k8ts.dev', version: 'v1', namespace: NS, plural: 'websites' })) as { items: Website[] };
    expect(listed.items.map((w) => w.metadata.name)).toContain('from-client-node');
    const err = await api.createNamespacedCustomObject({ group: 'example.k8ts.dev', version: 'v1', namespace: NS, plural: 'websites', body: { apiVersion: WEBSITE_API_VERSION, kind: 'Website', metadata: { name: 'client-node-bad' }, spec: { replicas: -1 } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 422 });
  });
});
