/**
 * User impersonation (upstream's WithImpersonation filter; `kubectl --as`, `--as-group`,
 * `--as-uid`): the `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and
 * `Impersonate-Extra-<key>` headers make the request act as another user, when the requester may
 * `impersonate` each of them — `users` (or `serviceaccounts` in its namespace for a
 * `system:serviceaccount:<ns>:<name>` user), `groups`, `uids` and `userextras/<key>` of
 * authentication.k8s.io. The impersonated user gets `system:authenticated` (anonymous:
 * `system:unauthenticated`), and a service account its `system:serviceaccounts` groups when no
 * group is asked for. Pure: the guard authorizes the checks and swaps the user.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { splitServiceAccountUsername } from '../../pkg/auth/serviceaccount-claims.ts';
import { serviceAccountGroups } from '../../pkg/auth/serviceaccount-user.ts';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, type UserInfo } from '../../pkg/auth/user.ts';
import type { RequestAttributes } from './request-attributes.ts';

/** What the headers ask for. */
export interface ImpersonationRequest {
  username: string;
  groups: string[];
  uid?: string;
  /** `Impersonate-Extra-<key>` values by (unescaped, lower-case) key. */
  extra: Record<string, string[]>;
}

const EXTRA_PREFIX = 'impersonate-extra-';

const values = (header: string | string[] | undefined): string[] => (header === undefined ? [] : Array.isArray(header) ? header : [header]);

/**
 * The impersonation the headers ask for: undefined without Impersonate-* headers; a string
 * (upstream's error text) when groups, a uid or extras come without a user. Pure.
 */
export function impersonationRequest(headers: IncomingHttpHeaders): ImpersonationRequest | string | undefined {
  const username = values(headers['impersonate-user'])[0];
  const groups = values(headers['impersonate-group']);
  const uid = values(headers['impersonate-uid'])[0];
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_PREFIX)) continue;
    const key = decodeURIComponent(name.slice(EXTRA_PREFIX.length)).toLowerCase();
    extra[key] = values(value).flatMap((v) => v.split(',')).map((v) => v.trim());
  }
  if (username === undefined) {
    const asked = [...(groups.length ? ['groups'] : []), ...(uid !== undefined ? ['uid'] : []), ...(Object.keys(extra).length ? ['extra'] : [])];
    return asked.length ? `requested ${asked.join(', ')} without impersonating a user` : undefined;
  }
  return { username, groups, ...(uid !== undefined ? { uid } : {}), extra };
}

function attributes(requester: UserInfo, fields: Partial<RequestAttributes>): RequestAttributes {
  return { user: requester, verb: 'impersonate', resourceRequest: true, path: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', fieldSelector: [], ...fields };
}

/** The `impersonate` checks `requester` must pass, in upstream's order (user, groups, extras, uid). Pure. */
export function impersonationChecks(requester: UserInfo, request: ImpersonationRequest): RequestAttributes[] {
  const checks: RequestAttributes[] = [];
  const sa = splitServiceAccountUsername(request.username);
  if (sa) checks.push(attributes(requester, { resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name }));
  else checks.push(attributes(requester, { resource: 'users', name: request.username }));
  for (const group of request.groups) checks.push(attributes(requester, { resource: 'groups', name: group }));
  for (const [key, vals] of Object.entries(request.extra)) for (const value of vals) checks.push(attributes(requester, { apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: value }));
  if (request.uid !== undefined) checks.push(attributes(requester, { apiGroup: 'authentication.k8s.io', resource: 'uids', name: request.uid }));
  return checks;
}

/** The user the request then acts as. Pure. */
export function impersonatedUser(request: ImpersonationRequest): UserInfo {
  const groups = [...request.groups];
  const sa = splitServiceAccountUsername(request.username);
  if (sa && groups.length === 0) groups.push(...serviceAccountGroups(sa.namespace));
  const implied = request.username === ANONYMOUS_USER ? ALL_UNAUTHENTICATED : ALL_AUTHENTICATED;
  if (!groups.includes(implied)) groups.push(implied);
  return { username: request.username, ...(request.uid !== undefined ? { uid: request.uid } : {}), groups, ...(Object.keys(request.extra).length ? { extra: request.extra } : {}) };
}
