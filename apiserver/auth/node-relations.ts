/**
 * {@link NodeRelations} read from storage on demand (instead of upstream's informer-fed graph):
 * a pod's node from its stored object; "referenced from node" by scanning the namespace's pods
 * bound to that node; a PV's claim from its stored `spec.claimRef`; a VolumeAttachment's node from its `spec.nodeName`.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { storageKey, storagePrefix } from '../handlers/objects.ts';
import type { NodeRelations, PodReferenceKind } from './node-authorizer.ts';
import { podReferences } from './pod-references.ts';

const PODS = { group: '', plural: 'pods', namespaced: true };
const PVS = { group: '', plural: 'persistentvolumes', namespaced: false };
const VOLUME_ATTACHMENTS = { group: 'storage.k8s.io', plural: 'volumeattachments', namespaced: false };

function nodeNameOfPod(pod: KubeObject | undefined): string | undefined {
  return (pod as { spec?: { nodeName?: string } } | undefined)?.spec?.nodeName;
}

/** Node relations over the pods in `storage` under `keyPrefix`. */
export function storageNodeRelations(storage: Storage, keyPrefix: string): NodeRelations {
  return {
    async podNodeName(namespace, name) {
      return nodeNameOfPod(await storage.get(storageKey(PODS, namespace, name, keyPrefix)));
    },
    async referencedFromNode(node, kind: PodReferenceKind, namespace, name) {
      const { items } = await storage.list(storagePrefix(PODS, namespace, keyPrefix));
      return items.some((pod) => nodeNameOfPod(pod) === node && podReferences(pod)[kind].has(name));
    },
    async volumeClaimRef(name) {
      const pv = (await storage.get(storageKey(PVS, '', name, keyPrefix))) as { spec?: { claimRef?: { namespace?: string; name?: string } } } | undefined;
      const ref = pv?.spec?.claimRef;
      return ref?.name ? { namespace: ref.namespace ?? '', name: ref.name } : undefined;
    },
    async volumeAttachmentNodeName(name) {
      const va = (await storage.get(storageKey(VOLUME_ATTACHMENTS, '', name, keyPrefix))) as { spec?: { nodeName?: string } } | undefined;
      return va?.spec?.nodeName;
    },
  };
}
