/**
 * Where the service-account token authenticator reads the objects a token names (its
 * ServiceAccount, bound Pod/Secret/Node): the server's storage, on every request — no cache, so a
 * deleted object invalidates its tokens at once (upstream reads informer caches).
 */
import type { Storage } from '../../pkg/storage/types.ts';
import type { TokenObject, TokenObjectRefs, TokenObjects } from '../../pkg/auth/serviceaccount-token.ts';
import { storageKey } from '../handlers/objects.ts';

/** Reads the objects of a token's references (absent when not found). */
export type TokenObjectReader = (refs: TokenObjectRefs) => Promise<TokenObjects>;

const RESOURCES = {
  serviceAccount: { group: '', plural: 'serviceaccounts', namespaced: true },
  secret: { group: '', plural: 'secrets', namespaced: true },
  pod: { group: '', plural: 'pods', namespaced: true },
  node: { group: '', plural: 'nodes', namespaced: false },
} as const;

/** A reader of the objects in `storage` under `keyPrefix`. */
export function storageTokenObjects(storage: Storage, keyPrefix: string): TokenObjectReader {
  const read = async (resource: keyof typeof RESOURCES, namespace: string | undefined, name: string) =>
    name ? ((await storage.get(storageKey(RESOURCES[resource], namespace, name, keyPrefix))) as TokenObject | undefined) : undefined;
  return async (refs) => {
    const [serviceAccount, secret, pod, node] = await Promise.all([
      read('serviceAccount', refs.serviceAccount.namespace, refs.serviceAccount.name),
      refs.secret ? read('secret', refs.secret.namespace, refs.secret.name) : undefined,
      refs.pod ? read('pod', refs.pod.namespace, refs.pod.name) : undefined,
      refs.node ? read('node', undefined, refs.node.name) : undefined,
    ]);
    return { serviceAccount, secret, pod, node };
  };
}
