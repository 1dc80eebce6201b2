/**
 * Upgrade requests (WebSocket, SPDY) to the group versions of aggregated API servers — KubeVirt's
 * `virtualmachineinstances/<name>/console` and `/vnc`, an aggregated server's exec or
 * port-forward — proxied as upstream's proxyHandler does through the UpgradeAwareHandler: the
 * request has been authenticated and authorized by this server already; it is dialled straight
 * to a ready endpoint of the APIService's Service over TLS with the same trust (`caBundle` against
 * `<service>.<namespace>.svc`, or `insecureSkipTLSVerify`) and proxy client certificate as plain
 * proxied requests, with the caller in `X-Remote-User` / `X-Remote-Group` / `X-Remote-Extra-*`
 * (the caller's own credentials, impersonation and front-proxy headers removed) and its address
 * appended to `X-Forwarded-For`. The backend's `101` and then the raw bytes go both ways until
 * either side closes; an error answer (≥ 400) is relayed as is. An unavailable APIService, or one
 * whose backend cannot be resolved, is the plain-text 503 `service unavailable` of plain requests;
 * a backend that cannot be dialled, or answers neither 101 nor an error, is upstream's responder:
 * a plain-text 503 with the error's text.
 */
import { proxyUpgrade } from '../../pkg/net/upgrade-proxy.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { FastifyBaseLogger } from 'fastify';
import { dialErrorText } from '../handlers/forward.ts';
import type { UpgradeHandler } from '../handlers/upgrade-routes.ts';
import type { Aggregator } from './controller.ts';
import { aggregatedPath, backendOrigin, SERVICE_UNAVAILABLE, upgradeBackendHeaders } from './proxy.ts';

/** The text of a failed upgrade proxy attempt: Go's text for a failed dial (from the socket error in `cause`), else the error's own. Pure. */
export function upgradeErrorText(err: Error, target: URL): string {
  return err.cause instanceof Error ? dialErrorText(err.cause, target) : err.message;
}

/** The handler for upgrades under the group versions of registered remote APIServices (others are left to the next handler). */
export function aggregatorUpgradeHandler(options: { storage: Storage; keyPrefix: string; aggregator: Pick<Aggregator, 'hasRemotes' | 'remote' | 'agents'>; log: Pick<FastifyBaseLogger, 'info'> }): UpgradeHandler {
  const { aggregator } = options;
  return async (exchange, head, user) => {
    if (!aggregator.hasRemotes()) return false;
    const { req, socket } = exchange;
    const gv = aggregatedPath(req.url ?? '');
    const remote = gv && aggregator.remote(gv.group, gv.version);
    if (!remote) return false;
    if (!remote.available) {
      exchange.failText(503, SERVICE_UNAVAILABLE);
      return true;
    }
    const svc = remote.apiService;
    let origin: string;
    try {
      origin = await backendOrigin(options.storage, options.keyPrefix, svc);
    } catch (err) {
      options.log.info({ err, apiService: svc.metadata.name }, 'cannot resolve aggregated API server');
      exchange.failText(503, SERVICE_UNAVAILABLE);
      return true;
    }
    const target = new URL(`${origin}${req.url ?? '/'}`);
    await proxyUpgrade(req, socket, head, target, {
      tls: aggregator.agents.tlsFor(svc),
      headers: upgradeBackendHeaders(req.headers, user, req.socket.remoteAddress ?? ''),
      onRelay: () => exchange.handedOver(),
      onError: (err) => {
        options.log.info({ err, apiService: svc.metadata.name }, 'error while proxying upgrade request');
        exchange.failText(503, upgradeErrorText(err, target));
      },
    });
    return true;
  };
}
