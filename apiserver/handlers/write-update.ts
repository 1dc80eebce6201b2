/**
 * The update path (upstream `Store.Update` / `GuaranteedUpdate`), shared by PUT, PATCH, `/status`,
 * `/scale` and bindings: read, compute the requested object, check the resourceVersion
 * precondition, apply the update strategy, admission and validation, then a compare-and-swap
 * write. A CAS conflict is retried with fresh state unless the request named a resourceVersion
 * (then it is the client's 409). An update — of the main resource or of a subresource such as
 * `/status` — that removes the last finalizer of a deleting object deletes it; one that adds a
 * finalizer to it is refused (422).
 *
 * As upstream's cacher does, the first attempt starts from the watch cache's copy as it is
 * (`Storage.peek`; this server's own later write of the object when the cache has not seen it yet),
 * without waiting for the cache to catch up with this server's writes (which under a heavy write
 * load took seconds per PATCH). That copy may be stale, so every outcome it
 * leads to other than a successful write — a CAS conflict, a failed precondition, an invalid
 * result, an error of the patch itself, or "nothing changed" — is redone from fresh state, and
 * only the fresh attempt's outcome is the answer. Fresh state is read from the store itself
 * (`Storage.getUncached`), never by waiting for the cache.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import { conflict, invalid, notFound } from '../../pkg/errors/index.ts';
import { StorageError } from '../../pkg/storage/types.ts';
import { trackUpdate } from '../apply/index.ts';
import { nextGeneration } from '../strategies/generation.ts';
import { carryUpdateMetadata, noNewFinalizersWhileDeleting } from '../strategies/object-meta.ts';
import { keepStoredStatus, onlySpecChange, onlyStatusChange, statusWritableMetadata, withRequestedMetadata } from '../strategies/status.ts';
import { rfc3339 } from '../strategies/time.ts';
import { keyOf, type RequestScope, type ServerContext } from './context.ts';
import { qualifiedResource, toServed, toStored } from './objects.ts';
import { storageCall, toApiError } from './storage-errors.ts';
import { createObject } from './write-create.ts';
import { jsonEqual } from '../../pkg/util/json-equal.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

export interface Computed {
  object: KubeObject;
  /** The computation already set managedFields (server-side apply). */
  managedFieldsDone?: boolean;
}

export interface UpdateOptions {
  dryRun: boolean;
  fieldManager: string;
  /** Computes the requested object from the current one (served form), or from nothing when creating. */
  compute(current: KubeObject | undefined): Computed | Promise<Computed>;
  /** Create when absent (apply, and kinds upstream allows to be created by PUT). */
  allowCreate: boolean;
  /** When the request body's resourceVersion is set, it must match the stored one. */
  honourResourceVersion: boolean;
  /**
   * Retry a CAS conflict with fresh state even when the computed object carried a resourceVersion
   * (patches: the patch is re-applied to the fresh object, so a resourceVersion the patch itself
   * sets still fails the precondition, while one merely inherited from the stored object passes).
   */
  alwaysRetryConflicts?: boolean;
}

const MAX_ATTEMPTS = 10;

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
}

export async function updateObject(ctx: ServerContext, scope: RequestScope, options: UpdateOptions): Promise<UpdateResult> {
  const { info } = scope;
  const name = scope.name as string;
  const qr = qualifiedResource(info);
  const key = keyOf(ctx, info, scope.namespace, name);
  // A dry run writes nothing, so no CAS would catch a stale start: it reads fresh state.
  let optimistic = !options.dryRun;
  for (let attempt = 1; ; attempt++) {
    const cached = optimistic ? ctx.storage.peek?.(key) : undefined;
    optimistic = false;
    const maybeStale = cached !== undefined;
    const stored = cached ?? (await storageCall(qr, name, () => (ctx.storage.getUncached ? ctx.storage.getUncached(key) : ctx.storage.get(key))));
    if (!stored) {
      if (!options.allowCreate || scope.subresource) throw notFound(qr, name);
      const computed = await options.compute(undefined);
      if (computed.object.metadata.name && computed.object.metadata.name !== name) {
        computed.object.metadata.name = name;
      }
      computed.object.metadata.name ||= name;
      const object = await createObject(ctx, scope, computed.object, {
        dryRun: options.dryRun,
        fieldManager: options.fieldManager,
        managedFieldsDone: computed.managedFieldsDone,
        namespaceMismatchMessage: `the namespace of the object (${computed.object.metadata.namespace}) does not match the namespace on the request (${scope.namespace})`,
      });
      return { object, created: true };
    }
    const current = await toServed(info, stored);
    let preconditioned = false;
    try {
      const computed = await options.compute(copyJson(current));
      const requestedRv = computed.object.metadata.resourceVersion;
      preconditioned = options.honourResourceVersion && !!requestedRv;
      if (preconditioned && requestedRv !== current.metadata.resourceVersion) throw conflict(qr, name);
      const next = prepareUpdate(ctx, scope, computed, current, options.fieldManager);
      const object = await admitAndWrite(ctx, scope, key, next, current, options.dryRun, maybeStale);
      if (object === STALE_NO_OP) continue;
      return { object, created: false };
    } catch (err) {
      if (maybeStale) continue;
      const retry = !preconditioned || options.alwaysRetryConflicts === true;
      if (err instanceof StorageError && err.code === 'Conflict' && retry && attempt < MAX_ATTEMPTS) continue;
      throw toApiError(err, qr, name);
    }
  }
}

function prepareUpdate(ctx: ServerContext, scope: RequestScope, computed: Computed, current: KubeObject, manager: string): KubeObject {
  const { info, subresource } = scope;
  let next = computed.object;
  const custom = subresource ? info.updateSubresources?.[subresource] : undefined;
  if (custom) {
    const { object, errors } = custom(next, current, { now: ctx.clock.now() });
    if (errors.length) throw invalid({ group: info.group, kind: info.kind, name: current.metadata.name ?? '', errors });
    // A kind's own `/status` rules start from the stored metadata; its status strategy upstream lets the same metadata through as any other.
    next = subresource === 'status' ? withRequestedMetadata(object, next, statusWritableMetadata(info)) : object;
  } else if (subresource === 'status') next = onlyStatusChange(next, current, statusWritableMetadata(info));
  else if (subresource === 'finalize') next = onlySpecChange(next, current);
  else if (info.subresources.status) next = keepStoredStatus(next, current);
  next.metadata.name = current.metadata.name;
  if (info.namespaced) next.metadata.namespace = current.metadata.namespace;
  else delete next.metadata.namespace;
  carryUpdateMetadata(next, current, info);
  if (subresource !== 'status' && subresource !== 'finalize' && !custom) info.prepareForUpdate?.(next, current);
  info.applyDefaults(next);
  const generation = nextGeneration(info, next, current);
  if (generation === undefined) delete next.metadata.generation;
  else next.metadata.generation = generation;
  delete next.metadata.resourceVersion;
  if (!computed.managedFieldsDone) {
    next = trackUpdate({
      oldObject: current,
      newObject: next,
      manager,
      subresource,
      apiVersion: groupVersion(info),
      patchMeta: info.patchMeta,
      now: rfc3339(ctx.clock.now()),
      hasStatusSubresource: info.subresources.status,
    });
  }
  return next;
}

/** admitAndWrite found nothing to write, but compared against a possibly stale copy: redo from fresh state. */
const STALE_NO_OP = Symbol('no-op against a possibly stale copy');

async function admitAndWrite(ctx: ServerContext, scope: RequestScope, key: string, next: KubeObject, current: KubeObject, dryRun: boolean, maybeStale: boolean): Promise<KubeObject | typeof STALE_NO_OP> {
  const { info } = scope;
  const name = current.metadata.name ?? '';
  const run = ctx.admission.start({
    operation: 'UPDATE',
    info,
    subresource: scope.subresource,
    namespace: current.metadata.namespace,
    name,
    object: next,
    oldObject: current,
    dryRun,
    user: scope.user,
    warnings: (scope.warnings ??= []),
    audit: scope.audit,
  });
  try {
    await run.admit();
    const errors = [...noNewFinalizersWhileDeleting(next, current), ...info.validate(next, current, { subresource: scope.subresource })];
    if (errors.length) throw invalid({ group: info.group, kind: info.kind, name, errors });
    // Subresources have their own strategies upstream, none of which warns.
    const warnings = scope.subresource ? [] : (info.warningsOnUpdate?.(next, current) ?? []);
    await run.validate();
    const revision = Number(current.metadata.resourceVersion);
    // Object.assign, not `{ ...metadata, resourceVersion }`: a metadata without one would gain a key on Node 20's slow path for spread copies (≈ 1.5 µs).
    const unchanged = jsonEqual({ ...next, metadata: Object.assign({}, next.metadata, { resourceVersion: undefined }) }, { ...current, metadata: Object.assign({}, current.metadata, { resourceVersion: undefined }) });
    if (unchanged && maybeStale) {
      await run.abort();
      return STALE_NO_OP;
    }
    let result: KubeObject;
    if (unchanged) {
      result = current;
    } else if (current.metadata.deletionTimestamp && current.metadata.deletionGracePeriodSeconds === 0 && (next.metadata.finalizers ?? []).length === 0) {
      // The last finalizer of a deleting object (no graceful deletion pending) is gone: the object goes away now.
      result = dryRun ? next : await toServed(info, await ctx.storage.delete(key, revision));
    } else if (dryRun) {
      result = { ...next, metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } };
    } else {
      result = await toServed(info, await ctx.storage.update(key, await toStored(info, next), revision));
    }
    await run.commit();
    // Only the attempt that answers adds its warnings (a retried attempt would repeat them).
    (scope.warnings ??= []).push(...warnings);
    return result;
  } catch (err) {
    await run.abort();
    throw err;
  }
}
