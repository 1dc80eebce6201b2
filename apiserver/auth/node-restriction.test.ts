import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { testContext, testInfo } from '../admission/admission-test-kit.ts';
import type { AdmissionAttributes } from '../admission/types.ts';
import { admitNodeTokenRequest } from './node-restriction-token.ts';
import { nodeRestrictionPlugin } from './node-restriction.ts';

const SERVICE_ACCOUNTS = testInfo('', 'ServiceAccount', 'serviceaccounts', true);
const nodeA = { username: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] };
const pod = (name: string, uid: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid }, spec: { nodeName, containers: [] } }) as unknown as KubeObject;
const tokenRequest = (boundObjectRef?: Record<string, string>) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: [], expirationSeconds: 3607, boundObjectRef } }) as unknown as KubeObject;
const podRef = (name: string, uid: string) => ({ kind: 'Pod', apiVersion: 'v1', name, uid });

describe('admitNodeTokenRequest', () => {
  it.each([
    ['bound to its pod', tokenRequest(podRef('web', 'u1')), pod('web', 'u1', 'a'), { allow: true }],
    ['not bound', tokenRequest(), undefined, { allow: false, forbidden: 'node requested token not bound to a pod' }],
    ['bound to a Secret', tokenRequest({ kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'u' }), undefined, { allow: false, forbidden: 'node requested token not bound to a pod' }],
    ['bound to a pod of another apiVersion', tokenRequest({ ...podRef('web', 'u1'), apiVersion: 'v2' }), undefined, { allow: false, forbidden: 'node requested token not bound to a pod' }],
    ['bound without a name', tokenRequest(podRef('', 'u1')), undefined, { allow: false, forbidden: 'node requested token not bound to a pod' }],
    ['bound without a uid', tokenRequest(podRef('web', '')), pod('web', 'u1', 'a'), { allow: false, forbidden: 'node requested token with a pod binding without a uid' }],
    ['bound to a missing pod', tokenRequest(podRef('gone', 'u1')), undefined, { allow: false, notFound: 'gone' }],
    ['bound to a recreated pod', tokenRequest(podRef('web', 'old')), pod('web', 'u1', 'a'), { allow: false, forbidden: 'the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated' }],
    ['bound to a pod on another node', tokenRequest(podRef('web', 'u1')), pod('web', 'u1', 'b'), { allow: false, forbidden: 'node requested token bound to a pod scheduled on a different node' }],
    ['bound to an unscheduled pod', tokenRequest(podRef('web', 'u1')), pod('web', 'u1'), { allow: false, forbidden: 'node requested token bound to a pod scheduled on a different node' }],
  ] as const)('%s', (_n, tr, stored, verdict) => {
    expect(admitNodeTokenRequest('a', tr, stored)).toEqual(verdict);
  });
});

describe('NodeRestriction on serviceaccounts/token', () => {
  const storage = new MemoryStorage();
  const ctx = testContext(storage);
  const plugin = nodeRestrictionPlugin(ctx);
  const attrs = (object: KubeObject, user = nodeA, subresource = 'token'): AdmissionAttributes => ({ operation: 'CREATE', info: SERVICE_ACCOUNTS, subresource, namespace: 'ns', name: 'default', object, user, dryRun: false, onFailure: () => {}, onSuccess: () => {} });

  it('reads the bound pod from storage and answers as upstream', async () => {
    await storage.create(ctx.keyFor({ group: '', plural: 'pods', namespaced: true }, 'ns', 'web'), pod('web', 'u1', 'a'));
    await storage.create(ctx.keyFor({ group: '', plural: 'pods', namespaced: true }, 'ns', 'elsewhere'), pod('elsewhere', 'u2', 'b'));
    await expect(plugin.validate!(attrs(tokenRequest(podRef('web', 'u1'))))).resolves.toBeUndefined();
    await expect(plugin.validate!(attrs(tokenRequest(podRef('elsewhere', 'u2'))))).rejects.toMatchObject({ code: 403, message: 'serviceaccounts "default" is forbidden: node requested token bound to a pod scheduled on a different node' });
    await expect(plugin.validate!(attrs(tokenRequest(podRef('gone', 'u3'))))).rejects.toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "gone" not found' });
    await expect(plugin.validate!(attrs(tokenRequest()))).rejects.toMatchObject({ code: 403, message: 'serviceaccounts "default" is forbidden: node requested token not bound to a pod' });
  });

  it('leaves other users and other serviceaccount writes alone', async () => {
    await expect(plugin.validate!(attrs(tokenRequest(), { username: 'alice', groups: [] }))).resolves.toBeUndefined();
    await expect(plugin.validate!(attrs({ metadata: { name: 'default' } } as KubeObject, nodeA, ''))).resolves.toBeUndefined();
  });
});

describe('NodeRestriction on CSINodes', () => {
  const CSI_NODES = testInfo('storage.k8s.io', 'CSINode', 'csinodes', false);
  const plugin = nodeRestrictionPlugin();
  const csiNode = (name: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name }, spec: { drivers: [] } }) as unknown as KubeObject;
  const attrs = (operation: 'CREATE' | 'UPDATE' | 'DELETE', name: string): AdmissionAttributes => ({ operation, info: CSI_NODES, subresource: '', namespace: '', name: operation === 'CREATE' ? '' : name, object: operation === 'DELETE' ? undefined : csiNode(name), user: nodeA, dryRun: false, onFailure: () => {}, onSuccess: () => {} });

  it('lets a node create, update and delete only its own CSINode', async () => {
    for (const op of ['CREATE', 'UPDATE', 'DELETE'] as const) {
      await expect(plugin.validate!(attrs(op, 'a'))).resolves.toBeUndefined();
      await expect(plugin.validate!(attrs(op, 'b'))).rejects.toMatchObject({ code: 403, message: expect.stringContaining('is forbidden: can only access CSINode with the same name as the requesting node') });
    }
  });
});

describe('NodeRestriction on pods/status', () => {
  const PODS = testInfo('', 'Pod', 'pods', true);
  const plugin = nodeRestrictionPlugin(testContext(new MemoryStorage()));
  const labelled = (labels: Record<string, string>, nodeName = 'a') => ({ ...pod('web', 'u1', nodeName), metadata: { name: 'web', namespace: 'ns', uid: 'u1', labels } }) as unknown as KubeObject;
  const update = (oldObject: KubeObject, object: KubeObject): AdmissionAttributes => ({ operation: 'UPDATE', info: PODS, subresource: 'status', namespace: 'ns', name: 'web', object, oldObject, user: nodeA, dryRun: false, onFailure: () => {}, onSuccess: () => {} });

  it('lets a node write the status of its own pods, not their labels nor other nodes\' pods', async () => {
    await expect(Promise.resolve(plugin.validate!(update(labelled({ app: 'web' }), labelled({ app: 'web' }))))).resolves.toBeUndefined();
    await expect(Promise.resolve().then(() => plugin.validate!(update(labelled({ app: 'web' }), labelled({ app: 'db' }))))).rejects.toMatchObject({ code: 403, message: 'pods "web" is forbidden: node "a" cannot update labels through pod status' });
    await expect(Promise.resolve().then(() => plugin.validate!(update(labelled({}, 'b'), labelled({}, 'b'))))).rejects.toMatchObject({ message: 'pods "web" is forbidden: node "a" can only update pod status for pods with spec.nodeName set to itself' });
  });
});
