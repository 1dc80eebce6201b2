/**
 * The service-account token authenticator's decisions (upstream jwt.go `AuthenticateToken` with
 * the bound-token validator of claims.go and the legacy validator of legacy.go), split around the
 * object lookups so that both halves are pure: {@link inspectServiceAccountToken} verifies the
 * signature, issuer, audiences and times and names the objects to read;
 * {@link validateServiceAccountToken} judges the token against those objects as read.
 */
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { decodeJwt, verifyJwt } from './serviceaccount-jwt.ts';
import { LEGACY_ISSUER, readKubernetesClaim, readLegacyClaims, readPublicClaims, splitServiceAccountUsername, type ClaimRef, type KubernetesClaim, type LegacyClaims } from './serviceaccount-claims.ts';
import { serviceAccountUser } from './serviceaccount-user.ts';
import type { UserInfo } from './user.ts';

/** go-jose's `DefaultLeeway`: clock skew allowed on exp/nbf/iat and on deletions. */
export const TOKEN_LEEWAY_SECONDS = 60;

/** What the API server verifies service-account tokens with (`--service-account-key-file`, `--service-account-issuer`, `--api-audiences`). */
export interface ServiceAccountTokenSettings {
  /** Keys whose signatures are accepted. */
  publicKeys: readonly KeyObject[];
  /** Accepted `iss` values of bound tokens. */
  issuers: readonly string[];
  /** The API server's own audiences (`--api-audiences`). */
  apiAudiences: readonly string[];
}

/** The objects a token names, to be read before {@link validateServiceAccountToken}. */
export interface TokenObjectRefs {
  serviceAccount: { namespace: string; name: string };
  secret?: { namespace: string; name: string };
  pod?: { namespace: string; name: string };
  /** Only for tokens bound to a Node itself (pod-bound tokens carry the node as information). */
  node?: { name: string };
}

/** A token whose signature, issuer, audiences and times check out, awaiting its objects. */
export type InspectedToken =
  | { kind: 'bound'; claim: KubernetesClaim; jti?: string; audiences: string[]; refs: TokenObjectRefs }
  | { kind: 'legacy'; token: string; claims: LegacyClaims; audiences: string[]; refs: TokenObjectRefs };

/** Phase one: not a service-account token (another authenticator's), a failure, or objects to read. */
export type TokenInspection = { kind: 'not-applicable' } | { kind: 'failed'; reason: string } | { kind: 'inspected'; token: InspectedToken };

/** The metadata (and for Secrets the data) validation reads of a looked-up object. */
export interface TokenObject {
  metadata: { uid?: string; deletionTimestamp?: string | null };
  data?: Record<string, string>;
}

/** The objects of {@link TokenObjectRefs} as read (absent: not found). */
export interface TokenObjects {
  serviceAccount?: TokenObject;
  secret?: TokenObject;
  pod?: TokenObject;
  node?: TokenObject;
}

/** The authenticator's verdict on a service-account token. */
export type ServiceAccountTokenCheck = { ok: true; user: UserInfo; audiences: string[] } | { ok: false; reason: string };

/** Go's `%q` of a string list: `["a" "b"]`. Pure. */
function quoteList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function intersect(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x, i) => b.includes(x) && a.indexOf(x) === i);
}

/** go-jose's `Claims.ValidateWithLeeway` time checks, as upstream's validator words them. Pure. */
export function timeClaimsError(claims: { exp?: number; nbf?: number; iat?: number }, now: Date): string | undefined {
  const t = now.getTime() / 1000;
  if (claims.nbf !== undefined && t + TOKEN_LEEWAY_SECONDS < claims.nbf) return 'service account token is not valid yet';
  if (claims.exp !== undefined && t - TOKEN_LEEWAY_SECONDS > claims.exp) return 'service account token has expired';
  if (claims.iat !== undefined && t + TOKEN_LEEWAY_SECONDS < claims.iat) return 'service account token is issued in the future';
  return undefined;
}

/**
 * Phase one: `not-applicable` unless the token is a JWT whose (unverified) `iss` is one of the
 * issuers or the legacy issuer (upstream `hasCorrectIssuer`); then the signature must verify
 * against a key, the token's audiences (the API audiences when it has none, as legacy tokens)
 * must meet `requestedAudiences` (default the API audiences), and the claims must be complete
 * and, for bound tokens, within their times. Pure.
 */
export function inspectServiceAccountToken(token: string, settings: ServiceAccountTokenSettings, now: Date, requestedAudiences?: readonly string[]): TokenInspection {
  const decoded = decodeJwt(token);
  const iss = decoded?.payload.iss;
  if (typeof iss !== 'string') return { kind: 'not-applicable' };
  const legacy = iss === LEGACY_ISSUER;
  if (!legacy && !settings.issuers.includes(iss)) return { kind: 'not-applicable' };
  const verified = verifyJwt(token, settings.publicKeys);
  if (!verified.ok) return { kind: 'failed', reason: verified.reason };
  const pub = readPublicClaims(verified.payload);
  if (!pub) return { kind: 'failed', reason: 'service account token claims could not be validated due to unexpected validation error' };
  const tokenAudiences = pub.aud?.length ? pub.aud : [...settings.apiAudiences];
  const requested = requestedAudiences ?? settings.apiAudiences;
  const audiences = intersect(tokenAudiences, requested);
  if (audiences.length === 0 && settings.apiAudiences.length !== 0) {
    return { kind: 'failed', reason: `token audiences ${quoteList(tokenAudiences)} is invalid for the target audiences ${quoteList(requested)}` };
  }
  if (legacy) return inspectLegacy(token, pub.sub ?? '', verified.payload, audiences);
  const timeError = timeClaimsError(pub, now);
  if (timeError) return { kind: 'failed', reason: timeError };
  const claim = readKubernetesClaim(verified.payload) ?? { namespace: '', serviceaccount: { name: '', uid: '' } };
  const ns = claim.namespace;
  const refs: TokenObjectRefs = { serviceAccount: { namespace: ns, name: claim.serviceaccount.name } };
  if (claim.secret) refs.secret = { namespace: ns, name: claim.secret.name };
  if (claim.pod) refs.pod = { namespace: ns, name: claim.pod.name };
  else if (claim.node) refs.node = { name: claim.node.name };
  return { kind: 'inspected', token: { kind: 'bound', claim, ...(pub.jti ? { jti: pub.jti } : {}), audiences, refs } };
}

/** Upstream legacy validator, the part before its lookups. Pure. */
function inspectLegacy(token: string, sub: string, payload: Record<string, unknown>, audiences: string[]): TokenInspection {
  const claims = readLegacyClaims(payload);
  if (!claims) return { kind: 'failed', reason: 'service account token claims could not be validated due to unexpected private claim' };
  if (!sub) return { kind: 'failed', reason: 'sub claim is missing' };
  if (!claims.namespace) return { kind: 'failed', reason: 'namespace claim is missing' };
  if (!claims.secretName) return { kind: 'failed', reason: 'secretName claim is missing' };
  if (!claims.serviceAccountName) return { kind: 'failed', reason: 'serviceAccountName claim is missing' };
  if (!claims.serviceAccountUid) return { kind: 'failed', reason: 'serviceAccountUID claim is missing' };
  const subject = splitServiceAccountUsername(sub);
  if (!subject || subject.namespace !== claims.namespace || subject.name !== claims.serviceAccountName) return { kind: 'failed', reason: 'sub claim is invalid' };
  const refs: TokenObjectRefs = { serviceAccount: { namespace: claims.namespace, name: claims.serviceAccountName }, secret: { namespace: claims.namespace, name: claims.secretName } };
  return { kind: 'inspected', token: { kind: 'legacy', token, claims, audiences, refs } };
}

/** Whether an object was deleted (its deletionTimestamp set) before `cutoff`. */
function deletedBefore(obj: TokenObject, cutoff: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return !!ts && Date.parse(ts) < cutoff;
}

function serviceAccountNotFound(name: string): string {
  return `serviceaccounts "${name}" not found`;
}

/** Phase two: upstream's validators on the objects as read. Pure. */
export function validateServiceAccountToken(inspected: InspectedToken, objects: TokenObjects, now: Date): ServiceAccountTokenCheck {
  return inspected.kind === 'legacy' ? validateLegacy(inspected, objects) : validateBound(inspected, objects, now);
}

function validateBound(t: Extract<InspectedToken, { kind: 'bound' }>, objects: TokenObjects, now: Date): ServiceAccountTokenCheck {
  const cutoff = now.getTime() - TOKEN_LEEWAY_SECONDS * 1000;
  const { namespace, serviceaccount: saref, pod: podref, secret: secref, node: noderef } = t.claim;
  const sa = objects.serviceAccount;
  if (!sa) return { ok: false, reason: serviceAccountNotFound(saref.name) };
  if (deletedBefore(sa, cutoff)) return { ok: false, reason: `service account ${namespace}/${saref.name} has been deleted` };
  if ((sa.metadata.uid ?? '') !== saref.uid) return { ok: false, reason: `service account UID (${sa.metadata.uid ?? ''}) does not match claim (${saref.uid})` };
  const invalidated = { ok: false, reason: 'service account token has been invalidated' } as const;
  if (secref) {
    const secret = objects.secret;
    if (!secret) return invalidated;
    if (deletedBefore(secret, cutoff)) return invalidated;
    if (secref.uid !== (secret.metadata.uid ?? '')) return { ok: false, reason: `secret UID (${secret.metadata.uid ?? ''}) does not match service account secret ref claim (${secref.uid})` };
  }
  let pod: ClaimRef | undefined;
  if (podref) {
    const found = objects.pod;
    if (!found) return invalidated;
    if (deletedBefore(found, cutoff)) return invalidated;
    if (podref.uid !== (found.metadata.uid ?? '')) return { ok: false, reason: `pod UID (${found.metadata.uid ?? ''}) does not match service account pod ref claim (${podref.uid})` };
    pod = podref;
  }
  let node: ClaimRef | undefined;
  if (noderef && podref) node = noderef;
  else if (noderef) {
    const found = objects.node;
    if (!found) return invalidated;
    if (deletedBefore(found, cutoff)) return invalidated;
    if (noderef.uid !== (found.metadata.uid ?? '')) return { ok: false, reason: `node UID (${found.metadata.uid ?? ''}) does not match service account node ref claim (${noderef.uid})` };
    node = noderef;
  }
  const user = serviceAccountUser({ namespace, name: saref.name, uid: saref.uid, pod, node, credentialId: t.jti ? `JTI=${t.jti}` : undefined });
  return { ok: true, user, audiences: t.audiences };
}

function sameToken(stored: string | undefined, token: string): boolean {
  if (stored === undefined) return false;
  const a = Buffer.from(stored, 'base64');
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function validateLegacy(t: Extract<InspectedToken, { kind: 'legacy' }>, objects: TokenObjects): ServiceAccountTokenCheck {
  const { namespace, serviceAccountName, serviceAccountUid } = t.claims;
  const secret = objects.secret;
  if (!secret || secret.metadata.deletionTimestamp) return { ok: false, reason: 'token has been invalidated' };
  if (!sameToken(secret.data?.token, t.token)) return { ok: false, reason: "token does not match server's copy" };
  const sa = objects.serviceAccount;
  if (!sa) return { ok: false, reason: serviceAccountNotFound(serviceAccountName) };
  if (sa.metadata.deletionTimestamp) return { ok: false, reason: `ServiceAccount ${namespace}/${serviceAccountName} has been deleted` };
  if ((sa.metadata.uid ?? '') !== serviceAccountUid) return { ok: false, reason: `ServiceAccount UID (${sa.metadata.uid ?? ''}) does not match claim (${serviceAccountUid})` };
  return { ok: true, user: serviceAccountUser({ namespace, name: serviceAccountName, uid: serviceAccountUid }), audiences: t.audiences };
}
