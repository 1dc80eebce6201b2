/**
 * The StatefulSet controller's writes to pods and claims (upstream StatefulPodControl), with
 * upstream's events on the StatefulSet:
 * - `SuccessfulCreate` "create Pod web-0 in StatefulSet web successful" / `FailedCreate`
 *   "create Pod web-0 in StatefulSet web failed error: …" (AlreadyExists is sunk: no event, the
 *   sync is retried);
 * - `SuccessfulDelete` / `FailedDelete` "delete Pod …", `SuccessfulUpdate` / `FailedUpdate`
 *   "update Pod …" when a pod's identity labels are restored;
 * - claims of `volumeClaimTemplates` (`<template>-<set>-<ordinal>`, labels = the template's +
 *   the selector's matchLabels) are looked up in the cache and created before the pod:
 *   "create Claim www-web-0 Pod web-0 in StatefulSet web success", or `FailedCreate` "create
 *   Claim www-web-0 for Pod web-0 in StatefulSet web failed error: …" and the pod is not
 *   created; an existing claim is reused, one being deleted stops the pod ("pvc … is being
 *   deleted"); with `whenScaled: Delete` a claim still owned by an earlier pod of that name
 *   holds the pod back until the garbage collector removed it (upstream PodClaimIsStale);
 * - claim owner references follow `persistentVolumeClaimRetentionPolicy` (retention.ts),
 *   failures reported as "could not update claim … for delete policy ownerRefs: …".
 * Every method throws on failure, after recording the event.
 */
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C, type Client } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { EventRecorder } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { claimName, identityLabels, identityMatches, ordinalOf, storageMatches, volumesWithClaims } from './identity.ts';
import { claimIsStale, claimOwnerRefs, isClaimOwnerUpToDate } from './retention.ts';

type S = StatefulSet | DeepReadonly<StatefulSet>;
type P = Pod | DeepReadonly<Pod>;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Upstream's aggregate error text: one message as is, several as `[a, b]`. */
function aggregate(messages: string[]): Error {
  return new Error(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`);
}

/** Writes only; decides nothing (see plan.ts). Each method throws after recording its failure event. */
export class StatefulPodControl {
  constructor(private readonly deps: { client: Client; recorder: EventRecorder; claims: Lister<PersistentVolumeClaim> }) {}

  private claimApi(namespace: string) {
    return this.deps.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(namespace);
  }

  /** The cached claims of the pod's ordinal, by claim name (missing ones absent). */
  private podClaims(set: S, pod: P): Array<{ name: string; claim: DeepReadonly<PersistentVolumeClaim> | undefined }> {
    const ordinal = ordinalOf(pod);
    return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
      const name = claimName(set, t, ordinal);
      return { name, claim: this.deps.claims.get(`${set.metadata.namespace}/${name}`) };
    });
  }

  /** Upstream PodClaimIsStale: a claim of the pod still owned by an earlier pod of that name (whenScaled Delete). */
  claimsStale(set: S, pod: P): boolean {
    return this.podClaims(set, pod).some(({ claim }) => claimIsStale(set, pod, claim));
  }

  /** Upstream UpdatePodClaimForRetentionPolicy: the pod's existing claims get the owner references the policy wants. */
  async updateClaimsForRetention(set: S, pod: P): Promise<void> {
    const failures: string[] = [];
    for (const { name, claim } of this.podClaims(set, pod)) {
      if (!claim || isClaimOwnerUpToDate(claim, set, pod)) continue;
      const next = copyJson(claim) as PersistentVolumeClaim;
      const owners = claimOwnerRefs(claim, set, pod);
      next.metadata.ownerReferences = owners.length ? owners : undefined;
      try {
        await this.claimApi(set.metadata.namespace as string).update(next);
      } catch (err) {
        if (!isNotFound(err)) failures.push(`could not update claim ${name} for delete policy ownerRefs: ${messageOf(err)}`);
      }
    }
    if (failures.length) throw aggregate(failures);
  }

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
    const api = this.claimApi(set.metadata.namespace as string);
    const failures: string[] = [];
    for (const [i, { name, claim: existing }] of this.podClaims(set, pod).entries()) {
      if (existing) {
        if (existing.metadata.deletionTimestamp) failures.push(`pvc ${name} is being deleted`);
        continue;
      }
      const { status: _status, ...claim } = copyJson(templates[i]) as DeepReadonly<KubeObject> & Record<string, unknown>;
      const labels = claim.metadata?.labels ? { ...claim.metadata.labels, ...(set.spec?.selector?.matchLabels ?? {}) } : { ...(set.spec?.selector?.matchLabels ?? {}) };
      const metadata = { ...(claim.metadata ?? {}), name, namespace: set.metadata.namespace, labels };
      try {
        await api.create({ ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata } as PersistentVolumeClaim);
        this.claimEvent(set, pod, name);
      } catch (createErr) {
        failures.push(`failed to create PVC ${name}: ${messageOf(createErr)}`);
        if (!isAlreadyExists(createErr)) this.claimEvent(set, pod, name, createErr);
      }
    }
    if (failures.length) throw aggregate(failures);
  }

  /** Creates the pod (its claims first); a pod whose claims are stale is not created yet (an error: retried). */
  async create(set: S, pod: Pod): Promise<void> {
    if (this.claimsStale(set, pod)) throw new Error(`claims of pod ${pod.metadata.name} are still owned by an earlier pod of that name`);
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
