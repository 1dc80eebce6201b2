/**
 * Who may call the kubelet API (upstream kubelet's auth filter). Authentication, in upstream's
 * union order: an x509 client certificate verified against `--client-ca-file` (user = CN, groups =
 * O) decides alone; else, with `--authentication-token-webhook`, an `Authorization: Bearer` token
 * is the user the API server's TokenReview names (not authenticated, or no answer: 401); presented
 * but bad credentials are refused (401); without any the caller is `system:anonymous` when
 * `--anonymous-auth`, else refused (401). Without the token webhook bearer tokens are not looked
 * at, as upstream's kubelet ignores them. Authorization of `nodes/<subresource>` named after this node
 * (`--authorization-mode`): AlwaysAllow, or Webhook — the API server's answer to a
 * SubjectAccessReview, cached as upstream caches it.
 */
import type { Socket } from 'node:net';
import { authenticate, bearerToken, verifiedCertificateUser, type PeerCertificateFacts, type TokenCheck } from '../../pkg/auth/authenticate.ts';
import { peerFacts } from '../../pkg/auth/peer-certificate.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';

/** `--authorization-mode` values of the kubelet. */
export const KUBELET_AUTHORIZATION_MODES = ['AlwaysAllow', 'Webhook'] as const;
export type KubeletAuthorizationMode = (typeof KUBELET_AUTHORIZATION_MODES)[number];

/** What one request to the kubelet API asks to do, in API terms (upstream `GetRequestAttributes`). */
export interface KubeletRequestAttributes {
  user: UserInfo;
  /** The API verb of the HTTP method (GET → get, POST → create, …; "" for others). */
  verb: string;
  resource: 'nodes';
  /** `stats`, `metrics`, `log` for those paths, `proxy` for everything else (logs, exec, pods …). */
  subresource: string;
  /** This node's name. */
  name: string;
}

/** The kubelet API's access rules. */
export interface KubeletApiAuth {
  /** The node the API belongs to (the `name` of every authorization). */
  nodeName: string;
  /** Requests without credentials proceed as `system:anonymous` (true) or get 401 (false). */
  anonymous: boolean;
  /**
   * Who a bearer token belongs to (`--authentication-token-webhook`: a TokenReview); asked only
   * for requests without a verified client certificate. Never rejects. Absent = bearer tokens are
   * ignored (the request is anonymous unless it has a certificate).
   */
  authenticateToken?: (token: string) => Promise<TokenCheck>;
  /** Whether the user may do this; throws when it cannot tell. Absent = AlwaysAllow. */
  authorize?: (attrs: KubeletRequestAttributes) => Promise<boolean>;
}

/** The outcome of {@link checkKubeletRequest}: the caller, or the status and text to refuse with. */
export type KubeletAuthVerdict = { allowed: true; user: UserInfo } | { allowed: false; code: 401 | 403 | 500; message: string };

const VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Go's path-prefix rule: `path` itself or anything below it. Pure. */
function isSubpath(subpath: string, path: string): boolean {
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  return subpath === base || (subpath.startsWith(base) && subpath[base.length] === '/');
}

/** The attributes upstream's kubelet authorizes a request with. Pure. */
export function kubeletRequestAttributes(user: UserInfo, method: string, path: string, nodeName: string): KubeletRequestAttributes {
  const subresource = isSubpath(path, '/stats/') ? 'stats' : isSubpath(path, '/metrics') ? 'metrics' : isSubpath(path, '/logs/') ? 'log' : 'proxy';
  return { user, verb: VERBS[method] ?? '', resource: 'nodes', subresource, name: nodeName };
}

/** One request to the kubelet API, as authentication and authorization see it. */
export interface KubeletRequest {
  /** The connection it came on (its TLS client certificate, if any). */
  socket: Socket;
  method: string;
  /** The decoded path of its target. */
  path: string;
  /** Its `Authorization` header. */
  authorization?: string;
}

/** The token to ask the token webhook about: a bearer token, when there is a webhook and no verified certificate decided first. Pure. */
export function tokenToReview(auth: Pick<KubeletApiAuth, 'authenticateToken'>, peer: PeerCertificateFacts | undefined, authorization: string | undefined): string | undefined {
  if (!auth.authenticateToken || verifiedCertificateUser(peer)) return undefined;
  return bearerToken(authorization);
}

/** Authenticates and authorizes one request. Never throws. */
export async function checkKubeletRequest(auth: KubeletApiAuth, request: KubeletRequest): Promise<KubeletAuthVerdict> {
  const { method, path, authorization } = request;
  const peer = peerFacts(request.socket);
  const token = tokenToReview(auth, peer, authorization);
  // Without a token webhook the header is not passed on: bearer tokens are ignored, as upstream's.
  const webhook = token === undefined || !auth.authenticateToken ? undefined : await auth.authenticateToken(token).catch((err: unknown): TokenCheck => ({ ok: false, reason: String(err) }));
  const who = authenticate({ peer, ...(webhook ? { authorization, webhook } : {}) });
  if (who.kind === 'failed' || (who.kind === 'anonymous' && !auth.anonymous)) return { allowed: false, code: 401, message: 'Unauthorized' };
  if (!auth.authorize) return { allowed: true, user: who.user };
  const attrs = kubeletRequestAttributes(who.user, method, path, auth.nodeName);
  const described = `(user=${attrs.user.username}, verb=${attrs.verb}, resource=${attrs.resource}, subresource=${attrs.subresource})`;
  try {
    if (await auth.authorize(attrs)) return { allowed: true, user: who.user };
    return { allowed: false, code: 403, message: `Forbidden ${described}` };
  } catch {
    return { allowed: false, code: 500, message: `Authorization error ${described}` };
  }
}
