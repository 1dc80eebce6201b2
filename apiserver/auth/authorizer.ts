/**
 * Authorization (upstream's union authorizer over `--authorization-mode`): `AlwaysAllow`, or the
 * built-in `Node,RBAC` — the Node authorizer, then RBAC: the {@link POLICY} table (the components'
 * and system groups' grants), then the cluster's RBAC objects. The first allow wins; otherwise
 * the request is denied with every authorizer's reason.
 */
import { ALLOW, noOpinion, type Decision } from './decision.ts';
import { authorizeAsNode, type NodeRelations } from './node-authorizer.ts';
import { bindingApplies, POLICY, type PolicyBinding } from './policy.ts';
import type { RequestAttributes } from './request-attributes.ts';
import { rulesAllow, type PolicyRule } from './rules.ts';
import { nodeNameOf, type UserInfo } from '../../pkg/auth/user.ts';
import type { RbacObjects } from './rbac/objects.ts';
import { authorizeByRbac, rbacRulesFor } from './rbac/rbac-authorizer.ts';

/** Decides one request. */
export interface Authorizer {
  authorize(attrs: RequestAttributes): Promise<Decision>;
  /** The rules granted to `user` in `namespace` ("" = cluster-wide only), for SelfSubjectRulesReview and escalation checks. */
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResolution>;
}

/** What an authorizer can say about a user's permissions (upstream `RuleResolver.RulesFor`). */
export interface RulesResolution {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  /** True when some permissions could not be listed (the Node authorizer's). */
  incomplete: boolean;
  evaluationError?: string;
}

const NONE: RulesResolution = { resourceRules: [], nonResourceRules: [], incomplete: false };

/** AlwaysAllow's rules: everything (upstream alwaysAllowAuthorizer.RulesFor). */
const EVERYTHING: RulesResolution = { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };

/** The rules of the policy bindings that apply to `user` in `namespace`. Pure. */
export function rulesByPolicy(user: UserInfo, namespace: string, policy: readonly PolicyBinding[] = POLICY): RulesResolution {
  const rules = policy.filter((b) => bindingApplies(b, user, namespace)).flatMap((b) => b.rules);
  return { resourceRules: rules.filter((r) => !r.nonResourceURLs), nonResourceRules: rules.filter((r) => r.nonResourceURLs), incomplete: false };
}

/** The Node authorizer cannot list a node's permissions (they follow its pods); for others it grants nothing. */
function rulesAsNode(user: UserInfo): RulesResolution {
  return nodeNameOf(user) === undefined ? NONE : { ...NONE, incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' };
}

/** Upstream's union of rule resolvers: every rule, incomplete if any is, errors joined. */
function unionRules(all: RulesResolution[]): RulesResolution {
  const errors = all.flatMap((r) => (r.evaluationError ? [r.evaluationError] : []));
  const union: RulesResolution = { resourceRules: all.flatMap((r) => r.resourceRules), nonResourceRules: all.flatMap((r) => r.nonResourceRules), incomplete: all.some((r) => r.incomplete) };
  if (errors.length) union.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return union;
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

/** RBAC: the policy table, then (when given) the cluster's RBAC objects. */
function rbacAuthorizer(objects: RbacObjects | undefined): Authorizer {
  return {
    authorize: (attrs) => {
      const byPolicy = authorizeByPolicy(attrs);
      return byPolicy.decision !== 'no-opinion' || !objects ? Promise.resolve(byPolicy) : authorizeByRbac(attrs, objects);
    },
    async rulesFor(user, namespace) {
      const byPolicy = rulesByPolicy(user, namespace);
      if (!objects) return byPolicy;
      const { rules, evaluationError } = await rbacRulesFor(user, namespace, objects);
      const byObjects: RulesResolution = { resourceRules: rules.filter((r) => !r.nonResourceURLs), nonResourceRules: rules.filter((r) => r.nonResourceURLs), incomplete: false };
      if (evaluationError) byObjects.evaluationError = evaluationError;
      return unionRules([byPolicy, byObjects]);
    },
  };
}

/**
 * An authorizer for the given modes (in order); `AlwaysAllow` anywhere in the list allows what the
 * others did not. Without `rbacObjects`, RBAC is the policy table alone.
 */
export function createAuthorizer(modes: readonly AuthorizationMode[], relations: NodeRelations, rbacObjects?: RbacObjects): Authorizer {
  const chain: Authorizer[] = modes.map((mode) => {
    switch (mode) {
      case 'AlwaysAllow':
        return { authorize: () => Promise.resolve(ALLOW), rulesFor: () => Promise.resolve(EVERYTHING) };
      case 'Node':
        return { authorize: (a: RequestAttributes) => authorizeAsNode(a, relations), rulesFor: (user: UserInfo) => Promise.resolve(rulesAsNode(user)) };
      case 'RBAC':
        return rbacAuthorizer(rbacObjects);
    }
  });
  return {
    authorize: (attrs) => unionAuthorize(attrs, chain.map((c) => c.authorize)),
    rulesFor: async (user, namespace) => unionRules(await Promise.all(chain.map((c) => c.rulesFor(user, namespace)))),
  };
}
