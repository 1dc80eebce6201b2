/**
 * create of a review kind (`ResourceInfo.review`): the body is decoded and validated as any
 * create, then answered in `status` and stored nowhere (upstream's SelfSubjectAccessReview /
 * SelfSubjectRulesReview / SelfSubjectReview REST storage, about the requester, and
 * SubjectAccessReview and LocalSubjectAccessReview, about the user its spec names; TokenReview, about the token its spec holds). Access and
 * rules reviews ask the server's own authorizer (AlwaysAllow when no authentication is configured,
 * as for the requests themselves).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { NonResourceAttributes, ResourceAttributes, SelfSubjectAccessReview, SubjectAccessReviewStatus } from '../../pkg/api/authorization/v1/self-subject-access-review.ts';
import type { SelfSubjectRulesReview } from '../../pkg/api/authorization/v1/self-subject-rules-review.ts';
import type { SubjectAccessReview } from '../../pkg/api/authorization/v1/subject-access-review.ts';
import type { TokenReview } from '../../pkg/api/authentication/v1/token-review.ts';
import { badRequest, invalid } from '../../pkg/errors/index.ts';
import type { RequestAttributes } from '../auth/request-attributes.ts';
import { UNSECURED_USER, type UserInfo } from '../../pkg/auth/user.ts';
import { parseWriteOptions, type Query } from '../request/options.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { decodeBody } from './decode-body.ts';
import { applyRequestNamespace } from '../strategies/object-meta.ts';

/** The authorization attributes an access review asks about (pure). */
export function reviewAttributes(user: UserInfo, spec: { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes }): RequestAttributes {
  const base = { user, fieldSelector: [], apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: '' };
  const ra = spec.resourceAttributes;
  if (!ra) return { ...base, resourceRequest: false, verb: spec.nonResourceAttributes?.verb ?? '', path: spec.nonResourceAttributes?.path ?? '' };
  return { ...base, resourceRequest: true, verb: ra.verb ?? '', apiGroup: ra.group ?? '', apiVersion: ra.version ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', namespace: ra.namespace ?? '', name: ra.name ?? '' };
}

/** The server's authorizer on `user` doing what `spec` names. */
async function accessReviewStatus(ctx: ServerContext, user: UserInfo, spec: SelfSubjectAccessReview['spec']): Promise<SubjectAccessReviewStatus> {
  const decision = await ctx.authorizer.authorize(reviewAttributes(user, spec));
  const status: SubjectAccessReviewStatus = { allowed: decision.decision === 'allow' };
  if (decision.reason) status.reason = decision.reason;
  return status;
}

/** The server's authorizer on the user a SubjectAccessReview's spec names. */
function subjectAccessReviewStatus(ctx: ServerContext, { spec }: SubjectAccessReview): Promise<SubjectAccessReviewStatus> {
  return accessReviewStatus(ctx, { username: spec.user ?? '', ...(spec.uid ? { uid: spec.uid } : {}), groups: spec.groups ?? [] }, spec);
}

/** The answer to one review, by `group/kind`. */
const ANSWERS: Readonly<Record<string, (ctx: ServerContext, user: UserInfo, review: KubeObject) => Promise<Record<string, unknown>>>> = {
  'authorization.k8s.io/SelfSubjectAccessReview': (ctx, user, review) => accessReviewStatus(ctx, user, (review as SelfSubjectAccessReview).spec),
  // Asked about the spec's user, not the requester (upstream's SubjectAccessReview REST).
  'authorization.k8s.io/SubjectAccessReview': (ctx, _requester, review) => subjectAccessReviewStatus(ctx, review as SubjectAccessReview),
  // The same inside the request's namespace (validation made the attributes' namespace the review's).
  'authorization.k8s.io/LocalSubjectAccessReview': (ctx, _requester, review) => subjectAccessReviewStatus(ctx, review as SubjectAccessReview),
  'authorization.k8s.io/SelfSubjectRulesReview': async (ctx, user, review) => {
    const namespace = (review as SelfSubjectRulesReview).spec.namespace ?? '';
    const rules = await ctx.authorizer.rulesFor(user, namespace);
    const status: Record<string, unknown> = {
      resourceRules: rules.resourceRules.map((r) => ({ verbs: [...r.verbs], apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}) })),
      nonResourceRules: rules.nonResourceRules.map((r) => ({ verbs: [...r.verbs], nonResourceURLs: [...(r.nonResourceURLs ?? [])] })),
      incomplete: rules.incomplete,
    };
    if (rules.evaluationError) status.evaluationError = rules.evaluationError;
    return status;
  },
  'authentication.k8s.io/SelfSubjectReview': async (_ctx, user) => ({
    userInfo: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}) },
  }),
  // Asked about the spec's token (upstream's TokenReview REST: an empty token is a 400).
  'authentication.k8s.io/TokenReview': async (ctx, _requester, review) => {
    const { spec } = review as TokenReview;
    if (!spec.token) throw badRequest('token is required for TokenReview in authentication');
    return ctx.reviewToken(spec.token, spec.audiences);
  },
};

/** POST of a review: 201 with the review and its `status`. */
export async function reviewHandler(ctx: ServerContext, scope: RequestScope, query: Query, body: Buffer | undefined, contentType: string | undefined): Promise<HandlerResult> {
  const { info } = scope;
  const answer = ANSWERS[`${info.group}/${info.kind}`];
  if (!answer) throw new Error(`no answer for review kind ${info.group}/${info.kind}`);
  const { fieldValidation } = parseWriteOptions(query, scope.userAgent, 'CreateOptions');
  const { object, warnings } = decodeBody(info, body, contentType, fieldValidation);
  // As any create: a namespaced review takes the request's namespace, or must already name it.
  applyRequestNamespace(object, info.namespaced, scope.namespace, 'the namespace of the provided object does not match the namespace sent on the request');
  const errors = info.validate(object);
  if (errors.length) throw invalid({ group: info.group, kind: info.kind, name: '', errors });
  const status = await answer(ctx, (scope.user as UserInfo | undefined) ?? UNSECURED_USER, object);
  const metadata = info.namespaced ? { namespace: scope.namespace, creationTimestamp: null } : { creationTimestamp: null };
  return { code: 201, body: { ...object, metadata, status }, warnings };
}
