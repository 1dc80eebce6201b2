/**
 * Webhook admission end to end: the test control plane calls a local HTTPS webhook server.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { storageKey } from '../../handlers/objects.ts';
import type { AuditEvent } from '../../audit/event.ts';
import { createLineBackend } from '../../audit/log-backend.ts';
import { parseAuditPolicy } from '../../audit/policy.ts';
import { api, b64Patch, makeSelfSignedCert, startWebhookServer, type TestWebhookServer } from './webhook-test-server.ts';

const MWC = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cp: TestControlPlane;
const auditLines: string[] = [];
const auditBackend = createLineBackend({ write: async (b) => void auditLines.push(...b.toString().split('\n').filter(Boolean)), close: async () => {} });
/** The ResponseComplete event of the configmap create named `name`. */
async function auditEventOf(name: string): Promise<AuditEvent | undefined> {
  await sleep(20);
  await auditBackend.flush();
  return auditLines.map((l) => JSON.parse(l) as AuditEvent).find((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.name === name);
}
let hook: TestWebhookServer;
const cert = makeSelfSignedCert(['injector.webhooks.svc']);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
const ns = (name: string, labels: Record<string, string> = {}) => api(cp.url, 'POST', '/api/v1/namespaces', { metadata: { name, labels } });
const configMap = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: 'v' } });

function webhook(name: string, clientConfig: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  return {
    name,
    clientConfig: { caBundle: cert.caBundle, ...clientConfig },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...fields,
  };
}

beforeAll(async () => {
  cp = await startTestControlPlane({ audit: { policy: parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', resources: [{ group: '', resources: ['configmaps'] }] }] }), backend: auditBackend } });
  hook = await startWebhookServer(cert, async (path, req) => {
    switch (path) {
      case '/inject':
        if (req.kind.kind !== 'Pod') return { allowed: true };
        return { allowed: true, patchType: 'JSONPatch', patch: b64Patch([{ op: 'add', path: '/spec/containers/-', value: { name: 'istio-proxy', image: 'istio/proxyv2' } }]) };
      case '/deny':
        if (!req.name.startsWith('forbidden-')) return { allowed: true };
        return { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'configmaps named "forbidden-*" are not allowed' } };
      case '/slow':
        await sleep(2500);
        return { allowed: true, patchType: 'JSONPatch', patch: b64Patch([{ op: 'add', path: '/metadata/labels/slow', value: 'answered' }]) };
      case '/badpatch':
        return { allowed: true, patchType: 'JSONPatch', patch: b64Patch('{"op":"add"}') };
      case '/unapplicable':
        return { allowed: true, patchType: 'JSONPatch', patch: b64Patch([{ op: 'replace', path: '/spec/nothing/here', value: 1 }]) };
      case '/annotate':
        return { allowed: true, auditAnnotations: { reviewed: 'yes', ignored: 1 } };
      case '/warn':
        return { allowed: true, warnings: ['configmaps here are deprecated; use the new-config API'] };
      case '/label':
        return { allowed: true, patchType: 'JSONPatch', patch: b64Patch([{ op: 'add', path: '/metadata/labels/seen', value: 'yes' }]) };
      default:
        return { allowed: true };
    }
  });
}, 30_000);

afterAll(async () => {
  await hook?.close();
  await cp?.stop();
});

describe('mutating webhook: sidecar injection by namespace label', () => {
  it('injects into pods of istio-injection=enabled namespaces only; a new configuration applies at once', async () => {
    await ns('mesh', { 'istio-injection': 'enabled' });
    await ns('plain');
    await ns('webhooks');
    // The injector runs behind a Service; its endpoint is the local server (no kube-proxy needed).
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/webhooks/services', { metadata: { name: 'injector' }, spec: { ports: [{ port: 443, targetPort: hook.port }] } })).status).toBe(201);
    const slice = {
      metadata: { name: 'injector-1', labels: { 'kubernetes.io/service-name': 'injector' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
      ports: [{ name: '', port: hook.port, protocol: 'TCP' }],
    };
    // API validation refuses loopback endpoint addresses, so the slice is written to storage as is.
    await cp.storage.create(storageKey({ group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true }, 'webhooks', 'injector-1'), { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...slice });

    // Before the configuration exists (this also fills the configuration cache).
    const before = await api(cp.url, 'POST', '/api/v1/namespaces/mesh/pods', pod('before'));
    expect(before.body.spec.containers).toHaveLength(1);

    const config = {
      metadata: { name: 'istio-sidecar-injector' },
      webhooks: [
        {
          ...webhook('sidecar-injector.istio.io', { service: { namespace: 'webhooks', name: 'injector', path: '/inject' } }),
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } },
        },
      ],
    };
    const created = await api(cp.url, 'POST', MWC, config);
    expect(created.status).toBe(201);
    expect(created.body.webhooks[0]).toMatchObject({ failurePolicy: 'Fail', matchPolicy: 'Equivalent', objectSelector: {}, timeoutSeconds: 10, reinvocationPolicy: 'Never', clientConfig: { service: { port: 443 } } });

    const injected = await api(cp.url, 'POST', '/api/v1/namespaces/mesh/pods', pod('app'));
    expect(injected.status).toBe(201);
    expect(injected.body.spec.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'istio-proxy']);
    // The patched object was decoded and defaulted as a Pod.
    expect(injected.body.spec.containers[1]).toMatchObject({ terminationMessagePolicy: 'File' });

    const plain = await api(cp.url, 'POST', '/api/v1/namespaces/plain/pods', pod('app'));
    expect(plain.body.spec.containers).toHaveLength(1);

    const deployment = await api(cp.url, 'POST', '/apis/apps/v1/namespaces/mesh/deployments', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    expect(deployment.status).toBe(201);
    expect(deployment.body.spec.template.spec.containers).toHaveLength(1);

    const seen = hook.received.filter((r) => r.path === '/inject').map((r) => r.request);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      name: 'app',
      namespace: 'mesh',
      operation: 'CREATE',
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    });
    expect(seen[0].uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0].object.spec.containers).toHaveLength(1);

    // Deleting the configuration also applies at once.
    expect((await api(cp.url, 'DELETE', `${MWC}/istio-sidecar-injector`)).status).toBe(200);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/mesh/pods', pod('after'))).body.spec.containers).toHaveLength(1);
  });
});

describe('validating webhook', () => {
  it('denies with the webhook message and its status code', async () => {
    await ns('guarded', { guard: 'on' });
    const config = { metadata: { name: 'deny-forbidden' }, webhooks: [webhook('deny.example.com', { url: hook.url('/deny') }, { namespaceSelector: { matchLabels: { guard: 'on' } } })] };
    expect((await api(cp.url, 'POST', VWC, config)).status).toBe(201);
    const denied = await api(cp.url, 'POST', '/api/v1/namespaces/guarded/configmaps', configMap('forbidden-one'));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'admission webhook "deny.example.com" denied the request: configmaps named "forbidden-*" are not allowed' });
    expect((await api(cp.url, 'GET', '/api/v1/namespaces/guarded/configmaps/forbidden-one')).status).toBe(404);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/guarded/configmaps', configMap('fine'))).status).toBe(201);
    // Other namespaces are not selected.
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/default/configmaps', configMap('forbidden-two'))).status).toBe(201);
  });

  it('returns the webhook\'s warnings to the client as Warning headers', async () => {
    await ns('warned-hooks', { warned: 'on' });
    const config = { metadata: { name: 'warn' }, webhooks: [webhook('warn.example.com', { url: hook.url('/warn') }, { namespaceSelector: { matchLabels: { warned: 'on' } } })] };
    expect((await api(cp.url, 'POST', VWC, config)).status).toBe(201);
    const created = await api(cp.url, 'POST', '/api/v1/namespaces/warned-hooks/configmaps', configMap('old-style'));
    expect([created.status, created.warning]).toEqual([201, '299 - "configmaps here are deprecated; use the new-config API"']);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/default/configmaps', configMap('elsewhere'))).warning).toBeNull();
  });
});

describe('matchConditions', () => {
  const conditions = [
    { name: 'exclude-kube-system', expression: "request.namespace != 'kube-system'" },
    { name: 'only-labelled', expression: "has(object.metadata.labels) && 'check' in object.metadata.labels && object.metadata.labels['check'] == 'yes'" },
  ];

  it('calls the webhook only for requests every condition holds for', async () => {
    await ns('conditioned');
    const config = { metadata: { name: 'conditions' }, webhooks: [webhook('conditions.example.com', { url: hook.url('/deny') }, { matchConditions: conditions })] };
    expect((await api(cp.url, 'POST', VWC, config)).status).toBe(201);
    const denied = await api(cp.url, 'POST', '/api/v1/namespaces/conditioned/configmaps', configMap('forbidden-checked', { check: 'yes' }));
    expect([denied.status, denied.body.message]).toEqual([403, 'admission webhook "conditions.example.com" denied the request: configmaps named "forbidden-*" are not allowed']);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/conditioned/configmaps', configMap('forbidden-unchecked'))).status).toBe(201);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/kube-system/configmaps', configMap('forbidden-system', { check: 'yes' }))).status).toBe(201);
  });

  it('an evaluation error refuses the request under Fail (403) and skips the webhook under Ignore', async () => {
    await ns('erring');
    const failing = [{ name: 'needs-data', expression: "object.data['missing'] == 'x'" }];
    const scoped = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'erring' } } };
    const config = {
      metadata: { name: 'erring-conditions' },
      webhooks: [
        webhook('fail.conditions.example.com', { url: hook.url('/deny') }, { ...scoped, matchConditions: failing, objectSelector: { matchLabels: { policy: 'fail' } } }),
        webhook('ignore.conditions.example.com', { url: hook.url('/deny') }, { ...scoped, matchConditions: failing, failurePolicy: 'Ignore', objectSelector: { matchLabels: { policy: 'ignore' } } }),
      ],
    };
    expect((await api(cp.url, 'POST', VWC, config)).status).toBe(201);
    const refused = await api(cp.url, 'POST', '/api/v1/namespaces/erring/configmaps', configMap('forbidden-a', { policy: 'fail' }));
    expect([refused.status, refused.body.reason, refused.body.message]).toEqual([403, 'Forbidden', 'configmaps "forbidden-a" is forbidden: matchCondition "needs-data" evaluation failed: no such key: missing']);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/erring/configmaps', configMap('forbidden-b', { policy: 'ignore' }))).status).toBe(201);
  });

  it('refuses configurations whose conditions do not compile, with upstream paths', async () => {
    const bad = [
      { name: 'broken', expression: 'object.metadata.name ==' },
      { name: 'broken', expression: 'missing == 1' },
      { name: '', expression: '' },
    ];
    const res = await api(cp.url, 'POST', VWC, { metadata: { name: 'bad-conditions' }, webhooks: [webhook('bad.conditions.example.com', { url: hook.url('/deny') }, { matchConditions: bad })] });
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message.split('\n')[0]}`)).toEqual([
      'webhooks[0].matchConditions[0].expression: Invalid value: "object.metadata.name ==": compilation failed: ERROR: <input>:1:24: unexpected token: EOF',
      "webhooks[0].matchConditions[1].expression: Invalid value: \"missing == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'missing' (in container '')",
      'webhooks[0].matchConditions[1].name: Duplicate value: "broken"',
      'webhooks[0].matchConditions[2].expression: Required value',
      'webhooks[0].matchConditions[2].name: Required value',
    ]);
  });
});

describe('failurePolicy', () => {
  let downPort: number;
  beforeAll(async () => {
    downPort = await freePort();
    await ns('failures', { failures: 'yes' });
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['down', `https://127.0.0.1:${downPort}/down`, {}],
      ['slow', hook.url('/slow'), { timeoutSeconds: 1 }],
      ['badpatch', hook.url('/badpatch'), {}],
      ['unapplicable', hook.url('/unapplicable'), {}],
    ];
    const webhooks = cases.flatMap(([name, url, fields]) =>
      (['Fail', 'Ignore'] as const).map((policy) =>
        webhook(`${name}-${policy.toLowerCase()}.example.com`, { url }, { ...fields, failurePolicy: policy, namespaceSelector: { matchLabels: { failures: 'yes' } }, objectSelector: { matchLabels: { case: `${name}-${policy.toLowerCase()}` } } }),
      ),
    );
    const created = await api(cp.url, 'POST', MWC, { metadata: { name: 'failures' }, webhooks });
    expect(created.status).toBe(201);
  });

  const create = (name: string) => api(cp.url, 'POST', '/api/v1/namespaces/failures/configmaps', configMap(name, { case: name }));
  const exists = async (name: string) => (await api(cp.url, 'GET', `/api/v1/namespaces/failures/configmaps/${name}`)).status === 200;

  it.each<[string, (port: number) => string]>([
    ['down-fail', (p) => `Internal error occurred: failed calling webhook "down-fail.example.com": failed to call webhook: Post "https://127.0.0.1:${p}/down?timeout=10s": dial tcp 127.0.0.1:${p}: connect: connection refused`],
    ['slow-fail', () => `Internal error occurred: failed calling webhook "slow-fail.example.com": failed to call webhook: Post "${hook.url('/slow')}?timeout=1s": context deadline exceeded`],
    ['badpatch-fail', () => 'Internal error occurred: failed calling webhook "badpatch-fail.example.com": received undecodable patch in webhook response: json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    // A patch that decodes but does not apply is an internal error whatever the policy (as upstream).
    ['unapplicable-ignore', () => 'Internal error occurred: replace operation does not apply: doc is missing path: /spec/nothing/here: missing value'],
  ])('Fail: %s is rejected with a clear error and nothing is created', async (name, message) => {
    const res = await create(name);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ reason: 'InternalError', message: message(downPort) });
    expect(await exists(name)).toBe(false);
  }, 10_000);

  it.each(['down-ignore', 'slow-ignore', 'badpatch-ignore'])('Ignore: %s creates the object unchanged', async (name) => {
    const res = await create(name);
    expect(res.status).toBe(201);
    expect(res.body.metadata.labels).toEqual({ case: name });
    expect(await exists(name)).toBe(true);
  }, 10_000);
});

describe('dry run and reinvocation', () => {
  it('rejects a dry run reaching a webhook with side effects (Some), allows NoneOnDryRun', async () => {
    await ns('dry', { dry: 'yes' });
    // v1 validation refuses sideEffects Some on create, so store the configuration directly
    // (as one written through v1beta1 would be); it is seen once the cache entry expires.
    const key = storageKey({ group: 'admissionregistration.k8s.io', plural: 'mutatingwebhookconfigurations', namespaced: false }, undefined, 'dry');
    await cp.storage.create(key, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'dry' },
      webhooks: [
        { ...webhook('some.example.com', { url: hook.url('/label') }, { sideEffects: 'Some', failurePolicy: 'Fail', timeoutSeconds: 10 }), namespaceSelector: { matchLabels: { dry: 'yes' } }, objectSelector: { matchLabels: { side: 'some' } } },
        { ...webhook('none.example.com', { url: hook.url('/label') }, { sideEffects: 'NoneOnDryRun', failurePolicy: 'Fail', timeoutSeconds: 10 }), namespaceSelector: { matchLabels: { dry: 'yes' } }, objectSelector: { matchLabels: { side: 'none' } } },
      ],
    });
    await sleep(1100);
    const some = await api(cp.url, 'POST', '/api/v1/namespaces/dry/configmaps?dryRun=All', configMap('a', { side: 'some' }));
    expect(some.status).toBe(400);
    expect(some.body).toMatchObject({ reason: 'BadRequest', message: 'admission webhook "some.example.com" does not support dry run' });
    const none = await api(cp.url, 'POST', '/api/v1/namespaces/dry/configmaps?dryRun=All', configMap('b', { side: 'none' }));
    expect(none.status).toBe(201);
    expect(none.body.metadata.labels).toEqual({ side: 'none', seen: 'yes' });
    expect(hook.received.filter((r) => r.request.name === 'b').map((r) => r.request.dryRun)).toEqual([true]);
  });

  it('an IfNeeded webhook is called again when a later webhook changed the object', async () => {
    await ns('reinvoke', { reinvoke: 'yes' });
    const selector = { namespaceSelector: { matchLabels: { reinvoke: 'yes' } } };
    const config = {
      metadata: { name: 'reinvoke' },
      webhooks: [
        webhook('first.example.com', { url: hook.url('/noop') }, { ...selector, reinvocationPolicy: 'IfNeeded' }),
        webhook('second.example.com', { url: hook.url('/noop') }, { ...selector }),
        webhook('labeller.example.com', { url: hook.url('/label') }, { ...selector }),
      ],
    };
    expect((await api(cp.url, 'POST', MWC, config)).status).toBe(201);
    const before = hook.received.length;
    const res = await api(cp.url, 'POST', '/api/v1/namespaces/reinvoke/configmaps', configMap('r'));
    expect(res.body.metadata.labels).toEqual({ seen: 'yes' });
    const calls = hook.received.slice(before).map((r) => `${r.path}:${r.request.object.metadata.labels?.seen ?? '-'}`);
    // first, second, labeller; then first again, now seeing the label.
    expect(calls).toEqual(['/noop:-', '/noop:-', '/label:-', '/noop:yes']);
    // Each call is in the audit event: round 1 is the reinvocation (upstream's mutation annotations).
    const mutations = Object.entries((await auditEventOf('r'))?.annotations ?? {}).filter(([k]) => k.startsWith('mutation.webhook.admission.k8s.io/'));
    const ref = (webhook: string, mutated: boolean) => JSON.stringify({ configuration: 'reinvoke', webhook, mutated });
    // Keys: round_<round>_index_<position among every mutating webhook> (earlier tests' configurations come first).
    const byValue = mutations.map(([k, v]) => [k.replace(/index_\d+$/, 'index_N'), v]);
    expect(byValue).toEqual([
      ['mutation.webhook.admission.k8s.io/round_0_index_N', ref('first.example.com', false)],
      ['mutation.webhook.admission.k8s.io/round_0_index_N', ref('second.example.com', false)],
      ['mutation.webhook.admission.k8s.io/round_0_index_N', ref('labeller.example.com', true)],
      ['mutation.webhook.admission.k8s.io/round_1_index_N', ref('first.example.com', false)],
    ]);
    expect(mutations[0][0].replace('round_0', 'round_1')).toBe(mutations[3][0]);
  });

  it("records a webhook's auditAnnotations as <webhook name>/<key> in the audit event", async () => {
    await ns('annotated', { annotated: 'yes' });
    const config = { metadata: { name: 'annotate' }, webhooks: [webhook('reviewer.example.com', { url: hook.url('/annotate') }, { namespaceSelector: { matchLabels: { annotated: 'yes' } } })] };
    expect((await api(cp.url, 'POST', VWC, config)).status).toBe(201);
    expect((await api(cp.url, 'POST', '/api/v1/namespaces/annotated/configmaps', configMap('reviewed-cm'))).status).toBe(201);
    const event = await auditEventOf('reviewed-cm');
    expect(event?.annotations).toMatchObject({ 'reviewer.example.com/reviewed': 'yes' });
    expect(event?.annotations).not.toHaveProperty(['reviewer.example.com/ignored']);
  });
});
