/**
 * Who may call the kubelet API (upstream kubelet's auth filter). Authentication: an x509 client
 * certificate verified against `--client-ca-file` (user = CN, groups = O), a presented but
 * unverifiable one refused; without one the caller is `system:anonymous` when `--anonymous-auth`,
 * else refused (401). Authorization of `nodes/<subresource>` named after this node
 * (`--authorization-mode`): AlwaysAllow, or Webhook — the API server's answer to a
 * SubjectAccessReview, cached as upstream caches it.
 */
import type { Socket } from 'node:net';
import { authenticate } from '../../pkg/auth/authenticate.ts';
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

/** Authenticates and authorizes one request arriving on `socket`. Never throws. */
export async function checkKubeletRequest(auth: KubeletApiAuth, socket: Socket, method: string, path: string): Promise<KubeletAuthVerdict> {
  // Bearer tokens are not looked at: without a token webhook upstream's kubelet ignores them too.
  const who = authenticate({ peer: peerFacts(socket) });
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
