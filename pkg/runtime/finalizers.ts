/**
 * Finalizer helpers for reconcilers (controller-runtime's controllerutil): check, add and remove
 * a finalizer. The writes are JSON merge patches guarded by the object's resourceVersion, so a
 * stale cache gets a 409 Conflict (retry with a fresh object) instead of clobbering others'
 * finalizers.
 */
import type { KubeObject } from '../api/meta.ts';
import type { ResourceClient } from '../client/index.ts';
import type { DeepReadonly } from '../informer/index.ts';

type Obj = KubeObject | DeepReadonly<KubeObject>;

export function hasFinalizer(obj: Obj, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

async function writeFinalizers<T extends KubeObject>(client: ResourceClient<T>, obj: Obj, finalizers: string[]): Promise<T> {
  return client.patch(obj.metadata.name as string, { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } }, { type: 'merge', namespace: obj.metadata.namespace });
}

/** Adds `finalizer` (no request when present); returns the updated object, or `obj` unchanged. */
export async function addFinalizer<T extends KubeObject>(client: ResourceClient<T>, obj: T | DeepReadonly<T>, finalizer: string): Promise<T | DeepReadonly<T>> {
  if (hasFinalizer(obj, finalizer)) return obj;
  return writeFinalizers(client, obj, [...(obj.metadata.finalizers ?? []), finalizer]);
}

/** Removes `finalizer` (no request when absent); returns the updated object, or `obj` unchanged. */
export async function removeFinalizer<T extends KubeObject>(client: ResourceClient<T>, obj: T | DeepReadonly<T>, finalizer: string): Promise<T | DeepReadonly<T>> {
  if (!hasFinalizer(obj, finalizer)) return obj;
  return writeFinalizers(client, obj, (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer));
}
