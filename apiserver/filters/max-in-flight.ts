/**
 * Upstream's `WithMaxInFlightLimit` (`--max-requests-inflight` 400, `--max-mutating-requests-inflight`
 * 200): at most that many read-only and mutating requests are served at once; one more is refused
 * at once with 429 and `Retry-After: 1`, so clients back off instead of every request waiting
 * longer and longer behind all the others (1,000 hollow kubelets and the controllers made a single
 * Node.js API server queue requests past their 60 s client timeouts, whose retries queued more).
 * Long-running requests (watch, proxy; exec, attach, portforward, log, proxy subresources) and
 * members of system:masters are not counted, as upstream.
 */
import type { FastifyInstance } from 'fastify';
import { parseResourcePath } from '../request/path.ts';
import { LONG_RUNNING_SUBRESOURCES } from '../request/long-running.ts';

/** The limits; 0 = no limit of that kind. */
export interface MaxInFlightLimits {
  readOnly: number;
  mutating: number;
}

/** Upstream's defaults. */
export const DEFAULT_MAX_IN_FLIGHT: MaxInFlightLimits = { readOnly: 400, mutating: 200 };

/** The kind of request a limit counts. */
export type InFlightKind = 'readOnly' | 'mutating';

const PROXY_PATH = /\/(?:pods|services|nodes)\/[^/]+\/proxy(?:\/|$)/;

/**
 * How a request counts (pure): undefined for a long-running one, else read-only (GET, HEAD,
 * OPTIONS) or mutating. `url` is the request target with its query.
 */
export function inFlightKind(method: string, url: string): InFlightKind | undefined {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  // The proxy subresources carry a path of their own, which is no resource path.
  if (PROXY_PATH.test(pathname)) return undefined;
  // The resource route parses the path again; here it is parsed only when it may be long-running
  // (a percent-encoded path may spell `watch` or a subresource in escapes).
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  const watchQuery = method === 'GET' && /(?:^|&)watch=(?:true|1)(?:&|$)/.test(query);
  if (watchQuery || LONG_RUNNING_SUBRESOURCES.has(last) || pathname.includes('/watch/') || pathname.includes('%')) {
    const path = parseResourcePath(pathname);
    if (path && (watchQuery || path.legacyWatch || (path.subresource !== undefined && LONG_RUNNING_SUBRESOURCES.has(path.subresource)))) return undefined;
  }
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'readOnly' : 'mutating';
}

/** Body of the 429, as upstream's `tooManyRequests` writes it (plain text). */
export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests, please try again later.\n';

/**
 * Installs the limit as an onRequest hook; call after the authentication hook so a request's user
 * is known (system:masters is exempt). `onChange` sees the in-flight count of a kind after each
 * change (the `apiserver_current_inflight_requests` gauge).
 */
export function installMaxInFlightLimit(app: FastifyInstance, limits: MaxInFlightLimits, onChange?: (kind: InFlightKind, count: number) => void): void {
  if (limits.readOnly <= 0 && limits.mutating <= 0) return;
  const inFlight: Record<InFlightKind, number> = { readOnly: 0, mutating: 0 };
  app.addHook('onRequest', (request, reply, done) => {
    const kind = inFlightKind(request.method, request.url);
    const limit = kind === undefined ? 0 : limits[kind];
    if (kind === undefined || limit <= 0 || request.k8sUser?.groups.includes('system:masters')) return done();
    if (inFlight[kind] >= limit) {
      void reply.code(429).header('retry-after', '1').header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(TOO_MANY_REQUESTS_MESSAGE);
      return;
    }
    inFlight[kind]++;
    onChange?.(kind, inFlight[kind]);
    // 'close' fires once the response is written or the connection went away, whichever first.
    reply.raw.once('close', () => {
      inFlight[kind]--;
      onChange?.(kind, inFlight[kind]);
    });
    done();
  });
}
