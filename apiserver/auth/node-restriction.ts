/**
 * The NodeRestriction admission plugin (upstream `plugin/pkg/admission/noderestriction`), for
 * requests from kubelets: a node may modify only its own Node and its own Lease, create only
 * mirror pods bound to itself, delete and update the status of only pods bound to itself, and
 * create service-account tokens only bound to a pod scheduled on itself
 * (`node-restriction-token.ts`). Requests from other users pass untouched.
 */
import { jsonEqual } from '../../pkg/util/json-equal.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden, notFound } from '../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../admission/types.ts';
import { admitNodeTokenRequest, boundPodName } from './node-restriction-token.ts';
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
    // A pod status write takes labels, annotations and finalizers (ownerReferences stay: the status strategy keeps them);
    // as upstream, a node may not change the labels — annotations and finalizers it may.
    if (attrs.operation === 'UPDATE' && !jsonEqual(attrs.oldObject?.metadata.labels ?? {}, attrs.object?.metadata.labels ?? {})) deny(attrs, `node "${node}" cannot update labels through pod status`);
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

/** Reads a pod as stored (undefined when missing). */
export type PodGetter = (namespace: string, name: string) => Promise<KubeObject | undefined>;

const PODS = { group: '', plural: 'pods', namespaced: true } as const;

/** A node's TokenRequest: checked against the bound pod (throws a 403, or the pod's 404). */
async function admitServiceAccount(node: string, attrs: AdmissionAttributes, getPod: PodGetter): Promise<void> {
  if (attrs.operation !== 'CREATE' || attrs.subresource !== 'token') return;
  const name = boundPodName(attrs.object);
  const pod = name ? await getPod(attrs.namespace ?? '', name) : undefined;
  const verdict = admitNodeTokenRequest(node, attrs.object, pod);
  if (verdict.allow) return;
  if ('notFound' in verdict) throw notFound({ group: '', resource: 'pods' }, verdict.notFound);
  deny(attrs, verdict.forbidden);
}

/**
 * The decision for one request (throws a 403 ApiError to reject). Pure except for the bound
 * pod a node's TokenRequest is checked against (read through `getPod`; without one, such
 * requests are refused).
 */
export function admitNodeRestriction(attrs: AdmissionAttributes, getPod: PodGetter = async () => undefined): void | Promise<void> {
  if (!attrs.user) return;
  const node = nodeNameOf(attrs.user);
  if (node === undefined) return;
  const gr = `${attrs.info.plural}.${attrs.info.group}`;
  if (gr === 'nodes.') {
    const requested = attrs.name || attrs.object?.metadata.name || '';
    if (requested !== node) deny(attrs, `node "${node}" is not allowed to modify node "${requested}"`);
  } else if (gr === 'pods.') {
    admitPod(node, attrs);
  } else if (gr === 'serviceaccounts.') {
    return admitServiceAccount(node, attrs, getPod);
  } else if (gr === 'leases.coordination.k8s.io' && attrs.namespace === NODE_LEASE_NAMESPACE && attrs.operation !== 'DELETE') {
    const name = attrs.name || attrs.object?.metadata.name;
    if (name !== node) deny(attrs, 'can only access node lease with the same name as the requesting node');
  } else if (gr === 'csinodes.storage.k8s.io') {
    const name = attrs.name || attrs.object?.metadata.name;
    if (name !== node) deny(attrs, 'can only access CSINode with the same name as the requesting node');
  }
}

/** NodeRestriction as an admission plugin (validating, so it sees the final object); pods are read from storage. */
export function nodeRestrictionPlugin(ctx?: AdmissionContext): AdmissionPlugin {
  const getPod: PodGetter | undefined = ctx ? (namespace, name) => ctx.storage.get(ctx.keyFor(PODS, namespace, name)) : undefined;
  return { name: 'NodeRestriction', validate: async (attrs) => admitNodeRestriction(attrs, getPod) };
}
