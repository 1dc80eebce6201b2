/**
 * The Node authorizer (upstream `plugin/pkg/auth/authorizer/node`, with AuthorizeNodeWithSelectors):
 * kubelets (`system:node:<name>` in `system:nodes`) may read only their own Node, list/watch pods
 * only with `spec.nodeName=<name>`, get pods bound to them and the secrets, configmaps and PVCs
 * those pods reference, create tokens (`serviceaccounts/token`) for the service accounts those
 * pods run as, use their own Lease in kube-node-lease and their own CSINode, get the VolumeAttachments attaching to them, and otherwise get the static
 * {@link NODE_RULES}. Which node may modify which object (its own Node, its pods' status,
 * mirror pods) and which pod a token is bound to is NodeRestriction admission's job, as upstream.
 */
import { ALLOW, noOpinion, type Decision } from './decision.ts';
import { NODE_RULES } from './policy.ts';
import type { RequestAttributes } from './request-attributes.ts';
import { rulesAllow } from './rules.ts';
import { nodeNameOf } from '../../pkg/auth/user.ts';

/** The kinds of objects a pod may reference that nodes read through the graph. */
export type PodReferenceKind = 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'serviceaccounts';

/** The slice of upstream's node graph the authorizer asks about (backed by storage). */
export interface NodeRelations {
  /** `spec.nodeName` of a pod, undefined when the pod does not exist. */
  podNodeName(namespace: string, name: string): Promise<string | undefined>;
  /** Whether some pod bound to `node` in `namespace` references the object. */
  referencedFromNode(node: string, kind: PodReferenceKind, namespace: string, name: string): Promise<boolean>;
  /** The claim a PersistentVolume's `spec.claimRef` names; undefined when the PV is missing or unclaimed. */
  volumeClaimRef(name: string): Promise<{ namespace: string; name: string } | undefined>;
  /** `spec.nodeName` of a VolumeAttachment, undefined when it does not exist. */
  volumeAttachmentNodeName(name: string): Promise<string | undefined>;
}

const NODE_LEASE_NAMESPACE = 'kube-node-lease';

function noRelationship(node: string): Decision {
  return noOpinion(`no relationship found between node '${node}' and this object`);
}

async function related(node: string, attrs: RequestAttributes, relations: NodeRelations, kind: PodReferenceKind | 'pods'): Promise<Decision> {
  if (!attrs.name) return noOpinion('No Object name found');
  const ok = kind === 'pods' ? (await relations.podNodeName(attrs.namespace, attrs.name)) === node : await relations.referencedFromNode(node, kind, attrs.namespace, attrs.name);
  return ok ? ALLOW : noRelationship(node);
}

function authorizeNode(node: string, attrs: RequestAttributes): Decision {
  if (attrs.subresource === '') {
    if (['create', 'update', 'patch'].includes(attrs.verb)) return ALLOW;
    if (['get', 'list', 'watch'].includes(attrs.verb)) {
      if (attrs.name === node) return ALLOW;
      if (attrs.name === '') return noOpinion(`node '${node}' cannot read all nodes, only its own Node object`);
      return noOpinion(`node '${node}' cannot read '${attrs.name}', only its own Node object`);
    }
  } else if (attrs.subresource === 'status' && (attrs.verb === 'update' || attrs.verb === 'patch')) {
    return ALLOW;
  }
  return noOpinion();
}

async function authorizePod(node: string, attrs: RequestAttributes, relations: NodeRelations): Promise<Decision> {
  switch (attrs.subresource) {
    case '':
      if (attrs.verb === 'get') return related(node, attrs, relations, 'pods');
      if (attrs.verb === 'list' || attrs.verb === 'watch') {
        if (attrs.fieldSelector.some((r) => r.field === 'spec.nodeName' && r.operator === '=' && r.value === node)) return ALLOW;
        if (attrs.name) return related(node, attrs, relations, 'pods');
        return noOpinion('can only list/watch pods with spec.nodeName field selector');
      }
      if (attrs.verb === 'create' || attrs.verb === 'delete') return ALLOW;
      break;
    case 'status':
      if (attrs.verb === 'update' || attrs.verb === 'patch') return ALLOW;
      break;
    case 'eviction':
      if (attrs.verb === 'create') return ALLOW;
      break;
  }
  return noOpinion();
}

/** Upstream authorizeGet for PVs: the PV → claimRef PVC → pod → node path. */
async function authorizeVolume(node: string, attrs: RequestAttributes, relations: NodeRelations): Promise<Decision> {
  if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
  if (attrs.subresource) return noOpinion('cannot get subresource');
  if (!attrs.name) return noOpinion('No Object name found');
  const claim = await relations.volumeClaimRef(attrs.name);
  const ok = claim !== undefined && (await relations.referencedFromNode(node, 'persistentvolumeclaims', claim.namespace, claim.name));
  return ok ? ALLOW : noRelationship(node);
}

/** Upstream authorizeGet for VolumeAttachments: only those attaching to the node. */
async function authorizeVolumeAttachment(node: string, attrs: RequestAttributes, relations: NodeRelations): Promise<Decision> {
  if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
  if (attrs.subresource) return noOpinion('cannot get subresource');
  if (!attrs.name) return noOpinion('No Object name found');
  return (await relations.volumeAttachmentNodeName(attrs.name)) === node ? ALLOW : noRelationship(node);
}

async function authorizeReadNamespaced(node: string, attrs: RequestAttributes, relations: NodeRelations, kind: PodReferenceKind): Promise<Decision> {
  if (!['get', 'list', 'watch'].includes(attrs.verb)) return noOpinion('can only read resources of this type');
  if (attrs.subresource) return noOpinion('cannot read subresource');
  if (!attrs.namespace) return noOpinion('can only read namespaced object of this type');
  return related(node, attrs, relations, kind);
}

function authorizeLease(node: string, attrs: RequestAttributes): Decision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
  if (attrs.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
  if (attrs.verb !== 'create' && attrs.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
  return ALLOW;
}

/** Upstream authorizeCSINode: get/create/update/patch/delete of the node's own CSINode (create is checked by NodeRestriction). */
function authorizeCSINode(node: string, attrs: RequestAttributes): Decision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
  if (attrs.subresource) return noOpinion('cannot authorize CSINode subresources');
  if (attrs.verb !== 'create' && attrs.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
  return ALLOW;
}

/** The Node authorizer's decision: no opinion for non-nodes. */
export async function authorizeAsNode(attrs: RequestAttributes, relations: NodeRelations): Promise<Decision> {
  const node = nodeNameOf(attrs.user);
  if (node === undefined) return noOpinion();
  if (attrs.resourceRequest) {
    const gr = `${attrs.resource}.${attrs.apiGroup}`;
    switch (gr) {
      case 'secrets.':
        return authorizeReadNamespaced(node, attrs, relations, 'secrets');
      case 'configmaps.':
        return authorizeReadNamespaced(node, attrs, relations, 'configmaps');
      case 'persistentvolumeclaims.':
        if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
        if (attrs.subresource) return noOpinion('cannot get subresource');
        return related(node, attrs, relations, 'persistentvolumeclaims');
      case 'persistentvolumes.':
        return authorizeVolume(node, attrs, relations);
      case 'serviceaccounts.':
        if (attrs.verb !== 'create' || !attrs.name) return noOpinion('can only create tokens for individual service accounts');
        if (attrs.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
        return related(node, attrs, relations, 'serviceaccounts');
      case 'leases.coordination.k8s.io':
        return authorizeLease(node, attrs);
      case 'nodes.':
        return authorizeNode(node, attrs);
      case 'volumeattachments.storage.k8s.io':
        return authorizeVolumeAttachment(node, attrs, relations);
      case 'csinodes.storage.k8s.io':
        return authorizeCSINode(node, attrs);
      case 'pods.':
        return authorizePod(node, attrs, relations);
    }
  }
  return rulesAllow(NODE_RULES, attrs) ? ALLOW : noOpinion();
}
