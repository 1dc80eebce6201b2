/**
 * CustomResourceDefinition deletion (upstream apiextensions `REST.Delete`): the first DELETE does
 * not remove the CRD but marks it — deletionTimestamp, the `customresourcecleanup.apiextensions.k8s.io`
 * finalizer and `Terminating=True` (`InstanceDeletionPending`) — so that the API server's CRD
 * finalizer deletes every custom object first (their own finalizers included); later DELETEs
 * are ordinary ones. Pure.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import { nextStatus, type CrdCondition } from '../crd/status.ts';
import { decideDeletion, type DeleteOptions, type DeletionDecision } from './deletion.ts';
import { rfc3339 } from './time.ts';

/** The condition a CRD marked for deletion starts with. */
export const INSTANCE_DELETION_PENDING: CrdCondition = {
  type: 'Terminating',
  status: 'True',
  reason: 'InstanceDeletionPending',
  message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
};

export function isCrdKind(info: Pick<ResourceInfo, 'group' | 'kind'>): boolean {
  return info.group === 'apiextensions.k8s.io' && info.kind === 'CustomResourceDefinition';
}

/** Decides what a DELETE does to a stored CRD at `now`. */
export function decideCrdDeletion(info: Pick<ResourceInfo, 'group' | 'kind' | 'defaultPropagationPolicy'>, crd: KubeObject, options: DeleteOptions, now: Date): DeletionDecision {
  if (crd.metadata.deletionTimestamp) return decideDeletion(info, crd, options, now);
  const stamp = rfc3339(now);
  const finalizers = crd.metadata.finalizers ?? [];
  // A grace period of 0: once the finalizers are gone, the update that removes the last one deletes it.
  const metadata = { ...crd.metadata, deletionTimestamp: stamp, deletionGracePeriodSeconds: 0, finalizers: finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER) ? finalizers : [...finalizers, CUSTOM_RESOURCE_CLEANUP_FINALIZER] };
  const status = nextStatus(crd, [INSTANCE_DELETION_PENDING], stamp) ?? crd.status;
  return { action: 'mark', object: { ...crd, metadata, status } };
}
