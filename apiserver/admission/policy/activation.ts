/**
 * The CEL variables a policy sees for one request (upstream plugin/cel CreateAdmissionRequest and
 * CreateNamespaceObject): `object` / `oldObject` (null when absent), `request` (the
 * AdmissionRequest without its objects, as a webhook would receive it), `namespaceObject` (the
 * request's namespace with only identifying metadata, spec and status; null for cluster-scoped
 * requests and for namespaces themselves) and `params`. Pure.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../../pkg/api/resource.ts';
import type { AdmissionAttributes } from '../types.ts';
import { admissionReviewRequest } from '../webhook/review.ts';
import type { PolicyActivation } from './evaluate.ts';

const NAMESPACE_METADATA_FIELDS = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations'] as const;

/**
 * The `request` variable (AdmissionRequest fields, no object/oldObject). `requestInfo` is the
 * resource as the client asked for it when `attrs` were converted to a policy's matched version:
 * `kind`/`resource` are the matched ones, `requestKind`/`requestResource` the client's.
 */
export function requestVariable(attrs: AdmissionAttributes, uid: string, requestInfo: ResourceInfo = attrs.info): Record<string, unknown> {
  const request = { ...(admissionReviewRequest(attrs, uid).request as Record<string, unknown>) };
  delete request.object;
  delete request.oldObject;
  request.requestKind = { group: requestInfo.group, version: requestInfo.version, kind: requestInfo.kind };
  request.requestResource = { group: requestInfo.group, version: requestInfo.version, resource: requestInfo.plural };
  return request;
}

/** Upstream CreateNamespaceObject. */
export function namespaceVariable(namespace: KubeObject | undefined): Record<string, unknown> | null {
  if (!namespace) return null;
  const metadata: Record<string, unknown> = {};
  for (const field of NAMESPACE_METADATA_FIELDS) {
    const value = (namespace.metadata as Record<string, unknown>)[field];
    if (value !== undefined) metadata[field] = value;
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata, spec: namespace.spec ?? {}, status: namespace.status ?? {} };
}

/** The activation without params (set per param by the caller). */
export function baseActivation(attrs: AdmissionAttributes, uid: string, namespace: KubeObject | undefined, requestInfo: ResourceInfo = attrs.info): PolicyActivation {
  return {
    object: attrs.object ?? null,
    oldObject: attrs.oldObject ?? null,
    request: requestVariable(attrs, uid, requestInfo),
    namespaceObject: namespaceVariable(namespace),
    params: null,
  };
}
