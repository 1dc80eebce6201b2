/**
 * The NodeRestriction admission plugin (upstream `plugin/pkg/admission/noderestriction`), for
 * requests from kubelets: a node may modify only its own Node and its own Lease, create only
 * mirror pods bound to itself, delete and update the status of only pods bound to itself.
 * Requests from other users pass untouched.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden } from '../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/types.ts';
import { nodeNameOf } from '../../pkg/auth/user.ts';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

function specNodeName(obj: KubeObject | undefined): string | undefined {
  return (obj as { spec?: { nodeName?: string } } | undefined)?.spec?.nodeName;
}

function deny(attrs: AdmissionAttributes, why: string): never {
  throw forbidden({ group: attrs.info.group, resource: attrs.info.plural }, attrs.name, why);
}

function admitPod(node: string, attrs: AdmissionAttributes): void {
  if (attrs.subresource === 'status') {
    if (specNodeName(attrs.oldObject) !== node) deny(attrs, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
    return;
  }
  if (attrs.subresource) return;
  switch (attrs.operation) {
    case 'CREATE': {
      const pod = attrs.object;
      if (!pod?.metadata.annotations || !(MIRROR_ANNOTATION in pod.metadata.annotations)) deny(attrs, `pod does not have "${MIRROR_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
      if (specNodeName(pod) !== node) deny(attrs, `node "${node}" can only create pods with spec.nodeName set to itself`);
      const owners = pod.metadata.ownerReferences ?? [];
      if (owners.length > 1) deny(attrs, `node "${node}" can only create pods with a single owner reference set to itself`);
      if (owners.length === 1 && (owners[0].kind !== 'Node' || owners[0].apiVersion !== 'v1' || owners[0].name !== node)) deny(attrs, `node "${node}" can only create pods with an owner reference set to itself`);
      return;
    }
    case 'DELETE':
      if (specNodeName(attrs.oldObject) !== node) deny(attrs, `node "${node}" can only delete pods with spec.nodeName set to itself`);
      return;
    default:
      deny(attrs, `unexpected operation "${attrs.operation}", node "${node}" can only create and delete mirror pods`);
  }
}

/** The decision for one request (throws a 403 ApiError to reject). Pure. */
export function admitNodeRestriction(attrs: AdmissionAttributes): void {
  if (!attrs.user) return;
  const node = nodeNameOf(attrs.user);
  if (node === undefined) return;
  const gr = `${attrs.info.plural}.${attrs.info.group}`;
  if (gr === 'nodes.') {
    const requested = attrs.name || attrs.object?.metadata.name || '';
    if (requested !== node) deny(attrs, `node "${node}" is not allowed to modify node "${requested}"`);
  } else if (gr === 'pods.') {
    admitPod(node, attrs);
  } else if (gr === 'leases.coordination.k8s.io' && attrs.namespace === NODE_LEASE_NAMESPACE && attrs.operation !== 'DELETE') {
    const name = attrs.name || attrs.object?.metadata.name;
    if (name !== node) deny(attrs, 'can only access node lease with the same name as the requesting node');
  }
}

/** NodeRestriction as an admission plugin (validating, so it sees the final object). */
export function nodeRestrictionPlugin(): AdmissionPlugin {
  return { name: 'NodeRestriction', validate: async (attrs) => admitNodeRestriction(attrs) };
}
