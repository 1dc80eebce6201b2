/**
 * The read-modify-write loop behind `Storage.guaranteedUpdate`, shared by every implementation:
 * read, apply `fn`, write with a compare-and-swap on the revision read, retry on conflict.
 * A result identical to what is stored is not written (no new revision, no watch event),
 * like upstream's GuaranteedUpdate.
 */
import type { KubeObject } from '../api/meta.ts';
import { encodeObject } from './codec.ts';
import { StorageError } from './types.ts';

/** The primitives the loop needs (a subset of `Storage`). */
export interface CasPrimitives {
  get(key: string): Promise<KubeObject | undefined>;
  create(key: string, obj: KubeObject): Promise<KubeObject>;
  update(key: string, obj: KubeObject, expectedRevision?: number): Promise<KubeObject>;
}

/** Attempts before giving up with StorageError('Conflict') (a livelock guard, not a policy). */
export const MAX_GUARANTEED_UPDATE_ATTEMPTS = 1000;

export async function guaranteedUpdateLoop(
  store: CasPrimitives,
  key: string,
  fn: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
): Promise<KubeObject> {
  for (let attempt = 0; attempt < MAX_GUARANTEED_UPDATE_ATTEMPTS; attempt++) {
    const current = await store.get(key);
    if (current === undefined) {
      const next = await fn(undefined);
      try {
        return await store.create(key, next);
      } catch (err) {
        if (err instanceof StorageError && err.code === 'KeyExists') continue;
        throw err;
      }
    }
    const revision = Number(current.metadata.resourceVersion);
    const currentText = encodeObject(current);
    const next = await fn(current);
    if (encodeObject(next) === currentText) {
      return { ...next, metadata: { ...next.metadata, resourceVersion: String(revision) } };
    }
    try {
      return await store.update(key, next, revision);
    } catch (err) {
      if (err instanceof StorageError && (err.code === 'Conflict' || err.code === 'NotFound')) continue;
      throw err;
    }
  }
  throw new StorageError('Conflict', `guaranteedUpdate of ${key}: too many conflicting writers`);
}
