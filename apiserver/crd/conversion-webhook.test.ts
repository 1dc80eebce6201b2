/**
 * CRD conversion webhooks through the API and kubectl: a two-version CRD (v1 `spec.hostPort`
 * stored, v2 `spec.host` + `spec.port`, the kubernetes.io versioning example) converted by a local
 * HTTPS ConversionReview webhook, called by URL and through a Service; objects are stored at the
 * storage version, read at either, listed and watched converted, and a failing webhook gives
 * upstream's errors without writing anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedKubectls, kubectlRunner, kubectlTable } from '../../e2e/harness/kubectl.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { startTestControlPlane, type TestControlPlane } from '../../pkg/testing/index.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { api, makeSelfSignedCert, startJsonServer, type TestJsonServer } from '../admission/webhook/webhook-test-server.ts';
import { storageKey } from '../handlers/objects.ts';

const GROUP = 'conversion.example.com';
const cert = makeSelfSignedCert(['converter.webhooks.svc']);
const dir = mkdtempSync(join(tmpdir(), 'k8ts-conversion-webhook-'));
const [minor] = installedKubectls(['1.33', '1.32', '1.31', '1.30', '1.29', '1.28', '1.27']);

type Tunnel = KubeObject & { spec: Record<string, string> };
type Mode = 'convert' | 'fail' | 'rename';
let mode: Mode = 'convert';
/** Every ConversionReview request the webhook received. */
const reviews: Array<{ apiVersion: string; request: { uid: string; desiredAPIVersion: string; objects: Tunnel[] } }> = [];

/** The webhook's conversion: v1 `hostPort` ⇄ v2 `host` + `port`; it labels what it converted. */
function convert(obj: Tunnel, desired: string): Tunnel {
  const spec = { ...obj.spec };
  if (desired.endsWith('/v2') && spec.hostPort !== undefined) {
    const [host, port] = spec.hostPort.split(':');
    delete spec.hostPort;
    Object.assign(spec, { host, port });
  } else if (desired.endsWith('/v1') && spec.host !== undefined) {
    spec.hostPort = `${spec.host}:${spec.port}`;
    delete spec.host;
    delete spec.port;
  }
  const metadata = { ...obj.metadata, labels: { ...obj.metadata.labels, 'converted-to': desired.split('/')[1]! } };
  if (mode === 'rename') metadata.name = `${obj.metadata.name}-x`;
  return { ...obj, apiVersion: desired, metadata, spec };
}

function crd(plural: string, kind: string, clientConfig: Record<string, unknown>, reviewVersions = ['v1']) {
  const schema = (props: Record<string, unknown>) => ({ openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: props } } } });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural, kind },
      versions: [
        { name: 'v1', served: true, storage: true, schema: schema({ hostPort: { type: 'string' } }) },
        { name: 'v2', served: true, storage: false, schema: schema({ host: { type: 'string' }, port: { type: 'string' } }), additionalPrinterColumns: [{ name: 'Port', type: 'string', jsonPath: '.spec.port' }] },
      ],
      conversion: { strategy: 'Webhook', webhook: { clientConfig: { caBundle: cert.caBundle, ...clientConfig }, conversionReviewVersions: reviewVersions } },
    },
  };
}

describe('CRD conversion webhooks', () => {
  let cp: TestControlPlane;
  let hook: TestJsonServer;
  const path = (version: string, plural = 'tunnels', name = '') => `/apis/${GROUP}/${version}/namespaces/default/${plural}${name ? `/${name}` : ''}`;
  const established = (name: string) => waitFor(`${name} Established`, async () => {
    const got = await api(cp.url, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    return got.body?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
  });

  beforeAll(async () => {
    hook = await startJsonServer(cert, (_path, review) => {
      reviews.push(review);
      const { uid, desiredAPIVersion, objects } = review.request;
      const response = mode === 'fail'
        ? { uid, result: { status: 'Failure', message: 'cannot convert: the conversion service is being upgraded' } }
        : { uid, result: { status: 'Success' }, convertedObjects: objects.map((o: Tunnel) => convert(o, desiredAPIVersion)) };
      return { apiVersion: review.apiVersion, kind: 'ConversionReview', response };
    });
    cp = await startTestControlPlane();
    expect((await api(cp.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('tunnels', 'Tunnel', { url: hook.url('/convert') }))).status).toBe(201);
    await established(`tunnels.${GROUP}`);
  }, 60_000);
  afterAll(async () => {
    await cp?.stop();
    await hook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a webhook strategy without its webhook (422, upstream paths)', async () => {
    const bad = crd('bad', 'Bad', { url: hook.url('/convert') });
    (bad.spec.conversion as { webhook?: unknown }).webhook = undefined;
    const res = await api(cp.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(`CustomResourceDefinition.apiextensions.k8s.io "bad.${GROUP}" is invalid: [spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook, spec.conversion.conversionReviewVersions: Required value]`);
  });

  it('stores a v2 object as v1 and serves it at either version; a list is one review', async () => {
    mode = 'convert';
    reviews.length = 0;
    const created = await api(cp.url, 'POST', path('v2'), { apiVersion: `${GROUP}/v2`, kind: 'Tunnel', metadata: { name: 'db' }, spec: { host: 'db', port: '5432' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: `${GROUP}/v2`, spec: { host: 'db', port: '5432' } });
    // To the storage version, then back for the response.
    expect(reviews.map((r) => r.request.desiredAPIVersion)).toEqual([`${GROUP}/v1`, `${GROUP}/v2`]);
    const stored = await cp.storage.get(storageKey({ group: GROUP, plural: 'tunnels', namespaced: true }, 'default', 'db'));
    expect(stored).toMatchObject({ apiVersion: `${GROUP}/v1`, spec: { hostPort: 'db:5432' }, metadata: { labels: { 'converted-to': 'v1' } } });

    reviews.length = 0;
    expect((await api(cp.url, 'GET', path('v1', 'tunnels', 'db'))).body.spec).toEqual({ hostPort: 'db:5432' });
    expect(reviews).toHaveLength(0);
    expect((await api(cp.url, 'GET', path('v2', 'tunnels', 'db'))).body).toMatchObject({ apiVersion: `${GROUP}/v2`, spec: { host: 'db', port: '5432' }, metadata: { labels: { 'converted-to': 'v2' } } });
    expect(reviews).toHaveLength(1);

    for (const [name, hostPort] of [['cache', 'redis:6379'], ['queue', 'mq:5672']]) {
      expect((await api(cp.url, 'POST', path('v1'), { apiVersion: `${GROUP}/v1`, kind: 'Tunnel', metadata: { name }, spec: { hostPort } })).status).toBe(201);
    }
    reviews.length = 0;
    const list = await api(cp.url, 'GET', path('v2'));
    expect(list.body.items.map((t: Tunnel) => `${t.metadata.name} ${t.apiVersion} ${t.spec.host}:${t.spec.port}`)).toEqual([`cache ${GROUP}/v2 redis:6379`, `db ${GROUP}/v2 db:5432`, `queue ${GROUP}/v2 mq:5672`]);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.request.objects.map((o) => o.metadata.name)).toEqual(['cache', 'db', 'queue']);
  });

  it('updates through v2 and watches at v2', async () => {
    mode = 'convert';
    const patched = await fetch(`${cp.url}${path('v2', 'tunnels', 'db')}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { port: '6543' } }) });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Tunnel).spec).toEqual({ host: 'db', port: '6543' });
    expect((await api(cp.url, 'GET', path('v1', 'tunnels', 'db'))).body.spec).toEqual({ hostPort: 'db:6543' });

    const from = (await api(cp.url, 'GET', path('v1'))).body.metadata.resourceVersion as string;
    const abort = new AbortController();
    const watch = await fetch(`${cp.url}${path('v2')}?watch=true&resourceVersion=${from}`, { signal: abort.signal });
    await api(cp.url, 'POST', path('v1'), { apiVersion: `${GROUP}/v1`, kind: 'Tunnel', metadata: { name: 'web' }, spec: { hostPort: 'web:80' } });
    const reader = watch.body!.getReader();
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const event = JSON.parse(text.split('\n')[0]!) as { type: string; object: Tunnel };
    expect(event).toMatchObject({ type: 'ADDED', object: { apiVersion: `${GROUP}/v2`, metadata: { name: 'web' }, spec: { host: 'web', port: '80' } } });
  });

  it('a failing webhook: reads are 500 with its reason, writes an InternalError that stores nothing, the storage version still reads', async () => {
    mode = 'fail';
    const read = await api(cp.url, 'GET', path('v2', 'tunnels', 'db'));
    expect(read.status).toBe(500);
    expect(read.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, message: `conversion webhook for ${GROUP}/v1, Kind=Tunnel failed: cannot convert: the conversion service is being upgraded` });
    const list = await api(cp.url, 'GET', path('v2'));
    expect(list.body.message).toBe(`conversion webhook for ${GROUP}/v1, Kind=TunnelList failed: cannot convert: the conversion service is being upgraded`);
    const write = await api(cp.url, 'POST', path('v2'), { apiVersion: `${GROUP}/v2`, kind: 'Tunnel', metadata: { name: 'new' }, spec: { host: 'new', port: '1' } });
    expect(write.status).toBe(500);
    expect(write.body).toMatchObject({ reason: 'InternalError', message: `Internal error occurred: conversion webhook for ${GROUP}/v2, Kind=Tunnel failed: cannot convert: the conversion service is being upgraded` });
    expect((await api(cp.url, 'GET', path('v1', 'tunnels', 'new'))).status).toBe(404);
    expect((await api(cp.url, 'GET', path('v1', 'tunnels', 'db'))).status).toBe(200);

    mode = 'rename';
    expect((await api(cp.url, 'GET', path('v2', 'tunnels', 'db'))).body.message).toBe(`conversion webhook for ${GROUP}/v1, Kind=Tunnel returned invalid object: must have the same name: db != db-x`);
    mode = 'convert';
  });

  it('calls a webhook behind a Service (through its EndpointSlice) with a v1beta1 review, and names a missing Service', async () => {
    mode = 'convert';
    await api(cp.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'webhooks' } });
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/webhooks/services', { metadata: { name: 'converter' }, spec: { ports: [{ port: 443, targetPort: hook.port }] } })).status).toBe(201);
    // Written to storage as an EndpointSlice controller would: the API refuses loopback endpoints.
    await cp.storage.create(storageKey({ group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true }, 'webhooks', 'converter-1'), {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'converter-1', namespace: 'webhooks', labels: { 'kubernetes.io/service-name': 'converter' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
      ports: [{ port: hook.port }],
    });
    expect((await api(cp.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('bridges', 'Bridge', { service: { namespace: 'webhooks', name: 'converter', path: '/convert' } }, ['v1beta1']))).status).toBe(201);
    await established(`bridges.${GROUP}`);
    reviews.length = 0;
    const created = await api(cp.url, 'POST', path('v2', 'bridges'), { apiVersion: `${GROUP}/v2`, kind: 'Bridge', metadata: { name: 'b' }, spec: { host: 'b', port: '1' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(reviews[0]!.apiVersion).toBe('apiextensions.k8s.io/v1beta1');
    expect((await api(cp.url, 'GET', path('v1', 'bridges', 'b'))).body.spec).toEqual({ hostPort: 'b:1' });

    await api(cp.url, 'DELETE', '/api/v1/namespaces/webhooks/services/converter');
    const read = await api(cp.url, 'GET', path('v2', 'bridges', 'b'));
    expect(read.body.message).toBe(`conversion webhook for ${GROUP}/v1, Kind=Bridge failed: Post "https://converter.webhooks.svc:443/convert?timeout=30s": service "converter" not found`);
  });

  it.skipIf(!minor)('kubectl reads the preferred version v2 through the webhook and prints its error', async () => {
    mode = 'convert';
    const { ok, run } = kubectlRunner(minor!, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }));
    const table = kubectlTable(await ok(['get', 'tunnels']));
    expect(table.header).toEqual(['NAME', 'PORT']);
    expect(table.row('db')?.slice(0, 2)).toEqual(['db', '6543']);
    expect(await ok(['get', `tunnels.v1.${GROUP}`, 'db', '-o', 'jsonpath={.spec.hostPort}'])).toBe('db:6543');
    mode = 'fail';
    const failed = await run(['get', 'tunnel', 'db']);
    mode = 'convert';
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(`Error from server: conversion webhook for ${GROUP}/v1, Kind=Tunnel failed: cannot convert: the conversion service is being upgraded\n`);
  });
});
