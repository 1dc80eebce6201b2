/**
 * Server-set metadata (upstream `rest.BeforeCreate` / `rest.BeforeUpdate`): uid, creation time,
 * namespace from the URL, and the fields an update may never change.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { badRequest, invalid, type FieldError } from '../../pkg/errors/index.ts';
import { forbidden } from '../../pkg/api/validation/field-errors.ts';
import { goStringSlice } from '../../pkg/api/validation/common-rules.ts';

/** Applies the URL namespace: namespaced kinds take it (mismatch → 400), cluster kinds drop any. */
export function applyRequestNamespace(obj: KubeObject, namespaced: boolean, namespace: string | undefined, mismatchMessage: string): void {
  if (!namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (!obj.metadata.namespace) obj.metadata.namespace = namespace;
  else if (namespace !== undefined && obj.metadata.namespace !== namespace) throw badRequest(mismatchMessage);
}

/** Create: fresh uid and creation time, no deletion state, no resourceVersion. */
export function setCreateMetadata(obj: KubeObject, now: string): void {
  const meta = obj.metadata;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  meta.uid = randomUUID();
  meta.creationTimestamp = now;
}

/** Update: system fields come from the stored object; a changed uid is a 422. */
export function carryUpdateMetadata(obj: KubeObject, old: KubeObject, kindInfo: { group: string; kind: string }): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  const errors: FieldError[] = [];
  if (meta.uid && meta.uid !== oldMeta.uid) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.uid', detail: `Invalid value: "${meta.uid}": field is immutable` });
  }
  if (errors.length) throw invalid({ group: kindInfo.group, kind: kindInfo.kind, name: oldMeta.name ?? '', errors });
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  // Go omits an empty finalizer list (omitempty), e.g. after a patch removed the last one.
  if (meta.finalizers?.length === 0) delete meta.finalizers;
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
  else delete meta.generation;
}

/**
 * Update of an object being deleted (upstream `ValidateObjectMetaUpdate`'s
 * `ValidateNoNewFinalizers`): finalizers may only go, never be added — main-resource and
 * subresource writes alike. Returns the `metadata.finalizers` error, or nothing. Pure.
 */
export function noNewFinalizersWhileDeleting(obj: KubeObject, old: KubeObject): FieldError[] {
  if (!old.metadata.deletionTimestamp) return [];
  const before = new Set(old.metadata.finalizers ?? []);
  const added = [...new Set((obj.metadata.finalizers ?? []).filter((f) => !before.has(f)))].sort();
  if (added.length === 0) return [];
  return [forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`)];
}
