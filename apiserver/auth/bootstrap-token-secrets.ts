/**
 * Where the bootstrap-token authenticator finds a token: the Secret
 * `kube-system/bootstrap-token-<id>` read from storage on demand (upstream reads it from an
 * informer's lister; a storage read costs one etcd get per bootstrap request, which only
 * joining nodes make).
 */
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import { BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName } from '../../pkg/bootstrap/token.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { storageKey } from '../handlers/objects.ts';

const SECRETS = { group: '', plural: 'secrets', namespaced: true };

/** A lookup of bootstrap-token Secrets in `storage` under `keyPrefix`. */
export function storageBootstrapTokenSecrets(storage: Storage, keyPrefix: string): (id: string) => Promise<Secret | undefined> {
  return async (id) => (await storage.get(storageKey(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(id), keyPrefix))) as Secret | undefined;
}
