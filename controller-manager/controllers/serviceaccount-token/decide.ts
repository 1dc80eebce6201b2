/**
 * The decisions of upstream's legacy token controller (pkg/controller/serviceaccount/
 * tokens_controller.go, since 1.24 no longer creating token Secrets): which ServiceAccount a
 * `kubernetes.io/service-account-token` Secret names, whether that account (as looked up) owns
 * it, and the Secret populated with `token`, `ca.crt` and `namespace`. Pure.
 */
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import type { ServiceAccount } from '../../../pkg/api/core/v1/serviceaccount.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

/** Upstream `SecretTypeServiceAccountToken`. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
/** Upstream `ServiceAccountNameKey` and `ServiceAccountUIDKey`. */
export const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_KEY = 'kubernetes.io/service-account.uid';
/** Upstream `ServiceAccountTokenKey`, `ServiceAccountRootCAKey`, `ServiceAccountNamespaceKey`. */
export const TOKEN_KEY = 'token';
export const ROOT_CA_KEY = 'ca.crt';
export const NAMESPACE_KEY = 'namespace';

/** The account a token Secret names: its annotations `kubernetes.io/service-account.name` and `.uid` (uid may be empty). */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

/** The account a Secret of the token type names; undefined for other Secrets or without a name annotation. */
export function tokenSecretAccount(secret: DeepReadonly<Secret>): ServiceAccountRef | undefined {
  if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return undefined;
  const name = secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY];
  if (!name) return undefined;
  return { namespace: secret.metadata.namespace ?? '', name, uid: secret.metadata.annotations?.[SERVICE_ACCOUNT_UID_KEY] ?? '' };
}

/** Whether `sa` is the account `ref` names: an empty uid matches any (upstream `getServiceAccount`'s "Ensure UID matches if given"). */
export function accountMatches(sa: DeepReadonly<ServiceAccount> | undefined, ref: ServiceAccountRef): boolean {
  return !!sa && (!ref.uid || ref.uid === sa.metadata.uid);
}

/** What the Secret lacks (upstream `secretUpdateNeeded`): a differing CA (only when there is one), a namespace, a token. */
export interface UpdateNeeded {
  ca: boolean;
  namespace: boolean;
  token: boolean;
}

/** Upstream `secretUpdateNeeded` over base64 `data`; `caPem` empty means no CA to publish. */
export function secretUpdateNeeded(secret: DeepReadonly<Secret>, caPem: string): UpdateNeeded {
  const data = secret.data ?? {};
  const ca = caPem.length > 0 ? Buffer.from(caPem, 'utf8').toString('base64') : '';
  return { ca: ca.length > 0 && data[ROOT_CA_KEY] !== ca, namespace: !data[NAMESPACE_KEY], token: !data[TOKEN_KEY] };
}

/** The outcome of one Secret sync. */
export type TokenSecretDecision =
  /** Not a token Secret (or nameless), or already complete. */
  | { kind: 'leave' }
  /** Its account does not exist (or has another uid): delete it, on condition of its own uid. */
  | { kind: 'delete'; uid: string }
  /** Fill in what {@link UpdateNeeded} says. */
  | { kind: 'populate'; account: DeepReadonly<ServiceAccount>; needs: UpdateNeeded };

/**
 * Upstream `syncSecret` on an existing Secret, given its account as looked up (cache, then the
 * server on a miss or a uid mismatch; undefined when not found): a missing or different account
 * deletes the Secret, an incomplete Secret is populated, anything else is left alone.
 */
export function decideTokenSecret(secret: DeepReadonly<Secret>, account: DeepReadonly<ServiceAccount> | undefined, caPem: string): TokenSecretDecision {
  const ref = tokenSecretAccount(secret);
  if (!ref) return { kind: 'leave' };
  if (!accountMatches(account, ref)) return { kind: 'delete', uid: secret.metadata.uid ?? '' };
  const needs = secretUpdateNeeded(secret, caPem);
  if (!needs.ca && !needs.namespace && !needs.token) return { kind: 'leave' };
  return { kind: 'populate', account: account as DeepReadonly<ServiceAccount>, needs };
}

/**
 * The Secret upstream's `generateTokenIfNeeded` writes: the CA, namespace and token it lacks
 * (`generateToken` signs the legacy claims of account and Secret; called only when the token is
 * missing) and the name/uid annotations set to the account's. Other fields are kept.
 */
export function populatedTokenSecret(secret: DeepReadonly<Secret>, account: DeepReadonly<ServiceAccount>, needs: UpdateNeeded, caPem: string, generateToken: () => string): Secret {
  const next = copyJson(secret) as Secret;
  const data = { ...(next.data ?? {}) };
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  if (needs.ca) data[ROOT_CA_KEY] = b64(caPem);
  if (needs.namespace) data[NAMESPACE_KEY] = b64(next.metadata.namespace ?? '');
  if (needs.token) data[TOKEN_KEY] = b64(generateToken());
  next.data = data;
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [SERVICE_ACCOUNT_NAME_KEY]: account.metadata.name ?? '', [SERVICE_ACCOUNT_UID_KEY]: account.metadata.uid ?? '' };
  return next;
}

/**
 * The account without its reference to the deleted token Secret `secretName` (upstream
 * `removeSecretReference`), or undefined when it lists no such reference.
 */
export function withoutSecretReference(account: DeepReadonly<ServiceAccount>, secretName: string): ServiceAccount | undefined {
  if (!account.secrets?.some((ref) => ref.name === secretName)) return undefined;
  const next = copyJson(account) as ServiceAccount;
  next.secrets = (next.secrets ?? []).filter((ref) => ref.name !== secretName);
  return next;
}
