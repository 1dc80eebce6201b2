import { describe, expect, it } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';
import type { NodeRelations } from './node-authorizer.ts';
import { requestAttributes } from './request-attributes.ts';
import { ANONYMOUS, withAuthenticatedGroup, type UserInfo } from '../../pkg/auth/user.ts';

const relations: NodeRelations = {
  podNodeName: async (_ns, name) => ({ 'on-a': 'a', 'on-b': 'b' })[name],
  referencedFromNode: async (node, kind, _ns, name) => node === 'a' && ((kind === 'secrets' && name === 'a-secret') || (kind === 'serviceaccounts' && name === 'a-sa') || (kind === 'persistentvolumeclaims' && name === 'a-claim')),
  volumeClaimRef: async (name) => ({ 'a-pv': { namespace: 'ns', name: 'a-claim' }, 'b-pv': { namespace: 'ns', name: 'b-claim' } })[name],
  volumeAttachmentNodeName: async (name) => ({ 'csi-a': 'a', 'csi-b': 'b' })[name],
};
const authorizer = createAuthorizer(['Node', 'RBAC'], relations);
const u = (username: string, ...groups: string[]): UserInfo => withAuthenticatedGroup({ username, groups });
const admin = u('kubernetes-admin', 'system:masters');
const nodeA = u('system:node:a', 'system:nodes');
const scheduler = u('system:kube-scheduler');
const kcm = u('system:kube-controller-manager');
const proxy = u('system:kube-proxy', 'system:node-proxier');
const alice = u('alice');
const bootstrapper = u('system:bootstrap:abcdef', 'system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token');

describe('built-in Node,RBAC authorizer', () => {
  const cases: Array<[UserInfo, string, string, boolean, string?]> = [
    [admin, 'DELETE', '/api/v1/namespaces/kube-system', true],
    [admin, 'GET', '/metrics', true],
    [ANONYMOUS, 'GET', '/healthz', true],
    [ANONYMOUS, 'GET', '/version', true],
    [ANONYMOUS, 'GET', '/api/v1/pods', false],
    [ANONYMOUS, 'GET', '/metrics', false],
    [alice, 'GET', '/apis', true],
    [alice, 'GET', '/api/v1/pods', false],
    [scheduler, 'POST', '/api/v1/namespaces/ns/pods/p/binding', true],
    [scheduler, 'POST', '/api/v1/namespaces/ns/bindings', true],
    [scheduler, 'PATCH', '/api/v1/namespaces/ns/pods/p/status', true],
    [scheduler, 'GET', '/api/v1/nodes?watch=true', true],
    [scheduler, 'POST', '/api/v1/namespaces/ns/events', true],
    [scheduler, 'DELETE', '/api/v1/namespaces/ns', false],
    [scheduler, 'POST', '/api/v1/namespaces/ns/pods', false],
    [scheduler, 'PUT', '/api/v1/persistentvolumes/pv1', true],
    [scheduler, 'PATCH', '/api/v1/namespaces/ns/persistentvolumeclaims/c', true],
    [scheduler, 'GET', '/apis/storage.k8s.io/v1/storageclasses?watch=true', true],
    [scheduler, 'DELETE', '/api/v1/persistentvolumes/pv1', false],
    [kcm, 'POST', '/api/v1/persistentvolumes', true],
    [kcm, 'PUT', '/api/v1/namespaces/ns/persistentvolumeclaims/c/status', true],
    [kcm, 'POST', '/api/v1/namespaces/ns/persistentvolumeclaims', true],
    [kcm, 'POST', '/api/v1/namespaces/kube-system/pods', true],
    [kcm, 'DELETE', '/api/v1/persistentvolumes/pv1', true],
    [kcm, 'POST', '/apis/apps/v1/namespaces/ns/replicasets', true],
    [kcm, 'DELETE', '/api/v1/namespaces/ns/pods/p', true],
    // the disruption controller: watch budgets, write their status
    [kcm, 'GET', '/apis/policy/v1/poddisruptionbudgets?watch=true', true],
    [kcm, 'PUT', '/apis/policy/v1/namespaces/ns/poddisruptionbudgets/b/status', true],
    [scheduler, 'GET', '/apis/policy/v1/poddisruptionbudgets', true],
    [proxy, 'GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=1', true],
    [proxy, 'GET', '/api/v1/services', true],
    [proxy, 'POST', '/api/v1/namespaces/ns/services', false],
    [nodeA, 'PATCH', '/api/v1/nodes/a/status', true],
    [nodeA, 'PATCH', '/api/v1/nodes/other/status', true], // NodeRestriction admission refuses it
    [nodeA, 'GET', '/api/v1/nodes/a', true],
    [nodeA, 'GET', '/api/v1/nodes/b', false, "node 'a' cannot read 'b', only its own Node object"],
    [nodeA, 'GET', '/api/v1/nodes', false, "node 'a' cannot read all nodes, only its own Node object"],
    [nodeA, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Da&watch=true', true],
    [nodeA, 'GET', '/api/v1/pods', false, 'can only list/watch pods with spec.nodeName field selector'],
    [nodeA, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Db', false],
    [nodeA, 'GET', '/api/v1/namespaces/ns/pods/on-a', true],
    [nodeA, 'GET', '/api/v1/namespaces/ns/pods/on-b', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'PATCH', '/api/v1/namespaces/ns/pods/on-b/status', true],
    [nodeA, 'POST', '/api/v1/namespaces/ns/pods', true],
    [nodeA, 'GET', '/api/v1/namespaces/ns/secrets/a-secret', true],
    [nodeA, 'GET', '/api/v1/namespaces/ns/secrets/other', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'GET', '/api/v1/namespaces/ns/secrets', false, 'No Object name found'],
    [nodeA, 'DELETE', '/api/v1/namespaces/ns/secrets/a-secret', false, 'can only read resources of this type'],
    [nodeA, 'GET', '/api/v1/namespaces/ns/persistentvolumeclaims/a-claim', true],
    [nodeA, 'GET', '/api/v1/namespaces/ns/persistentvolumeclaims/b-claim', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'GET', '/api/v1/persistentvolumes/a-pv', true],
    [nodeA, 'GET', '/api/v1/persistentvolumes/b-pv', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'GET', '/api/v1/persistentvolumes', false, 'can only get individual resources of this type'],
    [nodeA, 'DELETE', '/api/v1/persistentvolumes/a-pv', false, 'can only get individual resources of this type'],
    // TokenRequests: only for an account a pod on the node runs as (NodeRestriction then checks the pod binding).
    [nodeA, 'POST', '/api/v1/namespaces/ns/serviceaccounts/a-sa/token', true],
    [nodeA, 'POST', '/api/v1/namespaces/ns/serviceaccounts/other/token', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'GET', '/api/v1/namespaces/ns/serviceaccounts/a-sa', false, 'can only create tokens for individual service accounts'],
    [nodeA, 'POST', '/api/v1/namespaces/ns/serviceaccounts', false, 'can only create tokens for individual service accounts'],
    [nodeA, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/a', true],
    [nodeA, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/b', false, 'can only access node lease with the same name as the requesting node'],
    [nodeA, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', true],
    [nodeA, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/a', false, 'can only access leases in the "kube-node-lease" system namespace'],
    // CSINode: the node's own (its name checked by NodeRestriction on create); CSIDrivers readable by all nodes.
    [nodeA, 'POST', '/apis/storage.k8s.io/v1/csinodes', true],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/csinodes/a', true],
    [nodeA, 'PATCH', '/apis/storage.k8s.io/v1/csinodes/b', false, 'can only access CSINode with the same name as the requesting node'],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/csinodes', false, 'can only get, create, update, patch, or delete a CSINode'],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/csidrivers?watch=true', true],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/volumeattachments/csi-a', true],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/volumeattachments/csi-b', false, "no relationship found between node 'a' and this object"],
    [nodeA, 'GET', '/apis/storage.k8s.io/v1/volumeattachments', false, 'can only get individual resources of this type'],
    [nodeA, 'POST', '/apis/storage.k8s.io/v1/csidrivers', false],
    [nodeA, 'POST', '/api/v1/namespaces/ns/events', true],
    [nodeA, 'GET', '/api/v1/services?watch=true', true],
    [nodeA, 'DELETE', '/api/v1/namespaces/ns', false],
    [nodeA, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', true],
    [nodeA, 'GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=1', true],
    [nodeA, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/c/approval', false],
    [bootstrapper, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', true],
    [bootstrapper, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/c', true],
    [bootstrapper, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests?watch=true', true],
    [bootstrapper, 'DELETE', '/apis/certificates.k8s.io/v1/certificatesigningrequests/c', false],
    [bootstrapper, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/c/approval', false],
    [bootstrapper, 'GET', '/api/v1/namespaces/kube-system/secrets', false],
    [ANONYMOUS, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', true],
    [ANONYMOUS, 'GET', '/api/v1/namespaces/kube-public/configmaps/other', false],
    [ANONYMOUS, 'GET', '/api/v1/namespaces/kube-public/configmaps', false],
    [ANONYMOUS, 'GET', '/api/v1/namespaces/default/configmaps/cluster-info', false],
    [ANONYMOUS, 'PUT', '/api/v1/namespaces/kube-public/configmaps/cluster-info', false],
    [alice, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', false],
  ];
  it.each(cases)('%j %s %s → %s', async (user, method, url, allowed, reason) => {
    const decision = await authorizer.authorize(requestAttributes(user, method, url));
    expect(decision.decision).toBe(allowed ? 'allow' : 'deny');
    if (reason !== undefined) expect(decision.reason).toBe(reason);
  });

  it('AlwaysAllow allows anyone', async () => {
    const d = await createAuthorizer(['AlwaysAllow'], relations).authorize(requestAttributes(ANONYMOUS, 'DELETE', '/api/v1/namespaces/x'));
    expect(d.decision).toBe('allow');
  });
});

describe('forbiddenError', () => {
  it.each([
    [scheduler, 'DELETE', '/api/v1/namespaces/foo', '', 'namespaces "foo" is forbidden: User "system:kube-scheduler" cannot delete resource "namespaces" in API group "" in the namespace "foo"'],
    [nodeA, 'PATCH', '/api/v1/nodes/other/status', '', 'nodes "other" is forbidden: User "system:node:a" cannot patch resource "nodes/status" in API group "" at the cluster scope'],
    [alice, 'GET', '/apis/apps/v1/deployments', '', 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope'],
    [nodeA, 'GET', '/api/v1/nodes', "node 'a' cannot read all nodes, only its own Node object", 'nodes is forbidden: User "system:node:a" cannot list resource "nodes" in API group "" at the cluster scope: node \'a\' cannot read all nodes, only its own Node object'],
    [alice, 'GET', '/metrics', '', 'forbidden: User "alice" cannot get path "/metrics"'],
  ])('%j %s %s', (user, method, url, reason, message) => {
    const err = forbiddenError(requestAttributes(user, method, url), reason);
    expect(err.code).toBe(403);
    expect(err.toStatus()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message });
  });
});
