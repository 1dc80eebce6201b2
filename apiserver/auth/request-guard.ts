/**
 * The per-request authentication, impersonation and authorization step (upstream's
 * WithAuthentication + WithImpersonation + WithAuthorization filters) for the TLS listener: reads the client certificate and the
 * `Authorization` header, decides, and either returns the user or throws the 401/403 ApiError.
 * Requests that did not come over TLS (the loopback `--insecure-http` listener, `inject()`) are
 * `system:unsecured` in `system:masters`, as upstream's old insecure port.
 */
import type { IncomingMessage } from 'node:http';
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import { checkBootstrapToken, parseBootstrapToken, type BootstrapTokenCheck } from '../../pkg/bootstrap/token.ts';
import { authenticate, bearerToken, requestHeaderVerdict, verifiedCertificateUser, type AuthenticationInput } from '../../pkg/auth/authenticate.ts';
import type { RequestHeaderSettings } from '../../pkg/auth/request-header.ts';
import { inspectServiceAccountToken, validateServiceAccountToken, type ServiceAccountTokenCheck, type ServiceAccountTokenSettings } from '../../pkg/auth/serviceaccount-token.ts';
import type { TokenObjectReader } from './token-objects.ts';
import { parsePemBundle, peerFacts, type PeerTrust } from '../../pkg/auth/peer-certificate.ts';
import type { Authorizer } from './authorizer.ts';
import { forbiddenError, unauthorizedError } from './forbidden.ts';
import { impersonatedUser, impersonationChecks, impersonationRequest } from './impersonation.ts';
import { badRequest } from '../../pkg/errors/index.ts';
import { requestAttributesOf } from '../request/parsed-request.ts';
import { UNSECURED_USER, type UserInfo } from '../../pkg/auth/user.ts';

/** What the server authenticates and authorizes with. */
export interface RequestAuthConfig {
  /** Static bearer tokens (`--token-auth-file`). */
  tokens?: ReadonlyMap<string, UserInfo>;
  /** Reads a bootstrap token's Secret (`kube-system/bootstrap-token-<id>`); absent = no bootstrap-token authentication. */
  bootstrapTokenSecret?: (id: string) => Promise<Secret | undefined>;
  /** Service-account token verification and where the tokens' objects are read; absent = no service-account tokens. */
  serviceAccountTokens?: { settings: ServiceAccountTokenSettings; objects: TokenObjectReader };
  /**
   * The front proxy whose request headers name users (`--requestheader-*`), and the PEM of
   * `--client-ca-file` (the listener trusts both CAs; only this one's certificates name users).
   */
  frontProxy?: { settings: RequestHeaderSettings; clientCa?: string };
  authorizer: Authorizer;
  /** The clock expirations are checked against (default: now). */
  now?: () => Date;
}

/** Who is told what the guard learnt about a request (the audit record); each step at most once, in this order. */
export interface GuardObserver {
  /** The authenticated user (before impersonation). */
  authenticated(user: UserInfo): void;
  /** Authentication failed (instead of `authenticated`); the guard then throws its 401. */
  unauthenticated(): void;
  /** The user the request impersonates. */
  impersonating(user: UserInfo): void;
  /** The authorizer's verdict on the request (not on the impersonation checks). */
  authorized(allowed: boolean, reason: string): void;
}

/** Authenticates and authorizes one request. */
export interface RequestGuard {
  /** The request's user; throws the 401/403 ApiError when it may not proceed. `observer` hears each step that completed. */
  check(req: IncomingMessage, observer?: GuardObserver): Promise<UserInfo>;
}

/** The bootstrap-token verdict on a bearer token with the bootstrap format that is not a static token; else undefined. */
export async function bootstrapCheck(config: Pick<RequestAuthConfig, 'bootstrapTokenSecret' | 'tokens' | 'now'>, header: string | undefined): Promise<BootstrapTokenCheck | undefined> {
  const token = bearerToken(header);
  const parsed = token === undefined ? undefined : parseBootstrapToken(token);
  if (!parsed || !config.bootstrapTokenSecret || config.tokens?.has(token as string)) return undefined;
  return checkBootstrapToken(token as string, await config.bootstrapTokenSecret(parsed.id), (config.now ?? (() => new Date()))());
}

/** The user the request acts as: the authenticated one, or whom it may impersonate (403/400 otherwise). */
async function actingUser(authorizer: Authorizer, authenticated: UserInfo, req: IncomingMessage): Promise<UserInfo> {
  const request = impersonationRequest(req.headers);
  if (request === undefined) return authenticated;
  if (typeof request === 'string') throw badRequest(request);
  for (const check of impersonationChecks(authenticated, request)) {
    const decision = await authorizer.authorize(check);
    if (decision.decision !== 'allow') throw forbiddenError(check, decision.reason);
  }
  return impersonatedUser(request);
}

/**
 * The service-account token authenticator's verdict on a bearer token (phase one, the reads of
 * the objects it names, phase two); undefined when it is no service-account token of ours.
 * `audiences` are the ones asked for (default: the API audiences).
 */
export async function serviceAccountCheck(config: Pick<RequestAuthConfig, 'serviceAccountTokens' | 'now'>, token: string | undefined, audiences?: readonly string[]): Promise<ServiceAccountTokenCheck | undefined> {
  const sa = config.serviceAccountTokens;
  if (token === undefined || !sa) return undefined;
  const now = (config.now ?? (() => new Date()))();
  const inspection = inspectServiceAccountToken(token, sa.settings, now, audiences);
  if (inspection.kind === 'not-applicable') return undefined;
  if (inspection.kind === 'failed') return { ok: false, reason: inspection.reason };
  return validateServiceAccountToken(inspection.token, await sa.objects(inspection.token.refs), now);
}

/** The token authenticators' inputs for an `Authorization` header, their lookups done. */
export async function tokenAuthenticationInput(config: RequestAuthConfig, header: string | undefined): Promise<Pick<AuthenticationInput, 'authorization' | 'tokens' | 'bootstrap' | 'serviceAccount'>> {
  const token = bearerToken(header);
  const [bootstrap, serviceAccount] = await Promise.all([bootstrapCheck(config, header), config.tokens?.has(token ?? '') ? undefined : serviceAccountCheck(config, token)]);
  return { authorization: header, tokens: config.tokens, bootstrap, serviceAccount };
}

/** A guard for the given configuration. */
export function createRequestGuard(config: RequestAuthConfig): RequestGuard {
  const frontProxy = config.frontProxy;
  const trust: PeerTrust | undefined = frontProxy && { clientCas: parsePemBundle(frontProxy.clientCa ?? ''), requestHeaderCas: parsePemBundle(frontProxy.settings.clientCa) };
  return {
    async check(req, observer) {
      const peer = peerFacts(req.socket, trust);
      if (!peer) {
        observer?.authenticated(UNSECURED_USER);
        return UNSECURED_USER;
      }
      const requestHeader = frontProxy && { settings: frontProxy.settings, headers: req.headersDistinct };
      // A front proxy's user or a verified certificate decides alone (they come first): no token lookups then.
      const proxied = requestHeaderVerdict(peer, requestHeader);
      const certified = (proxied !== undefined && 'user' in proxied) || verifiedCertificateUser(peer) !== undefined;
      const authn = authenticate({ peer, requestHeader, ...(certified ? {} : await tokenAuthenticationInput(config, req.headers.authorization)) });
      if (authn.kind === 'failed') {
        observer?.unauthenticated();
        throw unauthorizedError();
      }
      observer?.authenticated(authn.user);
      const user = await actingUser(config.authorizer, authn.user, req);
      if (user !== authn.user) observer?.impersonating(user);
      const attrs = requestAttributesOf(req, user);
      const decision = await config.authorizer.authorize(attrs);
      observer?.authorized(decision.decision === 'allow', decision.reason);
      if (decision.decision === 'allow') return user;
      // Anonymous requests are authorized as system:anonymous like any user (upstream's
      // --anonymous-auth=true): denied, they get 403 naming system:anonymous, not 401.
      throw forbiddenError(attrs, decision.reason);
    },
  };
}
