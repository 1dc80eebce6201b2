/**
 * ValidatingAdmissionPolicy with a custom resource as its paramKind (the kubernetes.io
 * "Parameter resources" example: a ReplicaLimit CRD), through the assembled server with CRD
 * serving: the param kind is resolved from the live registry once the CRD is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../pkg/testing/wait.ts';
import type { ApiServer } from '../../server.ts';
import { assembleTestApiServer } from '../../testing/tls-test-server.ts';

const AR = '/apis/admissionregistration.k8s.io/v1';
let server: ApiServer;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await server.app.inject({ method: method as 'GET', url, payload: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'replicalimits.rules.example.com' },
  spec: {
    group: 'rules.example.com',
    scope: 'Namespaced',
    names: { plural: 'replicalimits', singular: 'replicalimit', kind: 'ReplicaLimit' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { maxReplicas: { type: 'integer' } } } } }],
  },
};

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
});

beforeAll(async () => {
  server = await assembleTestApiServer();
  expect((await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD)).status).toBe(201);
  await waitFor('ReplicaLimit served', async () => (await call('GET', '/apis/rules.example.com/v1/namespaces/default/replicalimits')).status === 200, { timeoutMs: 10_000 });
}, 30_000);

afterAll(async () => {
  await server?.close();
});

describe('a custom resource as paramKind', () => {
  it('limits replicas with the ReplicaLimit the binding names', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'replicalimit-policy.example.com' },
      spec: {
        failurePolicy: 'Fail',
        paramKind: { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' },
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= params.maxReplicas', reason: 'Invalid' }],
      },
    };
    expect((await call('POST', `${AR}/validatingadmissionpolicies`, policy)).status).toBe(201);
    const binding = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'replicalimit-binding-test.example.com' },
      spec: { policyName: 'replicalimit-policy.example.com', validationActions: ['Deny'], paramRef: { name: 'replica-limit-test.example.com', namespace: 'default', parameterNotFoundAction: 'Deny' } },
    };
    expect((await call('POST', `${AR}/validatingadmissionpolicybindings`, binding)).status).toBe(201);
    const limit = { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit', metadata: { name: 'replica-limit-test.example.com' }, maxReplicas: 3 };
    expect((await call('POST', '/apis/rules.example.com/v1/namespaces/default/replicalimits', limit)).status).toBe(201);
    expect((await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('three', 3))).status).toBe(201);
    const denied = await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('four', 4));
    expect(denied.body).toMatchObject({ code: 422, reason: 'Invalid', message: `deployments.apps "four" is forbidden: ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'replicalimit-binding-test.example.com' denied request: failed expression: object.spec.replicas <= params.maxReplicas` });
  });

  it('reports an unknown paramKind as a policy configuration error', async () => {
    const policy = {
      metadata: { name: 'unknown-kind.example.com' },
      spec: {
        paramKind: { apiVersion: 'nothing.example.com/v1', kind: 'Missing' },
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations: [{ expression: 'true' }],
      },
    };
    expect((await call('POST', `${AR}/validatingadmissionpolicies`, policy)).status).toBe(201);
    expect((await call('POST', `${AR}/validatingadmissionpolicybindings`, { metadata: { name: 'unknown-kind' }, spec: { policyName: 'unknown-kind.example.com', validationActions: ['Deny'], paramRef: { name: 'x', parameterNotFoundAction: 'Allow' } } })).status).toBe(201);
    const denied = await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'c' } });
    expect(denied.body.message).toBe(`configmaps "c" is forbidden: ValidatingAdmissionPolicy 'unknown-kind.example.com' denied request: failed to configure policy: failed to find resource referenced by paramKind: 'nothing.example.com/v1, Kind=Missing'`);
  });
});
