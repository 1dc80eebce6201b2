import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { storageKey } from '../handlers/objects.ts';
import { createAuthorizer } from './authorizer.ts';
import { storageNodeRelations } from './node-relations.ts';
import { requestAttributes } from './request-attributes.ts';
import { withAuthenticatedGroup } from '../../pkg/auth/user.ts';

const PODS = { group: '', plural: 'pods', namespaced: true };
const PVS = { group: '', plural: 'persistentvolumes', namespaced: false };
const PVCS = { group: '', plural: 'persistentvolumeclaims', namespaced: true };
const VAS = { group: 'storage.k8s.io', plural: 'volumeattachments', namespaced: false };

describe('Node authorizer over stored pods, claims and volumes (pod → pvc → pv, volume attachments)', async () => {
  const storage = new MemoryStorage();
  const put = (info: typeof PODS, ns: string, obj: Record<string, unknown>) => storage.create(storageKey(info, ns, (obj.metadata as { name: string }).name), obj as KubeObject);
  await put(PODS, 'ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns' }, spec: { nodeName: 'a', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }] } });
  await put(PODS, 'ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'ns' }, spec: { nodeName: 'b', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } }] } });
  await put(PVCS, 'ns', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns' }, spec: { volumeName: 'pv-data' } });
  await put(PVS, '', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-data' }, spec: { claimRef: { namespace: 'ns', name: 'data' } } });
  await put(PVS, '', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-scratch' }, spec: { claimRef: { namespace: 'ns', name: 'web-scratch' } } });
  await put(PVS, '', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-db' }, spec: { claimRef: { namespace: 'ns', name: 'db-data' } } });
  await put(PVS, '', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-free' }, spec: {} });
  await put(VAS, '', { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'csi-a' }, spec: { attacher: 'd', nodeName: 'a', source: { persistentVolumeName: 'pv-data' } } });
  await put(VAS, '', { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'csi-b' }, spec: { attacher: 'd', nodeName: 'b', source: { persistentVolumeName: 'pv-db' } } });
  const authorizer = createAuthorizer(['Node', 'RBAC'], storageNodeRelations(storage, '/registry'));
  const nodeA = withAuthenticatedGroup({ username: 'system:node:a', groups: ['system:nodes'] });

  it.each([
    ['GET', '/api/v1/namespaces/ns/persistentvolumeclaims/data', true, undefined],
    ['GET', '/api/v1/namespaces/ns/persistentvolumeclaims/web-scratch', true, undefined],
    ['GET', '/api/v1/namespaces/ns/persistentvolumeclaims/db-data', false, "no relationship found between node 'a' and this object"],
    ['GET', '/api/v1/namespaces/ns/persistentvolumeclaims', false, 'can only get individual resources of this type'],
    ['GET', '/api/v1/persistentvolumes/pv-data', true, undefined],
    ['GET', '/api/v1/persistentvolumes/pv-scratch', true, undefined],
    ['GET', '/api/v1/persistentvolumes/pv-db', false, "no relationship found between node 'a' and this object"],
    ['GET', '/api/v1/persistentvolumes/pv-free', false, "no relationship found between node 'a' and this object"],
    ['GET', '/api/v1/persistentvolumes/missing', false, "no relationship found between node 'a' and this object"],
    ['GET', '/api/v1/persistentvolumes', false, 'can only get individual resources of this type'],
    ['GET', '/api/v1/persistentvolumes?watch=true', false, 'can only get individual resources of this type'],
    ['PUT', '/api/v1/persistentvolumes/pv-data', false, 'can only get individual resources of this type'],
    ['PUT', '/api/v1/persistentvolumes/pv-data/status', false, 'can only get individual resources of this type'],
    ['GET', '/apis/storage.k8s.io/v1/volumeattachments/csi-a', true, undefined],
    ['GET', '/apis/storage.k8s.io/v1/volumeattachments/csi-b', false, "no relationship found between node 'a' and this object"],
    ['GET', '/apis/storage.k8s.io/v1/volumeattachments/missing', false, "no relationship found between node 'a' and this object"],
  ])('node a: %s %s → %s', async (method, url, allowed, reason) => {
    const decision = await authorizer.authorize(requestAttributes(nodeA, method, url));
    expect(decision.decision).toBe(allowed ? 'allow' : 'deny');
    if (reason !== undefined) expect(decision.reason).toBe(reason);
  });
});
