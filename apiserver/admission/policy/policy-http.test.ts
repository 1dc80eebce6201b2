/**
 * ValidatingAdmissionPolicy end to end through the HTTP server (`app.inject()`): bootstrap, the
 * default admission plugins and the real built-in kinds — the kubernetes.io example (replicas ≤ 5
 * in namespaces labelled environment=test), Warn, params from a ConfigMap, failurePolicy, create-time
 * compile errors, status and generation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../pkg/storage/memory.ts';
import type { ApiServer } from '../../server.ts';
import { startBootstrappedTestServer } from '../bootstrapped-test-server.ts';
import type { AuditEvent } from '../../audit/event.ts';
import { createLineBackend } from '../../audit/log-backend.ts';
import { parseAuditPolicy } from '../../audit/policy.ts';

const AR = '/apis/admissionregistration.k8s.io/v1';
let server: ApiServer;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; warning?: string }> {
  const res = await server.app.inject({
    method: method as 'GET',
    url,
    payload: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  const warning = res.headers.warning;
  return { status: res.statusCode, body: JSON.parse(res.body), warning: Array.isArray(warning) ? warning.join('\n') : warning };
}

const policy = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] }, ...spec },
});
const binding = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec });
const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
});
const createDeployment = (ns: string, name: string, replicas: number) => call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name, replicas));

beforeEach(async () => {
  server = await startBootstrappedTestServer(new MemoryStorage());
  expect((await call('POST', '/api/v1/namespaces', { metadata: { name: 'test', labels: { environment: 'test' } } })).status).toBe(201);
  expect((await call('POST', '/api/v1/namespaces', { metadata: { name: 'prod', labels: { environment: 'prod' } } })).status).toBe(201);
});

afterEach(async () => {
  await server.close();
});

describe('ValidatingAdmissionPolicy admission', () => {
  it('denies the docs example with upstream text, only where the binding selects', async () => {
    const created = await call('POST', `${AR}/validatingadmissionpolicies`, policy('demo-policy.example.com', { failurePolicy: 'Fail', validations: [{ expression: 'object.spec.replicas <= 5' }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ metadata: { generation: 1 }, spec: { failurePolicy: 'Fail', matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} } }, status: {} });
    expect((await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('demo-binding-test.example.com', { policyName: 'demo-policy.example.com', validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } }))).status).toBe(201);

    const denied = await createDeployment('test', 'nginx', 6);
    const message = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5";
    expect(denied.status).toBe(422);
    expect(denied.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, message: `deployments.apps "nginx" is forbidden: ${message}`, details: { name: 'nginx', group: 'apps', kind: 'deployments', causes: [{ message }] } });
    expect((await createDeployment('test', 'small', 5)).status).toBe(201);
    expect((await createDeployment('prod', 'nginx', 6)).status).toBe(201);
    // UPDATE is matched too; DELETE is not.
    const update = await server.app.inject({ method: 'PATCH', url: '/apis/apps/v1/namespaces/test/deployments/small', payload: JSON.stringify({ spec: { replicas: 7 } }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(update.statusCode).toBe(422);
    expect((await call('DELETE', '/apis/apps/v1/namespaces/test/deployments/small')).status).toBe(200);
  });

  it('warns instead with validationActions [Warn], and uses message and reason', async () => {
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('limit', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'at most 5 replicas', reason: 'Forbidden' }] }));
    await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('limit-warn', { policyName: 'limit', validationActions: ['Warn'] }));
    const warned = await createDeployment('test', 'nginx', 6);
    expect(warned.status).toBe(201);
    expect(warned.warning).toBe(`299 - "Validation failed for ValidatingAdmissionPolicy 'limit' with binding 'limit-warn': at most 5 replicas"`);
    await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('limit-deny', { policyName: 'limit', validationActions: ['Deny'] }));
    const denied = await createDeployment('test', 'other', 6);
    expect(denied.body).toMatchObject({ code: 403, reason: 'Forbidden', message: `deployments.apps "other" is forbidden: ValidatingAdmissionPolicy 'limit' with binding 'limit-deny' denied request: at most 5 replicas` });
  });

  it('reads params from a ConfigMap, and applies parameterNotFoundAction and failurePolicy', async () => {
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('param-limit', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)', messageExpression: "'replicas must be at most ' + params.data.maxReplicas" }] }));
    await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('param-limit', { policyName: 'param-limit', validationActions: ['Deny'], paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } }));
    const missing = await createDeployment('test', 'a', 1);
    expect(missing.body.message).toBe("deployments.apps \"a\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-limit' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
    expect((await call('POST', '/api/v1/namespaces/test/configmaps', { metadata: { name: 'limits' }, data: { maxReplicas: '2' } })).status).toBe(201);
    expect((await createDeployment('test', 'b', 2)).status).toBe(201);
    expect((await createDeployment('test', 'c', 3)).body.message).toBe("deployments.apps \"c\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-limit' denied request: replicas must be at most 2");
    // prod has no ConfigMap: with failurePolicy Ignore the configuration error is ignored.
    const ignore = await server.app.inject({ method: 'PATCH', url: `${AR}/validatingadmissionpolicies/param-limit`, payload: JSON.stringify({ spec: { failurePolicy: 'Ignore' } }), headers: { 'content-type': 'application/merge-patch+json' } });
    expect(JSON.parse(ignore.body)).toMatchObject({ metadata: { generation: 2 }, spec: { failurePolicy: 'Ignore' } });
    expect((await createDeployment('prod', 'd', 9)).status).toBe(201);
  });

  it('rejects expressions that do not compile at create, with upstream messages', async () => {
    const bad = await call('POST', `${AR}/validatingadmissionpolicies`, policy('bad', { validations: [{ expression: 'object.spec.replicas <=' }, { expression: 'params.x == 1' }] }));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/^ValidatingAdmissionPolicy.admissionregistration.k8s.io "bad" is invalid: \[spec.validations\[0\].expression: Invalid value: "object.spec.replicas <=": compilation failed: ERROR: <input>:1:\d+: /);
    expect(bad.body.message).toContain(`spec.validations[1].expression: Invalid value: "params.x == 1": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')`);
    const binding422 = await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('b', { policyName: 'p', validationActions: ['Deny', 'Warn'] }));
    expect(binding422.body.message).toBe('ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "b" is invalid: spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)');
  });

  it('writes status through the status subresource only', async () => {
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('p', { validations: [{ expression: 'true' }] }));
    const current = await call('GET', `${AR}/validatingadmissionpolicies/p`);
    const status = await call('PUT', `${AR}/validatingadmissionpolicies/p/status`, { ...current.body, status: { observedGeneration: 1, typeChecking: {} } });
    expect(status.body).toMatchObject({ metadata: { generation: 1 }, status: { observedGeneration: 1, typeChecking: {} } });
    const main = await call('PUT', `${AR}/validatingadmissionpolicies/p`, { ...status.body, status: {}, spec: { ...status.body.spec, validations: [{ expression: '1 == 1' }] } });
    expect(main.body).toMatchObject({ metadata: { generation: 2 }, status: { observedGeneration: 1, typeChecking: {} } });
  });

  it('matchPolicy Equivalent matches another version of the resource and converts the object to it', async () => {
    const hpaRules = [{ apiGroups: ['autoscaling'], apiVersions: ['v2'], operations: ['CREATE'], resources: ['horizontalpodautoscalers'] }];
    const expression = "object.apiVersion == 'autoscaling/v2' && request.kind.version == 'v2' && request.requestKind.version == 'v1' && object.spec.metrics.size() == 1";
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('hpa-v2', { matchConstraints: { resourceRules: hpaRules }, validations: [{ expression }] }));
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('hpa-v2-exact', { matchConstraints: { matchPolicy: 'Exact', resourceRules: hpaRules }, validations: [{ expression: 'false' }] }));
    await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('hpa-v2', { policyName: 'hpa-v2', validationActions: ['Deny'] }));
    await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('hpa-v2-exact', { policyName: 'hpa-v2-exact', validationActions: ['Deny'] }));
    const hpa = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } };
    const res = await call('POST', '/apis/autoscaling/v1/namespaces/test/horizontalpodautoscalers', hpa);
    // v1's targetCPUUtilizationPercentage is one v2 metric: the expression saw the v2 object; the Exact policy (always false) did not match.
    expect(res.status).toBe(201);
    const v2 = await call('POST', '/apis/autoscaling/v2/namespaces/test/horizontalpodautoscalers', { ...hpa, apiVersion: 'autoscaling/v2', metadata: { name: 'direct' }, spec: { scaleTargetRef: hpa.spec.scaleTargetRef, maxReplicas: 3 } });
    expect(v2.body.message).toBe(`horizontalpodautoscalers.autoscaling "direct" is forbidden: ValidatingAdmissionPolicy 'hpa-v2' with binding 'hpa-v2' denied request: failed expression: ${expression}`);
  });

  it('never applies to policies and bindings themselves', async () => {
    await call('POST', `${AR}/validatingadmissionpolicies`, policy('all', { matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }] }, validations: [{ expression: 'false' }] }));
    expect((await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('all', { policyName: 'all', validationActions: ['Deny'] }))).status).toBe(201);
    expect((await call('DELETE', `${AR}/validatingadmissionpolicybindings/all`)).status).toBe(200);
    expect((await call('POST', '/api/v1/namespaces/test/configmaps', { metadata: { name: 'free' } })).status).toBe(201);
  });
});

describe('ValidatingAdmissionPolicy audit annotations', () => {
  it('records Audit-action failures as validation_failure and auditAnnotations as <policy>/<key>', async () => {
    await server.close();
    const lines: string[] = [];
    const backend = createLineBackend({ write: async (b) => void lines.push(...b.toString().split('\n').filter(Boolean)), close: async () => {} });
    const auditPolicy = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', resources: [{ group: 'apps', resources: ['deployments'] }] }] });
    server = await startBootstrappedTestServer(new MemoryStorage(), { audit: { policy: auditPolicy, backend } });
    expect((await call('POST', '/api/v1/namespaces', { metadata: { name: 'test' } })).status).toBe(201);
    const spec = { failurePolicy: 'Fail', validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many replicas' }], auditAnnotations: [{ key: 'replicas', valueExpression: "'replicas: ' + string(object.spec.replicas)" }] };
    expect((await call('POST', `${AR}/validatingadmissionpolicies`, policy('audited.example.com', spec))).status).toBe(201);
    expect((await call('POST', `${AR}/validatingadmissionpolicybindings`, binding('audited-binding', { policyName: 'audited.example.com', validationActions: ['Audit'] }))).status).toBe(201);
    expect((await createDeployment('test', 'big', 6)).status).toBe(201);
    await new Promise((r) => setImmediate(r));
    await backend.flush();
    const event = lines.map((l) => JSON.parse(l) as AuditEvent).find((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.name === 'big');
    expect(event?.annotations?.['audited.example.com/replicas']).toBe('replicas: 6');
    expect(JSON.parse(event?.annotations?.['validation.policy.admission.k8s.io/validation_failure'] ?? 'null')).toEqual([
      { message: 'too many replicas', policy: 'audited.example.com', binding: 'audited-binding', expressionIndex: 0, validationActions: ['Audit'] },
    ]);
  });
});
