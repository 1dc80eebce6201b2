/**
 * The CEL `authorizer` variable of one admission request (upstream admission/plugin/cel
 * activation: `NewAuthorizerVal(versionedAttr.GetUserInfo(), authz)` and
 * `NewResourceAuthorizerVal(…, versionedAttr)`): checks run as the requesting user against the
 * API server's own authorizer, and `authorizer.requestResource` is the resource, subresource,
 * namespace and name the request is for. Decisions are cached for the request (upstream's
 * `NewCachingAuthorizer`), so the same check in several expressions asks once.
 */
import { celAuthorizer, type AuthorizationCheck, type AuthorizationOutcome, type CelAuthorizer, type CheckAuthorization } from '../../pkg/cel/index.ts';
import { parseFieldSelector, type RequestAttributes } from '../auth/request-attributes.ts';
import type { AdmissionAttributes, AdmissionAuthorizer } from './types.ts';

/** The authorizer's attributes for a CEL check. Label selectors are not carried: the server's authorizers do not use them. Pure. */
export function checkAttributes(check: AuthorizationCheck): RequestAttributes {
  return {
    user: check.user,
    verb: check.verb,
    resourceRequest: check.resourceRequest,
    path: check.path,
    apiGroup: check.apiGroup,
    apiVersion: check.apiVersion,
    resource: check.resource,
    subresource: check.subresource,
    namespace: check.namespace,
    name: check.name,
    fieldSelector: parseFieldSelector(check.fieldSelector || undefined),
  };
}

function cacheKey(check: AuthorizationCheck): string {
  const user = { ...check.user, groups: [...check.user.groups].sort() };
  return JSON.stringify({ ...check, user });
}

/**
 * A {@link CheckAuthorization} over `authorizer` that asks each distinct check once. A failure is
 * not logged here: the expression sees it (`errored()`, `error()`).
 */
export function cachingCheck(authorizer: AdmissionAuthorizer): CheckAuthorization {
  const decisions = new Map<string, Promise<AuthorizationOutcome>>();
  return (check) => {
    const key = cacheKey(check);
    let decision = decisions.get(key);
    if (!decision) {
      decision = authorizer.authorize(checkAttributes(check)).then((d) => ({ decision: d.decision, reason: d.reason }));
      decisions.set(key, decision);
    }
    return decision;
  };
}

/**
 * The `authorizer` value for `attrs` (undefined without an authorizer: expressions naming it
 * then fail to evaluate, as upstream's unbound variable). A request without a known user checks
 * as the empty user, as its AdmissionRequest's `userInfo` is empty.
 */
export function admissionCelAuthorizer(authorizer: AdmissionAuthorizer | undefined, attrs: AdmissionAttributes): CelAuthorizer | undefined {
  if (!authorizer) return undefined;
  return celAuthorizer({
    user: attrs.user ?? { username: '', groups: [] },
    authorize: cachingCheck(authorizer),
    requestResource: { group: attrs.info.group, resource: attrs.info.plural, subresource: attrs.subresource ?? '', namespace: attrs.namespace ?? '', name: attrs.name },
  });
}
