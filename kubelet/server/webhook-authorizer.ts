/**
 * The kubelet's `--authorization-mode Webhook`: each request to its API is authorized by the API
 * server's answer to a SubjectAccessReview (upstream's webhook authorizer). Answers are cached as
 * upstream's kubelet caches them (`--authorization-webhook-cache-authorized-ttl` 5 min,
 * `…-unauthorized-ttl` 30 s); identical questions in flight share one review.
 */
import type { SubjectAccessReview } from '../../pkg/api/authorization/v1/subject-access-review.ts';
import type { RestClient } from '../../pkg/client/rest.ts';
import type { KubeletRequestAttributes } from './auth.ts';

/** Sends a review to the API server and returns the answered one; throws when there is no answer. */
export type SendAccessReview = (review: SubjectAccessReview) => Promise<SubjectAccessReview>;

/** Reviews created through the API server `rest` talks to (the kubelet's own identity, which may create them). */
export function sendAccessReviewsTo(rest: Pick<RestClient, 'request'>): SendAccessReview {
  return (review) => rest.request<SubjectAccessReview>({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: review });
}

/** Cache settings of {@link webhookAuthorizer}. */
export interface WebhookAuthorizerOptions {
  /** How long an "allowed" is reused (default 5 min). */
  allowedTtlMs?: number;
  /** How long a "not allowed" is reused (default 30 s). */
  deniedTtlMs?: number;
  /** Answers kept at most (default 1,024; the oldest goes first). */
  maxEntries?: number;
  now?: () => number;
}

/** The review asking whether `attrs.user` (name, groups, extra, uid) may do what `attrs` names. Pure. */
export function accessReviewFor(attrs: KubeletRequestAttributes): SubjectAccessReview {
  const { user } = attrs;
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    metadata: {},
    spec: {
      resourceAttributes: { namespace: '', verb: attrs.verb, group: '', version: 'v1', resource: attrs.resource, subresource: attrs.subresource, name: attrs.name },
      user: user.username,
      groups: user.groups,
      // A token's user may carry extra facts (a bound service-account token's pod); upstream passes them on.
      ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
      ...(user.uid ? { uid: user.uid } : {}),
    },
  };
}

/** An authorizer for {@link KubeletApiAuth.authorize} asking the API server through `send`. */
export function webhookAuthorizer(send: SendAccessReview, options: WebhookAuthorizerOptions = {}): (attrs: KubeletRequestAttributes) => Promise<boolean> {
  const { allowedTtlMs = 5 * 60_000, deniedTtlMs = 30_000, maxEntries = 1024, now = Date.now } = options;
  const answers = new Map<string, { expires: number; allowed: Promise<boolean> }>();
  return (attrs) => {
    const review = accessReviewFor(attrs);
    const key = JSON.stringify(review.spec);
    const cached = answers.get(key);
    if (cached && cached.expires > now()) return cached.allowed;
    answers.delete(key);
    const allowed = send(review).then((answered) => answered.status?.allowed === true);
    // Pending: shared until answered; then kept for its TTL. A failure is not remembered.
    const entry = { expires: Number.POSITIVE_INFINITY, allowed };
    answers.set(key, entry);
    if (answers.size > maxEntries) answers.delete(answers.keys().next().value as string);
    allowed.then(
      (yes) => (entry.expires = now() + (yes ? allowedTtlMs : deniedTtlMs)),
      () => answers.get(key) === entry && answers.delete(key),
    );
    return allowed;
  };
}
