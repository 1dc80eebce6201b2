/**
 * The API server's own writes to a stored CustomResourceDefinition (its status, the deletion
 * conditions), made directly in storage as upstream's apiextensions controllers do.
 */
import { customResourceDefinitionResource, type CustomResourceDefinition } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { storageKey } from '../handlers/objects.ts';

/** The storage key of the CRD `name`. */
export function crdKey(name: string, keyPrefix: string): string {
  return storageKey(customResourceDefinitionResource, undefined, name, keyPrefix);
}

/**
 * Applies `change` to the stored CRD `name` (retried on conflict); resolves to the stored result,
 * or undefined when the CRD is gone. Other storage errors reject.
 */
export async function updateStoredCrd(storage: Storage, name: string, keyPrefix: string, change: (crd: CustomResourceDefinition) => CustomResourceDefinition): Promise<CustomResourceDefinition | undefined> {
  const key = crdKey(name, keyPrefix);
  try {
    return (await storage.guaranteedUpdate(key, (current) => {
      if (!current) throw new StorageError('NotFound', key);
      return change(current as CustomResourceDefinition);
    })) as CustomResourceDefinition;
  } catch (err) {
    if (err instanceof StorageError && err.code === 'NotFound') return undefined;
    throw err;
  }
}
