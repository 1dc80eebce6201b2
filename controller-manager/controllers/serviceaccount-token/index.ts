/**
 * The `serviceaccount-token` controller (upstream pkg/controller/serviceaccount/tokens_controller.go
 * as of 1.24+, which no longer creates token Secrets): a `kubernetes.io/service-account-token`
 * Secret a user creates with annotation `kubernetes.io/service-account.name` gets `data.token` (a
 * legacy JWT signed with `--service-account-private-key-file`), `data.ca.crt` (`--root-ca-file`,
 * else the kubeconfig's CA), `data.namespace` and the account's uid annotation; a Secret whose
 * account does not exist (or has another uid) is deleted, and so are an account's token Secrets
 * when it is deleted ({@link decideTokenSecret}); an account listing a deleted token Secret in
 * `secrets` loses the reference. Without a private key the controller is
 * disabled, as upstream.
 */
import type { KeyObject } from 'node:crypto';
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import type { ServiceAccount } from '../../../pkg/api/core/v1/serviceaccount.ts';
import { legacyTokenClaims } from '../../../pkg/auth/serviceaccount-claims.ts';
import { algorithmFor, parsePrivateKeyPem, signJwt } from '../../../pkg/auth/serviceaccount-jwt.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import { readFlagFile } from '../../../pkg/util/read-flag-file.ts';
import { UserError } from '../../../pkg/util/user-error.ts';
import { readRootCa } from '../rootcacertpublisher/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { accountMatches, decideTokenSecret, populatedTokenSecret, SERVICE_ACCOUNT_TOKEN_TYPE, tokenSecretAccount, withoutSecretReference } from './decide.ts';

/** The flag upstream reads the token signing key from. */
export const PRIVATE_KEY_FLAG = '--service-account-private-key-file';

/** Reads the PEM private key `--service-account-private-key-file` names (RSA or ECDSA); throws a UserError naming the flag. */
export function readServiceAccountPrivateKey(file: string): KeyObject {
  const pem = readFlagFile(PRIVATE_KEY_FLAG, file);
  try {
    const key = parsePrivateKeyPem(pem);
    algorithmFor(key);
    return key;
  } catch (err) {
    throw new UserError(`${PRIVATE_KEY_FLAG} ${file}: error reading key for service account token controller: ${(err as Error).message}`, { cause: err });
  }
}

const isTokenSecret = (s: DeepReadonly<Secret>) => s.type === SERVICE_ACCOUNT_TOKEN_TYPE;
const tokenPredicate = { create: isTokenSecret, update: (o: DeepReadonly<Secret>, n: DeepReadonly<Secret>) => isTokenSecret(o) || isTokenSecret(n), delete: isTokenSecret };

export const serviceAccountTokenController: ControllerDescriptor = {
  name: 'serviceaccount-token',
  enabledByDefault: true,
  register({ manager, settings }) {
    const log = manager.log.child({ controller: 'serviceaccount-token' });
    if (!settings.serviceAccountPrivateKeyFile) {
      log.info({ controller: 'serviceaccount-token' }, 'Controller is disabled because there is no private key');
      return;
    }
    const privateKey = readServiceAccountPrivateKey(settings.serviceAccountPrivateKeyFile);
    const caPem = settings.rootCaFile ? readRootCa(settings.rootCaFile) : (manager.client.connection.ca?.toString('utf8') ?? '');
    const secrets = manager.lister<Secret>(C.secrets);
    const accounts = manager.lister<ServiceAccount>(C.serviceAccounts);
    // An account's events sync the token Secrets naming it (upstream syncServiceAccount deletes them once it is gone).
    const secretsOf = (sa: DeepReadonly<ServiceAccount>) =>
      secrets
        .listInNamespace(sa.metadata.namespace ?? '')
        .filter((s) => tokenSecretAccount(s)?.name === sa.metadata.name)
        .map((s) => ({ namespace: s.metadata.namespace ?? '', name: s.metadata.name ?? '' }));
    newControllerBuilder(manager, 'serviceaccount-token')
      .for<Secret>(C.secrets, { predicates: [tokenPredicate] })
      .watches<ServiceAccount>(C.serviceAccounts, secretsOf)
      .withMaxConcurrentReconciles(settings.concurrentSyncs['serviceaccount-token'] ?? 5)
      .complete({
        async reconcile(req) {
          const secret = secrets.get(`${req.namespace}/${req.name}`);
          if (!secret) {
            // Deleted: the accounts still listing it in `secrets` drop the reference (a conflict retries).
            for (const sa of accounts.listInNamespace(req.namespace)) {
              const update = withoutSecretReference(sa, req.name);
              if (update) await manager.client.serviceAccounts.inNamespace(req.namespace).update(update).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
            }
            return;
          }
          const ref = tokenSecretAccount(secret);
          if (!ref) return;
          // Upstream getServiceAccount(…, fetchOnCacheMiss=true): the cache, then the server.
          let account: DeepReadonly<ServiceAccount> | undefined = accounts.get(`${ref.namespace}/${ref.name}`);
          if (!accountMatches(account, ref)) {
            account = await manager.client.serviceAccounts
              .inNamespace(ref.namespace)
              .get(ref.name)
              .catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
          }
          const decision = decideTokenSecret(secret, account, caPem);
          const client = manager.client.secrets.inNamespace(req.namespace);
          // NotFound: already gone; Conflict: changed since read (its update event brings it back).
          const settled = (err: unknown) => (isNotFound(err) || isConflict(err) ? undefined : Promise.reject(err));
          if (decision.kind === 'delete') {
            log.debug({ secret: `${req.namespace}/${req.name}`, serviceAccount: ref.name }, 'syncSecret: service account does not exist, deleting token');
            await client.delete(req.name, decision.uid ? { preconditions: { uid: decision.uid } } : {}).catch(settled);
          } else if (decision.kind === 'populate') {
            const { account: sa, needs } = decision;
            const generateToken = () => signJwt(legacyTokenClaims({ namespace: ref.namespace, name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' }, req.name), privateKey);
            await client.update(populatedTokenSecret(secret, sa, needs, caPem, generateToken)).catch(settled);
          }
        },
      });
  },
};
