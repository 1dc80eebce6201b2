/**
 * The StatefulSet controller's writes to pods and claims (upstream StatefulPodControl), with
 * upstream's events on the StatefulSet:
 * - `SuccessfulCreate` "create Pod web-0 in StatefulSet web successful" / `FailedCreate`
 *   "create Pod web-0 in StatefulSet web failed error: …" (AlreadyExists is sunk: no event, the
 *   sync is retried);
 * - `SuccessfulDelete` / `FailedDelete` "delete Pod …", `SuccessfulUpdate` / `FailedUpdate`
 *   "update Pod …" when a pod's identity labels are restored;
 * - claims of `volumeClaimTemplates` (`<template>-<set>-<ordinal>`) are looked up and created
 *   before the pod: "create Claim www-web-0 Pod web-0 in StatefulSet web success", or
 *   `FailedCreate` "create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: …"
 *   and the pod is not created. (This API server serves no PersistentVolumeClaims: the claim's
 *   404 is what the event reports.)
 * Every method throws on failure, after recording the event.
 */
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { Client, ResourceCoordinates } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { EventRecorder } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { claimName, identityLabels, identityMatches, ordinalOf, storageMatches, volumesWithClaims } from './identity.ts';

type S = StatefulSet | DeepReadonly<StatefulSet>;
type P = Pod | DeepReadonly<Pod>;

/** core/v1 PersistentVolumeClaims (a resource this API server may not serve). */
export const PVC_COORDINATES: ResourceCoordinates = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Upstream's aggregate error text: one message as is, several as `[a, b]`. */
function aggregate(messages: string[]): Error {
  return new Error(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`);
}

/** Writes only; decides nothing (see plan.ts). Each method throws after recording its failure event. */
export class StatefulPodControl {
  constructor(private readonly deps: { client: Client; recorder: EventRecorder }) {}

  private event(set: S, verb: string, pod: P, err?: unknown): void {
    const Verb = verb[0]!.toUpperCase() + verb.slice(1);
    const ref = { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' } as KubeObject;
    if (err === undefined) this.deps.recorder.event(ref, 'Normal', `Successful${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    else this.deps.recorder.event(ref, 'Warning', `Failed${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(err)}`);
  }

  private claimEvent(set: S, pod: P, claim: string, err?: unknown): void {
    const ref = { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' } as KubeObject;
    if (err === undefined) this.deps.recorder.event(ref, 'Normal', 'SuccessfulCreate', `create Claim ${claim} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    else this.deps.recorder.event(ref, 'Warning', 'FailedCreate', `create Claim ${claim} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(err)}`);
  }

  /** Upstream createPersistentVolumeClaims: every claim the pod mounts exists (and is not being deleted). */
  private async ensureClaims(set: S, pod: P): Promise<void> {
    const templates = set.spec?.volumeClaimTemplates ?? [];
    if (!templates.length) return;
    const api = this.deps.client.resource(PVC_COORDINATES).inNamespace(set.metadata.namespace as string);
    const ordinal = ordinalOf(pod);
    const failures: string[] = [];
    for (const template of templates) {
      const name = claimName(set, template, ordinal);
      try {
        const existing = await api.get(name);
        if (existing.metadata.deletionTimestamp) failures.push(`pvc ${name} is being deleted`);
      } catch (err) {
        if (!isNotFound(err)) {
          failures.push(`failed to retrieve PVC ${name}: ${messageOf(err)}`);
          this.claimEvent(set, pod, name, err);
          continue;
        }
        const { status: _status, ...claim } = copyJson(template) as DeepReadonly<KubeObject> & Record<string, unknown>;
        const metadata = { ...(claim.metadata ?? {}), name, namespace: set.metadata.namespace, labels: { ...(claim.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) } };
        try {
          await api.create({ ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata } as KubeObject);
          this.claimEvent(set, pod, name);
        } catch (createErr) {
          failures.push(`failed to create PVC ${name}: ${messageOf(createErr)}`);
          if (!isAlreadyExists(createErr)) this.claimEvent(set, pod, name, createErr);
        }
      }
    }
    if (failures.length) throw aggregate(failures);
  }

  /** Creates the pod (its claims first). */
  async create(set: S, pod: Pod): Promise<void> {
    try {
      await this.ensureClaims(set, pod);
    } catch (err) {
      this.event(set, 'create', pod, err);
      throw err;
    }
    try {
      await this.deps.client.pods.inNamespace(set.metadata.namespace as string).create(pod);
    } catch (err) {
      if (!isAlreadyExists(err)) this.event(set, 'create', pod, err);
      throw err;
    }
    this.event(set, 'create', pod);
  }

  /** Deletes the pod (that very pod: the uid is a precondition). A pod already gone is no error. */
  async delete(set: S, pod: P): Promise<void> {
    try {
      await this.deps.client.pods.inNamespace(pod.metadata.namespace as string).delete(pod.metadata.name as string, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      this.event(set, 'delete', pod, err);
      throw err;
    }
    this.event(set, 'delete', pod);
  }

  /** Restores the pod's identity labels and claim volumes (upstream UpdateStatefulPod). */
  async fixIdentity(set: S, pod: P): Promise<void> {
    const ordinal = ordinalOf(pod);
    const patch: { metadata: Record<string, unknown>; spec?: Record<string, unknown> } = { metadata: { uid: pod.metadata.uid } };
    if (!identityMatches(set, pod)) patch.metadata.labels = identityLabels(set, ordinal);
    if (!storageMatches(set, pod)) {
      await this.ensureClaims(set, pod).catch((err: unknown) => {
        this.event(set, 'update', pod, err);
        throw err;
      });
      patch.spec = { volumes: volumesWithClaims(set, ordinal, pod.spec?.volumes) };
    }
    try {
      await this.deps.client.pods.inNamespace(pod.metadata.namespace as string).patch(pod.metadata.name as string, patch, { type: 'merge' });
    } catch (err) {
      if (isNotFound(err)) return;
      this.event(set, 'update', pod, err);
      throw err;
    }
    this.event(set, 'update', pod);
  }
}
