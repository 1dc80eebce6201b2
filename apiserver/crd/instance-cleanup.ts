/**
 * The CRD finalizer (upstream apiextensions `crdFinalizer`): for a CRD marked for deletion with the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer, every object of its kind is deleted as a
 * DELETE would delete it (objects with finalizers are marked and stay until those are removed), the
 * `Terminating` condition tells how far it got, and once no object is left the finalizer is removed
 * and the CRD goes away. Its objects stay readable and writable meanwhile (creates are refused), so
 * their controllers can finish.
 */
import { setTimeout as wait } from 'node:timers/promises';
import type { Logger } from 'pino';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, type CustomResourceDefinition } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { decideDeletion } from '../strategies/deletion.ts';
import { rfc3339 } from '../strategies/time.ts';
import { storageKey, storagePrefix } from '../handlers/objects.ts';
import { withConditions, type CrdCondition } from './status.ts';
import { crdKey, updateStoredCrd } from './crd-store.ts';

const DELETION_IN_PROGRESS: CrdCondition = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
const DELETION_UNCONFIRMED: CrdCondition = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionCheck', message: 'could not confirm zero CustomResources remaining: timed out waiting for the condition' };
const DELETION_COMPLETED: CrdCondition = { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
const NEVER_ESTABLISHED: CrdCondition = { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' };

/** What the cleanup reads and writes. */
export interface InstanceCleanupDeps {
  storage: Storage;
  keyPrefix: string;
  now(): Date;
  log: Pick<Logger, 'info' | 'error'>;
  /** Aborts the cleanup (the server is closing). */
  signal: AbortSignal;
  /** Between passes over objects that are still there (default 1 s). */
  retryMs?: number;
  /** After this long with objects left, `Terminating` says so (upstream: 1 min). */
  confirmTimeoutMs?: number;
}

/** Whether a CRD is marked for deletion and still waits for its objects to be cleaned up. */
export function needsInstanceCleanup(crd: CustomResourceDefinition): boolean {
  return !!crd.metadata.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
}

/** Deletes the objects of `crd` (served as `info`, undefined when never served), then lets the CRD go. */
export async function cleanUpInstances(crd: CustomResourceDefinition, info: ResourceInfo | undefined, deps: InstanceCleanupDeps): Promise<void> {
  const name = crd.metadata.name ?? '';
  const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  let outcome = NEVER_ESTABLISHED;
  if (established && info) {
    await updateStoredCrd(deps.storage, name, deps.keyPrefix, (current) => withConditions(current, [DELETION_IN_PROGRESS], rfc3339(deps.now())));
    const started = Date.now();
    let reported = false;
    while ((await deleteObjectsOf(info, deps)) > 0) {
      if (!reported && Date.now() - started >= (deps.confirmTimeoutMs ?? 60_000)) {
        reported = true;
        await updateStoredCrd(deps.storage, name, deps.keyPrefix, (current) => withConditions(current, [DELETION_UNCONFIRMED], rfc3339(deps.now())));
      }
      await wait(deps.retryMs ?? 1_000, undefined, { signal: deps.signal }).catch(() => undefined);
      if (deps.signal.aborted) return;
    }
    outcome = DELETION_COMPLETED;
  }
  const finished = await updateStoredCrd(deps.storage, name, deps.keyPrefix, (current) => {
    const next = withConditions(current, [outcome], rfc3339(deps.now()));
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER);
    return { ...next, metadata: { ...next.metadata, finalizers: finalizers.length ? finalizers : undefined } };
  });
  // Like an update that removes the last finalizer of an object deleted without grace.
  if (finished && !finished.metadata.finalizers?.length) {
    await deps.storage.delete(crdKey(name, deps.keyPrefix)).catch(ignoreNotFound);
    deps.log.info({ crd: name }, 'CustomResourceDefinition deleted after its objects');
  }
}

/** One pass: every object deleted or marked as a DELETE would; resolves to how many are left. */
async function deleteObjectsOf(info: ResourceInfo, deps: InstanceCleanupDeps): Promise<number> {
  const prefix = storagePrefix(info, undefined, deps.keyPrefix);
  let left = 0;
  let startAfter: string | undefined;
  do {
    const page = await deps.storage.list(prefix, { limit: 500, startAfter });
    for (const obj of page.items) {
      const key = storageKey(info, obj.metadata.namespace, obj.metadata.name ?? '', deps.keyPrefix);
      if (await deleteOne(info, key, obj, deps)) continue;
      left++;
    }
    startAfter = page.nextKey;
  } while (startAfter);
  return left;
}

/** Deletes or marks one object; true when it is gone. */
async function deleteOne(info: ResourceInfo, key: string, obj: KubeObject, deps: InstanceCleanupDeps): Promise<boolean> {
  try {
    const decision = decideDeletion(info, obj, { dryRun: false }, deps.now());
    if (decision.action === 'delete') {
      await deps.storage.delete(key, Number(obj.metadata.resourceVersion));
      return true;
    }
    if (decision.action === 'mark') await deps.storage.update(key, decision.object, Number(obj.metadata.resourceVersion));
    return false;
  } catch (err) {
    if (err instanceof StorageError && err.code === 'NotFound') return true;
    // Changed meanwhile: the next pass decides again.
    if (err instanceof StorageError && err.code === 'Conflict') return false;
    throw err;
  }
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof StorageError && err.code === 'NotFound') return undefined;
  throw err;
}
