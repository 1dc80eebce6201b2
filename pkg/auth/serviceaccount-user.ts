/**
 * The user a service-account token authenticates as (upstream
 * k8s.io/apiserver/pkg/authentication/serviceaccount `ServiceAccountInfo.UserInfo`). Pure.
 */
import { serviceAccountUsername, type ClaimRef } from './serviceaccount-claims.ts';
import type { UserInfo } from './user.ts';

/** Every service account is in this group (upstream `AllServiceAccountsGroup`). */
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
/** Prefix of the per-namespace service-account group. */
export const SERVICE_ACCOUNT_GROUP_PREFIX = 'system:serviceaccounts:';
/** `extra` key: the unique id of the credential (`JTI=<jti>`). */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';
/** `extra` key: the pod a token is bound to. */
export const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';
/** `extra` key: that pod's uid. */
export const POD_UID_KEY = 'authentication.kubernetes.io/pod-uid';
/** `extra` key: the node a token is bound to (or its pod runs on). */
export const NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';
/** `extra` key: that node's uid. */
export const NODE_UID_KEY = 'authentication.kubernetes.io/node-uid';

/** What a validated token says about its service account (upstream `ServiceAccountInfo`). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  pod?: ClaimRef;
  node?: ClaimRef;
  /** `JTI=<jti>` for tokens with a `jti`. */
  credentialId?: string;
}

/** The groups of a service account in `namespace` (upstream `MakeGroupNames`). Pure. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNT_GROUP_PREFIX}${namespace}`];
}

/** The user of a service account (without `system:authenticated`, which authentication adds). Pure. */
export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.pod?.name && sa.pod.uid) {
    extra[POD_NAME_KEY] = [sa.pod.name];
    extra[POD_UID_KEY] = [sa.pod.uid];
  }
  if (sa.credentialId) extra[CREDENTIAL_ID_KEY] = [sa.credentialId];
  if (sa.node?.name) {
    extra[NODE_NAME_KEY] = [sa.node.name];
    if (sa.node.uid) extra[NODE_UID_KEY] = [sa.node.uid];
  }
  return {
    username: serviceAccountUsername(sa.namespace, sa.name),
    uid: sa.uid,
    groups: serviceAccountGroups(sa.namespace),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
