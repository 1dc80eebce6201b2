/** Create-unless-present, the first step of every "ensure this object exists" writer. */
import type { KubeObject } from '../api/meta.ts';
import { StorageError, type Storage } from './types.ts';

/** Creates `obj` at `key`; false (nothing written) when the key already exists. Other errors reject. */
export async function createIfAbsent(storage: Storage, key: string, obj: KubeObject): Promise<boolean> {
  try {
    await storage.create(key, obj);
    return true;
  } catch (err) {
    if (err instanceof StorageError && err.code === 'KeyExists') return false;
    throw err;
  }
}
