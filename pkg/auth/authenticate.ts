/**
 * Authentication (upstream's union of request authenticators, then anonymous): a front proxy's
 * request headers (its certificate verified against `--requestheader-client-ca-file`), else an x509 client
 * certificate verified against `--client-ca-file` (user = CN, groups = O values), else a static
 * bearer token, else a service-account token (`system:serviceaccount:<ns>:<name>`), else a bootstrap
 * token (`system:bootstrap:<id>` in `system:bootstrappers`), else a token webhook's answer (the kubelet's
 * `--authentication-token-webhook`: a TokenReview). Presented-but-bad credentials fail (401) even when anonymous requests are
 * allowed, as upstream's fail-on-error union does. Pure: the TLS socket's facts and every lookup's verdict come in as data.
 */
import type { BootstrapTokenCheck } from '../bootstrap/token.ts';
import type { ServiceAccountTokenCheck } from './serviceaccount-token.ts';
import { frontProxyNameError, userFromRequestHeaders, type DistinctHeaders, type RequestHeaderSettings } from './request-header.ts';
import { ANONYMOUS, withAuthenticatedGroup, type UserInfo } from './user.ts';

/** What the TLS layer says about the client certificate (`socket.authorized`, `getPeerCertificate().subject`). */
export interface PeerCertificateFacts {
  /** Whether the client presented a certificate at all. */
  presented: boolean;
  /** Whether it chains to the client CA (Node's `socket.authorized` when the server trusts no front proxy). */
  authorized: boolean;
  /** Whether it chains to the front-proxy CA (`--requestheader-client-ca-file`); only known when the server has one. */
  frontProxy?: boolean;
  /** Why not (Node's `socket.authorizationError`). */
  authorizationError?: string;
  subject?: { CN?: string | string[]; O?: string | string[] };
}

/** Everything authentication looks at for one request. */
export interface AuthenticationInput {
  /** Undefined when the server has no client CA (certificates are then not requested). */
  peer?: PeerCertificateFacts;
  /** The `Authorization` header. */
  authorization?: string;
  /** The front proxy the server trusts and the request's headers; absent = no request-header authentication. */
  requestHeader?: RequestHeaderInput;
  /** Static tokens from `--token-auth-file`. */
  tokens?: ReadonlyMap<string, UserInfo>;
  /**
   * The bootstrap-token authenticator's verdict on the bearer token, resolved by the caller (it
   * reads the token's Secret); absent when the token does not have the bootstrap format.
   */
  bootstrap?: BootstrapTokenCheck;
  /**
   * The service-account token authenticator's verdict on the bearer token, resolved by the caller
   * (it reads the token's ServiceAccount and bound objects); absent when the token is not a JWT of
   * an accepted issuer or the server verifies no service-account tokens.
   */
  serviceAccount?: ServiceAccountTokenCheck;
  /**
   * A token webhook's verdict on the bearer token (the API server's TokenReview answer, for a
   * kubelet with `--authentication-token-webhook`), resolved by the caller; absent when the caller
   * has no token webhook or did not ask (a verified certificate decided first).
   */
  webhook?: TokenCheck;
}

/** What the request-header authenticator looks at. */
export interface RequestHeaderInput {
  settings: Omit<RequestHeaderSettings, 'clientCa'>;
  headers: DistinctHeaders;
}

/**
 * What one token authenticator says about a bearer token: whose it is, or why it is not accepted
 * (`reason` becomes one of the {@link AuthenticationResult} `failed` reasons).
 */
export type TokenCheck = { ok: true; user: UserInfo } | { ok: false; reason: string };

/** The outcome: a user, no credentials at all, or credentials that did not check out. */
export type AuthenticationResult =
  | { kind: 'user'; user: UserInfo; method: 'requestheader' | 'x509' | 'token' | 'serviceaccount-token' | 'bootstrap-token' | 'webhook-token' }
  | { kind: 'anonymous'; user: UserInfo }
  | { kind: 'failed'; reasons: string[] };

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The user a verified certificate names (CN → user, O → groups); undefined without a CN (no opinion). Pure. */
export function userFromCertificate(subject: PeerCertificateFacts['subject']): UserInfo | undefined {
  const cn = values(subject?.CN)[0];
  if (!cn) return undefined;
  return { username: cn, groups: values(subject?.O) };
}

/**
 * The user of a client certificate that was presented, chains to the client CA and names a user;
 * undefined otherwise. Such a certificate decides alone (x509 comes first in the union), so
 * callers skip token lookups when this is defined. Pure.
 */
export function verifiedCertificateUser(peer: PeerCertificateFacts | undefined): UserInfo | undefined {
  return peer?.presented && peer.authorized ? userFromCertificate(peer.subject) : undefined;
}

/**
 * The request-header authenticator's verdict: the user a front proxy vouches for, why its
 * certificate may not vouch, or undefined (no certificate, no front proxy configured, or no
 * username header: no opinion). A user decides alone (it comes first in the union). Pure.
 */
export function requestHeaderVerdict(peer: PeerCertificateFacts | undefined, requestHeader: RequestHeaderInput | undefined): { user: UserInfo } | { reason: string } | undefined {
  if (!requestHeader || !peer?.presented) return undefined;
  if (!peer.frontProxy) return { reason: 'verifying request-header certificate: x509: certificate signed by unknown authority' };
  const nameError = frontProxyNameError(values(peer.subject?.CN)[0], requestHeader.settings.allowedNames);
  if (nameError) return { reason: nameError };
  const user = userFromRequestHeaders(requestHeader.headers, requestHeader.settings);
  return user && { user };
}

/** The token of an `Authorization: Bearer <token>` header; undefined for other schemes or an empty token. Pure. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Runs the authenticators in upstream order. Pure. */
export function authenticate(input: AuthenticationInput): AuthenticationResult {
  const reasons: string[] = [];
  const peer = input.peer;
  const proxied = requestHeaderVerdict(peer, input.requestHeader);
  if (proxied && 'user' in proxied) return { kind: 'user', user: withAuthenticatedGroup(proxied.user), method: 'requestheader' };
  if (proxied) reasons.push(proxied.reason);
  if (peer?.presented) {
    if (!peer.authorized) {
      reasons.push(`verifying certificate: ${peer.authorizationError ?? 'certificate signed by unknown authority'}`);
    } else {
      const user = userFromCertificate(peer.subject);
      if (user) return { kind: 'user', user: withAuthenticatedGroup(user), method: 'x509' };
    }
  }
  const token = bearerToken(input.authorization);
  if (token !== undefined) {
    const user = input.tokens?.get(token);
    if (user) return { kind: 'user', user: withAuthenticatedGroup(user), method: 'token' };
    if (input.serviceAccount?.ok) return { kind: 'user', user: withAuthenticatedGroup(input.serviceAccount.user), method: 'serviceaccount-token' };
    if (input.bootstrap?.ok) return { kind: 'user', user: withAuthenticatedGroup(input.bootstrap.user), method: 'bootstrap-token' };
    if (input.webhook?.ok) return { kind: 'user', user: withAuthenticatedGroup(input.webhook.user), method: 'webhook-token' };
    const tokenReasons = [input.serviceAccount, input.bootstrap, input.webhook].flatMap((check) => (check && !check.ok ? [check.reason] : []));
    reasons.push(...(tokenReasons.length ? tokenReasons : ['invalid bearer token']));
  }
  if (reasons.length > 0) return { kind: 'failed', reasons };
  return { kind: 'anonymous', user: ANONYMOUS };
}
