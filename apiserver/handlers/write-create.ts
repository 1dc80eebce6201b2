/**
 * The create path (upstream `createHandler` + `Store.Create`): server-set metadata, strategy,
 * defaulting, admission, validation, storage. Shared by POST, PUT-that-creates and apply-creates.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import { ApiError, internalError, invalid } from '../../pkg/errors/index.ts';
import { StorageError } from '../../pkg/storage/types.ts';
import { trackUpdate } from '../apply/index.ts';
import { generateName } from '../strategies/generate-name.ts';
import { nextGeneration } from '../strategies/generation.ts';
import { applyRequestNamespace, setCreateMetadata } from '../strategies/object-meta.ts';
import { rfc3339 } from '../strategies/time.ts';
import { keyOf, type RequestScope, type ServerContext } from './context.ts';
import { isCustomResource, qualifiedResource, toServed, toStored } from './objects.ts';
import { storageCall, toApiError } from './storage-errors.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

export interface CreateOptions {
  dryRun: boolean;
  fieldManager: string;
  /** Set when apply created the object: managedFields are already computed. */
  managedFieldsDone?: boolean;
  /** The rejected-namespace message differs between POST and PUT. */
  namespaceMismatchMessage?: string;
  /** POST refuses a resourceVersion; PUT-create and apply ignore it. */
  rejectResourceVersion?: boolean;
}

const GENERATE_NAME_ATTEMPTS = 8;

/** Creates `obj` (already decoded); returns the stored object as served. */
export async function createObject(ctx: ServerContext, scope: RequestScope, obj: KubeObject, options: CreateOptions): Promise<KubeObject> {
  const { info } = scope;
  if (info.terminating) {
    // Upstream's CRD handler refuses creates while the CRD's objects are being deleted.
    throw new ApiError({ code: 405, reason: 'MethodNotAllowed', message: 'create not allowed while custom resource definition is terminating', details: { group: info.group, kind: info.plural } });
  }
  const now = ctx.clock.now();
  applyRequestNamespace(obj, info.namespaced, scope.namespace, options.namespaceMismatchMessage ?? 'the namespace of the provided object does not match the namespace sent on the request');
  if (options.rejectResourceVersion && obj.metadata.resourceVersion) {
    throw internalError(new Error('resourceVersion should not be set on objects to be created'));
  }
  delete obj.metadata.resourceVersion;
  const wantsGeneratedName = !obj.metadata.name && !!obj.metadata.generateName;
  for (let attempt = 0; ; attempt++) {
    // Each generated-name attempt starts from the decoded object; without one there is no retry,
    // so the (already private) decoded object is used as is.
    const candidate = wantsGeneratedName ? copyJson(obj) : obj;
    if (wantsGeneratedName) candidate.metadata.name = generateName(candidate.metadata.generateName as string);
    try {
      return await createOnce(ctx, scope, candidate, options, now);
    } catch (err) {
      const retry = wantsGeneratedName && attempt + 1 < GENERATE_NAME_ATTEMPTS && err instanceof StorageError && err.code === 'KeyExists';
      if (!retry) throw toApiError(err, qualifiedResource(info), candidate.metadata.name ?? '');
    }
  }
}

async function createOnce(ctx: ServerContext, scope: RequestScope, obj: KubeObject, options: CreateOptions, now: Date): Promise<KubeObject> {
  const { info } = scope;
  const stamp = rfc3339(now);
  setCreateMetadata(obj, stamp);
  // Custom resources with a status subresource start without status (upstream customResourceStrategy).
  if (isCustomResource(info) && info.subresources.status) delete obj.status;
  info.prepareForCreate?.(obj, { user: scope.user, now, warnings: (scope.warnings ??= []) });
  info.applyDefaults(obj);
  const generation = nextGeneration(info, obj);
  if (generation === undefined) delete obj.metadata.generation;
  else obj.metadata.generation = generation;
  let next = obj;
  if (!options.managedFieldsDone) {
    next = trackUpdate({ oldObject: undefined, newObject: obj, manager: options.fieldManager, apiVersion: groupVersion(info), patchMeta: info.patchMeta, now: stamp, hasStatusSubresource: info.subresources.status });
  }
  const name = next.metadata.name ?? '';
  const run = ctx.admission.start({ operation: 'CREATE', info, namespace: next.metadata.namespace, name, object: next, dryRun: options.dryRun, user: scope.user, warnings: (scope.warnings ??= []), audit: scope.audit });
  try {
    await run.admit();
    const errors = info.validate(next);
    if (errors.length) throw invalid({ group: info.group, kind: info.kind, name, errors });
    (scope.warnings ??= []).push(...(info.warningsOnCreate?.(next) ?? []));
    await run.validate();
    const key = keyOf(ctx, info, next.metadata.namespace, name);
    let result: KubeObject;
    if (options.dryRun) {
      const existing = await storageCall(qualifiedResource(info), name, () => ctx.storage.get(key));
      if (existing) throw new StorageError('KeyExists', key);
      result = next;
    } else {
      result = await toServed(info, await ctx.storage.create(key, await toStored(info, next)));
    }
    await run.commit();
    return result;
  } catch (err) {
    await run.abort();
    throw err;
  }
}
