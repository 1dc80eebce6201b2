/**
 * The status subresource split: writes to the main resource keep the stored status, writes to
 * `/status` keep everything but the status and the metadata their kind's upstream status strategy
 * lets through (`statusWritableMetadata`). System metadata (uid, creation and deletion state,
 * generation) is carried from the stored object as for any update (`object-meta.ts`).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

/** Main-resource update of a kind with a status subresource: status changes are dropped. */
export function keepStoredStatus(next: KubeObject, old: KubeObject): KubeObject {
  // Object.assign, not `{ ...next }`: a next without status would gain the key on Node 20's slow path for spread copies (≈ 1.5 µs).
  const out: KubeObject = Object.assign({}, next);
  if (old.status === undefined) delete out.status;
  else out.status = copyJson(old.status);
  return out;
}

/** The user-settable metadata fields a `/status` write may or may not take from the request. */
export type StatusMetadataField = 'labels' | 'annotations' | 'finalizers' | 'ownerReferences';

const ALL: ReadonlyArray<StatusMetadataField> = ['labels', 'annotations', 'finalizers', 'ownerReferences'];
const NONE: ReadonlyArray<StatusMetadataField> = [];

/**
 * Kinds whose 1.33 status strategy keeps more than the spec as stored, keyed `group/Kind`. Every
 * other built-in kind's strategy resets only the spec (and some status fields), so its `/status`
 * writes take all of `ALL`.
 */
const EXCEPTIONS: ReadonlyMap<string, ReadonlyArray<StatusMetadataField>> = new Map([
  // deploymentStatusStrategy also resets labels (the deployment controller records its revision
  // in annotations through /status); extensions/v1beta1 shares the apps/v1 strategy.
  ['apps/Deployment', ['annotations', 'finalizers', 'ownerReferences']],
  ['extensions/Deployment', ['annotations', 'finalizers', 'ownerReferences']],
  // podStatusStrategy keeps ownerReferences: old kubelets corrupted them, breaking garbage collection.
  ['/Pod', ['labels', 'annotations', 'finalizers']],
  // The CRD status strategy resets labels, annotations and ownerReferences by hand (written
  // before ResetObjectMetaForStatus existed) and leaves the finalizers to the request.
  ['apiextensions.k8s.io/CustomResourceDefinition', ['finalizers']],
  // apiServerStatusStrategy resets labels, annotations, finalizers and ownerReferences.
  ['apiregistration.k8s.io/APIService', NONE],
  // Newer kinds call metav1.ResetObjectMetaForStatus: status writes are not metadata writes.
  ['admissionregistration.k8s.io/ValidatingAdmissionPolicy', NONE],
  ['storage.k8s.io/VolumeAttachment', NONE],
  // The flowcontrol status strategies put back the whole stored ObjectMeta (managedFields aside).
  ['flowcontrol.apiserver.k8s.io/FlowSchema', NONE],
  ['flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration', NONE],
]);

/**
 * The metadata a `/status` write of this kind takes from the request, as its upstream 1.33 status
 * strategy's PrepareForUpdate leaves it: all four fields for the older built-in strategies that
 * reset only the spec, fewer for the kinds in `EXCEPTIONS`, none for custom resources (their
 * status strategy copies the whole stored object but the status). Pure.
 */
export function statusWritableMetadata(info: Pick<ResourceInfo, 'group' | 'kind' | 'customResource'>): ReadonlyArray<StatusMetadataField> {
  if (info.customResource) return NONE;
  return EXCEPTIONS.get(`${info.group}/${info.kind}`) ?? ALL;
}

/**
 * `object` with the `fields` of its metadata taken from `requested` (a field absent there is
 * removed). Neither argument is modified; taken values are copies.
 */
export function withRequestedMetadata(object: KubeObject, requested: KubeObject, fields: ReadonlyArray<StatusMetadataField>): KubeObject {
  if (fields.length === 0) return object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of fields) {
    const value = requested.metadata[field];
    if (value === undefined) delete metadata[field];
    else metadata[field] = copyJson(value);
  }
  return { ...object, metadata: metadata as KubeObject['metadata'] };
}

/**
 * `/status` update: the status, the `writable` metadata (absent in the request: removed), and
 * managed fields / rv precondition come from the request; everything else is as stored.
 */
export function onlyStatusChange(next: KubeObject, old: KubeObject, writable: ReadonlyArray<StatusMetadataField> = NONE): KubeObject {
  const out: KubeObject = copyJson(old);
  if (next.status === undefined) delete out.status;
  else out.status = next.status;
  out.metadata = { ...out.metadata, resourceVersion: next.metadata.resourceVersion, managedFields: next.metadata.managedFields ?? old.metadata.managedFields };
  return withRequestedMetadata(out, next, writable);
}

/** `namespaces/<n>/finalize` update: only the spec (its finalizers) comes from the request. */
export function onlySpecChange(next: KubeObject, old: KubeObject): KubeObject {
  const out: KubeObject = copyJson(old);
  if (next.spec === undefined) delete out.spec;
  else out.spec = next.spec;
  out.metadata = { ...out.metadata, resourceVersion: next.metadata.resourceVersion, managedFields: next.metadata.managedFields ?? old.metadata.managedFields };
  return out;
}
