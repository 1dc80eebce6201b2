/**
 * Who a request comes from (upstream `user.Info`) and the well-known names authentication and
 * authorization agree on.
 */

/** An authenticated (or anonymous) identity. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  /** Further facts an authenticator vouches for (upstream `user.Info.GetExtra`), e.g. a service-account token's bound pod. */
  extra?: Record<string, string[]>;
}

/** Every authenticated user is in this group (upstream `user.AllAuthenticated`). */
export const ALL_AUTHENTICATED = 'system:authenticated';
/** Anonymous requests are in this group (upstream `user.AllUnauthenticated`). */
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
/** The user name of anonymous requests. */
export const ANONYMOUS_USER = 'system:anonymous';
/** Members may do anything (upstream `user.SystemPrivilegedGroup`). */
export const SYSTEM_MASTERS = 'system:masters';
/** The group of kubelet identities `system:node:<name>`. */
export const NODES_GROUP = 'system:nodes';
/** Prefix of a kubelet's user name. */
export const NODE_USER_PREFIX = 'system:node:';

/** The identity of requests on the loopback plain-HTTP listener (upstream's old insecure port). */
export const UNSECURED_USER: UserInfo = { username: 'system:unsecured', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };

/** The identity of a request without credentials. */
export const ANONYMOUS: UserInfo = { username: ANONYMOUS_USER, groups: [ALL_UNAUTHENTICATED] };

/** Adds `system:authenticated` unless present (upstream's AuthenticatedGroupAdder). Pure. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(ALL_AUTHENTICATED) ? user : { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

/** The node name of a kubelet identity (`system:node:<name>` in `system:nodes`), else undefined. Pure. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.groups.includes(NODES_GROUP) || !user.username.startsWith(NODE_USER_PREFIX)) return undefined;
  const name = user.username.slice(NODE_USER_PREFIX.length);
  return name || undefined;
}
