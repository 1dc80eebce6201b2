/**
 * Creating and deleting a DaemonSet's pods (upstream `syncNodes` with `RealPodControl`): the
 * expectations are set first, creations go in slow-start batches (a failed batch stops the rest),
 * at most {@link BURST_REPLICAS} of each per sync; events on the DaemonSet as upstream:
 * `SuccessfulCreate` "Created pod: x", `FailedCreate` "Error creating: …", `SuccessfulDelete`
 * "Deleted pod: x", `FailedDelete` "Error deleting: …".
 */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodTemplateSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { ApiError, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { EventRecorder } from '../../../pkg/runtime/index.ts';
import type { Expectations } from '../replicaset/expectations.ts';
import { slowStartBatches } from '../replicaset/pod-ranking.ts';
import { podForNode } from './daemon-pod.ts';

/** Upstream `BurstReplicas` of the DaemonSet controller. */
export const BURST_REPLICAS = 250;

/** Dependencies of {@link syncNodes}. */
export interface PodControl {
  client: Client;
  expectations: Expectations;
  recorder: EventRecorder;
}

/** One batch of work for {@link syncNodes}. */
export interface SyncNodesRequest {
  ds: DeepReadonly<DaemonSet>;
  /** The expectations key (`ns/name`). */
  key: string;
  deletePods: readonly DeepReadonly<Pod>[];
  createOnNodes: readonly string[];
  /** The pod template with labels and tolerations (from `createPodTemplate`). */
  template: PodTemplateSpec;
}

function namespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Creates and deletes; resolves to the errors met (empty = all done). */
export async function syncNodes(control: PodControl, request: SyncNodesRequest): Promise<unknown[]> {
  const { ds, key } = request;
  const involved = { ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' } as DeepReadonly<DaemonSet>;
  const creates = request.createOnNodes.slice(0, BURST_REPLICAS);
  const deletes = request.deletePods.slice(0, BURST_REPLICAS);
  control.expectations.expect(key, creates.length, deletes.length);
  const errors: unknown[] = [];
  const pods = control.client.pods.inNamespace(ds.metadata.namespace ?? '');

  let position = 0;
  for (const size of slowStartBatches(creates.length)) {
    const batch = creates.slice(position, position + size);
    position += size;
    const before = errors.length;
    await Promise.all(batch.map(async (nodeName) => {
      try {
        const created = await pods.create(podForNode(ds, request.template, nodeName));
        control.recorder.event(involved, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        control.expectations.creationObserved(key);
        if (namespaceTerminating(err)) return;
        control.recorder.event(involved, 'Warning', 'FailedCreate', `Error creating: ${messageOf(err)}`);
        errors.push(err);
      }
    }));
    if (errors.length > before) {
      // The creations never attempted will never be observed either.
      for (let i = position; i < creates.length; i++) control.expectations.creationObserved(key);
      break;
    }
  }

  await Promise.all(deletes.map(async (pod) => {
    try {
      await pods.delete(pod.metadata.name ?? '');
      control.recorder.event(involved, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      control.expectations.deletionObserved(key);
      if (isNotFound(err)) return;
      control.recorder.event(involved, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(err)}`);
      errors.push(err);
    }
  }));
  return errors;
}
