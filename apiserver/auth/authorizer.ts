/**
 * Authorization (upstream's union authorizer over `--authorization-mode`): `AlwaysAllow`, or the
 * built-in `Node,RBAC` — the Node authorizer, then the {@link POLICY} table. The first allow
 * wins; otherwise the request is denied with every authorizer's reason.
 */
import { ALLOW, noOpinion, type Decision } from './decision.ts';
import { authorizeAsNode, type NodeRelations } from './node-authorizer.ts';
import { bindingApplies, POLICY, type PolicyBinding } from './policy.ts';
import type { RequestAttributes } from './request-attributes.ts';
import { rulesAllow } from './rules.ts';

/** Decides one request. */
export interface Authorizer {
  authorize(attrs: RequestAttributes): Promise<Decision>;
}

/** `--authorization-mode` values k8ts understands. */
export const AUTHORIZATION_MODES = ['AlwaysAllow', 'Node', 'RBAC'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** The RBAC-like part: whether a binding of the policy table allows the request. Pure. */
export function authorizeByPolicy(attrs: RequestAttributes, policy: readonly PolicyBinding[] = POLICY): Decision {
  for (const binding of policy) {
    if (bindingApplies(binding, attrs.user, attrs.namespace) && rulesAllow(binding.rules, attrs)) return ALLOW;
  }
  return noOpinion();
}

/** Upstream's union: first allow or deny wins; no opinion from all → deny with the reasons joined by newlines. */
export async function unionAuthorize(attrs: RequestAttributes, authorizers: ReadonlyArray<(a: RequestAttributes) => Decision | Promise<Decision>>): Promise<Decision> {
  const reasons: string[] = [];
  for (const authorize of authorizers) {
    const d = await authorize(attrs);
    if (d.decision !== 'no-opinion') return d;
    if (d.reason) reasons.push(d.reason);
  }
  return { decision: 'deny', reason: reasons.join('\n') };
}

/** An authorizer for the given modes (in order); `AlwaysAllow` anywhere in the list allows what the others did not. */
export function createAuthorizer(modes: readonly AuthorizationMode[], relations: NodeRelations): Authorizer {
  const chain = modes.map((mode) => {
    switch (mode) {
      case 'AlwaysAllow':
        return () => ALLOW;
      case 'Node':
        return (a: RequestAttributes) => authorizeAsNode(a, relations);
      case 'RBAC':
        return (a: RequestAttributes) => authorizeByPolicy(a);
    }
  });
  return { authorize: (attrs) => unionAuthorize(attrs, chain) };
}
