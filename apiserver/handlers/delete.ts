/**
 * DELETE and deletecollection (upstream `deleteHandler`, `Store.Delete`, `Store.DeleteCollection`).
 * Response: a Success Status with {name, group, kind: plural, uid} when the object went away at
 * once (custom resources return the object), else the object as marked for deletion.
 */
import type { KubeList, KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import { conflict, notFound } from '../../pkg/errors/index.ts';
import { StorageError } from '../../pkg/storage/types.ts';
import { decideDeletion, preconditionFailure, type DeleteOptions } from '../strategies/deletion.ts';
import { decideNamespaceDeletion, isNamespaceKind } from '../strategies/namespace-deletion.ts';
import { decideCrdDeletion, isCrdKind } from '../strategies/crd-deletion.ts';
import { keyOf, type RequestScope, type ServerContext } from './context.ts';
import { isCustomResource, qualifiedResource, toServed, toStored } from './objects.ts';
import { storageCall, toApiError } from './storage-errors.ts';

/** What a DELETE did: `deleted` false means the object stays, marked for deletion. */
export interface DeleteResult {
  /** True when the object no longer exists. */
  deleted: boolean;
  object: KubeObject;
}

const MAX_ATTEMPTS = 10;

/** Deletes (or marks for deletion) one object; preconditions, admission and CAS retries included. */
export async function deleteObject(ctx: ServerContext, scope: RequestScope, name: string, options: DeleteOptions): Promise<DeleteResult> {
  const { info } = scope;
  const qr = qualifiedResource(info);
  const key = keyOf(ctx, info, scope.namespace, name);
  for (let attempt = 1; ; attempt++) {
    const stored = await storageCall(qr, name, () => ctx.storage.get(key));
    if (!stored) throw notFound(qr, name);
    const current = await toServed(info, stored);
    const failure = preconditionFailure(current, options.preconditions);
    if (failure) throw conflict(qr, name, failure);
    const now = ctx.clock.now();
    const decision = isNamespaceKind(info) ? decideNamespaceDeletion(current, options, now) : isCrdKind(info) ? decideCrdDeletion(info, current, options, now) : decideDeletion(info, current, options, now);
    const revision = Number(current.metadata.resourceVersion);
    const run = ctx.admission.start({ operation: 'DELETE', info, namespace: current.metadata.namespace, name, oldObject: current, dryRun: options.dryRun, user: scope.user, audit: scope.audit });
    try {
      await run.validate();
      let result: DeleteResult;
      if (decision.action === 'unchanged') result = { deleted: false, object: current };
      else if (decision.action === 'mark') {
        const object = options.dryRun ? decision.object : await toServed(info, await ctx.storage.update(key, await toStored(info, decision.object), revision));
        result = { deleted: false, object };
      } else {
        const object = options.dryRun ? current : await toServed(info, await ctx.storage.delete(key, revision));
        result = { deleted: true, object };
      }
      await run.commit();
      return result;
    } catch (err) {
      await run.abort();
      if (err instanceof StorageError && (err.code === 'Conflict' || err.code === 'NotFound') && attempt < MAX_ATTEMPTS) continue;
      throw toApiError(err, qr, name);
    }
  }
}

/** The response body of a DELETE. */
export function deleteResponse(scope: RequestScope, result: DeleteResult): KubeObject | Record<string, unknown> {
  const { info } = scope;
  // Custom resources and namespaces return the deleted object (upstream ReturnDeletedObject).
  if (!result.deleted || isCustomResource(info) || isNamespaceKind(info)) return result.object;
  const details: Record<string, unknown> = { name: result.object.metadata.name, kind: info.plural, uid: result.object.metadata.uid };
  if (info.group) details.group = info.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** deletecollection: deletes every matching object; returns them as a list. */
export async function deleteCollection(ctx: ServerContext, scope: RequestScope, objects: KubeObject[], options: DeleteOptions): Promise<KubeList> {
  const { info } = scope;
  const items: KubeObject[] = [];
  for (const obj of objects) {
    const objScope = { ...scope, namespace: obj.metadata.namespace };
    try {
      const result = await deleteObject(ctx, objScope, obj.metadata.name ?? '', options);
      items.push(result.object);
    } catch (err) {
      if ((err as { reason?: string }).reason === 'NotFound') continue;
      throw err;
    }
  }
  return { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata: {}, items };
}
