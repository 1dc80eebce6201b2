/**
 * The claims of service-account tokens (upstream pkg/serviceaccount/claims.go and legacy.go):
 * builders for bound tokens (TokenRequest) and legacy Secret tokens, and a zod reading of a
 * verified payload into one of the two shapes. Pure.
 */
import { z } from 'zod';

/** Upstream's `LegacyIssuer`: the `iss` of tokens stored in `kubernetes.io/service-account-token` Secrets. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** The default `--service-account-issuer` of `k8ts up` (what kubeadm uses). */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** Prefix of a service account's user name (upstream `ServiceAccountUsernamePrefix`). */
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

/** A `{name, uid}` reference in the private claim. */
export interface ClaimRef {
  name: string;
  uid: string;
}

/** The object a token is bound to (TokenRequest `spec.boundObjectRef`, resolved). */
export type BoundObject = { kind: 'Pod'; pod: ClaimRef; node?: ClaimRef } | { kind: 'Secret'; secret: ClaimRef } | { kind: 'Node'; node: ClaimRef };

/** The `kubernetes.io` private claim of a bound token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ClaimRef;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
}

/** What {@link boundTokenClaims} needs. */
export interface BoundTokenRequest {
  /** The first `--service-account-issuer`. */
  issuer: string;
  namespace: string;
  serviceAccount: ClaimRef;
  audiences: readonly string[];
  expirationSeconds: number;
  bound?: BoundObject;
  /** The issue time. */
  now: Date;
  /** The token's unique id (upstream: a random UUID). */
  jti: string;
}

/** `system:serviceaccount:<ns>:<name>` (upstream `MakeUsername`). Pure. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** `<ns>`, `<name>` of a service-account user name, or undefined (upstream `SplitUsername`). Pure. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** A reference as Go marshals it (`omitempty` on both fields). Pure. */
function claimRef(ref: ClaimRef): ClaimRef {
  return { ...(ref.name ? { name: ref.name } : {}), ...(ref.uid ? { uid: ref.uid } : {}) } as ClaimRef;
}

/** The claims of a bound token (upstream `token.Claims` plus the generator's `iss`). Pure. */
export function boundTokenClaims(req: BoundTokenRequest): Record<string, unknown> {
  const now = seconds(req.now);
  const kubernetes: KubernetesClaim = { namespace: req.namespace, serviceaccount: claimRef(req.serviceAccount) };
  const bound = req.bound;
  if (bound?.kind === 'Pod') {
    kubernetes.pod = claimRef(bound.pod);
    if (bound.node) kubernetes.node = claimRef(bound.node);
  } else if (bound?.kind === 'Secret') kubernetes.secret = claimRef(bound.secret);
  else if (bound?.kind === 'Node') kubernetes.node = claimRef(bound.node);
  return {
    aud: [...req.audiences],
    exp: now + req.expirationSeconds,
    iat: now,
    iss: req.issuer,
    jti: req.jti,
    'kubernetes.io': kubernetes,
    nbf: now,
    sub: serviceAccountUsername(req.namespace, req.serviceAccount.name),
  };
}

/** The claims of a legacy Secret token (upstream `LegacyClaims` with `iss` = {@link LEGACY_ISSUER}). Pure. */
export function legacyTokenClaims(serviceAccount: { namespace: string; name: string; uid: string }, secretName: string): Record<string, unknown> {
  return {
    iss: LEGACY_ISSUER,
    'kubernetes.io/serviceaccount/namespace': serviceAccount.namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
    'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
    sub: serviceAccountUsername(serviceAccount.namespace, serviceAccount.name),
  };
}

const RefSchema = z.object({ name: z.string().default(''), uid: z.string().default('') });
const NumericDate = z.number().finite().optional();

/** The registered claims upstream reads (`jwt.Claims`); `aud` is a string or a list. */
const PublicClaimsSchema = z.object({
  iss: z.string().optional(),
  sub: z.string().optional(),
  aud: z.union([z.string().transform((a) => [a]), z.array(z.string())]).optional(),
  exp: NumericDate,
  nbf: NumericDate,
  iat: NumericDate,
  jti: z.string().optional(),
});

const BoundPrivateSchema = z.object({
  'kubernetes.io': z
    .object({ namespace: z.string().default(''), serviceaccount: RefSchema.default({ name: '', uid: '' }), pod: RefSchema.optional(), secret: RefSchema.optional(), node: RefSchema.optional() })
    .optional(),
});

const LegacyPrivateSchema = z.object({
  'kubernetes.io/serviceaccount/namespace': z.string().default(''),
  'kubernetes.io/serviceaccount/secret.name': z.string().default(''),
  'kubernetes.io/serviceaccount/service-account.name': z.string().default(''),
  'kubernetes.io/serviceaccount/service-account.uid': z.string().default(''),
});

/** The registered claims of a verified token. */
export type PublicClaims = z.infer<typeof PublicClaimsSchema>;

/** A verified payload read as upstream's claim structs; undefined when the claims have the wrong JSON types. Pure. */
export function readPublicClaims(payload: Record<string, unknown>): PublicClaims | undefined {
  const parsed = PublicClaimsSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** The `kubernetes.io` claim of a bound token (undefined when absent or malformed). Pure. */
export function readKubernetesClaim(payload: Record<string, unknown>): KubernetesClaim | undefined {
  const parsed = BoundPrivateSchema.safeParse(payload);
  return parsed.success ? parsed.data['kubernetes.io'] : undefined;
}

/** The private claims of a legacy token. */
export interface LegacyClaims {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUid: string;
}

/** The legacy private claims (missing ones empty); undefined when malformed. Pure. */
export function readLegacyClaims(payload: Record<string, unknown>): LegacyClaims | undefined {
  const parsed = LegacyPrivateSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    namespace: d['kubernetes.io/serviceaccount/namespace'],
    secretName: d['kubernetes.io/serviceaccount/secret.name'],
    serviceAccountName: d['kubernetes.io/serviceaccount/service-account.name'],
    serviceAccountUid: d['kubernetes.io/serviceaccount/service-account.uid'],
  };
}
