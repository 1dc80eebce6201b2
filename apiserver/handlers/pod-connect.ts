/**
 * `pods/exec`, `pods/attach` and `pods/portforward` upgrades (SPDY or WebSocket): validates the
 * request as upstream does (container choice, a command for exec, at least one stream, a pod
 * that is not finished), then proxies the upgrade to the pod's kubelet, which proxies it to the
 * runtime's streaming server — protocol negotiation stays between kubectl and the runtime.
 * Errors before the upgrade answer with a Status; a kubelet that cannot be reached (or answers
 * neither 101 nor an error) is a 500 Status naming the failure, as upstream's.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, badRequest, notFound } from '../../pkg/errors/index.ts';
import { proxyUpgrade } from '../../pkg/net/upgrade-proxy.ts';
import type { ServerContext } from './context.ts';
import { kubeletBaseUrl } from './kubelet-location.ts';
import { logContainer, type PodShape } from './pod-log.ts';
import { getObject } from './read.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';
import { decodePathSegments, parseRequestTarget } from '../../pkg/net/request-target.ts';
import type { UpgradeExchange } from './upgrade-exchange.ts';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/** The kubelet path and query for a validated connect request. Pure apart from the pod. */
export function kubeletStreamPath(kind: string, pod: KubeObject & PodShape & { status?: { phase?: string } }, query: URLSearchParams): string {
  const ns = encodeURIComponent(pod.metadata.namespace ?? '');
  const name = encodeURIComponent(pod.metadata.name ?? '');
  if (kind === 'portforward') return `/portForward/${ns}/${name}?${query}`;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${kind} into a container in a completed pod; current phase is ${phase}`);
  const container = logContainer(pod, query.get('container') ?? undefined);
  if (kind === 'exec' && query.getAll('command').length === 0) throw badRequest('you must specify at least one command for the container');
  if (!queryBool(query.get('stdin')) && !queryBool(query.get('stdout')) && !queryBool(query.get('stderr'))) throw badRequest('you must specify at least one of stdin, stdout, stderr');
  return `/${kind}/${ns}/${name}/${encodeURIComponent(container)}?${query}`;
}

/** Handles an upgrade request on the API server; false when the URL is not a pod connect path. */
export async function handlePodConnectUpgrade(ctx: ServerContext, exchange: UpgradeExchange, head: Buffer): Promise<boolean> {
  const { req, socket } = exchange;
  const url = parseRequestTarget(req.url);
  const m = url && PATH.exec(url.pathname);
  if (!url || !m) return false;
  const decoded = decodePathSegments(m.slice(1));
  try {
    if (!decoded) throw badRequest(`invalid URL escape in ${url.pathname}`);
    const [namespace, name, kind] = decoded as [string, string, string];
    if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
    const info = ctx.registry.all().find((i) => i.group === '' && i.kind === 'Pod');
    if (!info) throw notFound({ group: '', resource: 'pods' }, name);
    const scope = { info, namespace, name, subresource: kind, log: ctx.log };
    const pod = (await getObject(ctx, scope)) as KubeObject & PodShape;
    const path = kubeletStreamPath(kind, pod, url.searchParams);
    const base = await kubeletBaseUrl(ctx, scope, pod);
    await proxyUpgrade(req, socket, head, new URL(`${base}${path}`), {
      tls: ctx.kubelet?.tls,
      onRelay: () => exchange.handedOver(),
      // Upstream's responder: a plain error becomes a 500 Status with no reason.
      onError: (err) => exchange.fail(new ApiError({ code: 500, reason: '', message: err.message })),
    });
  } catch (err) {
    if (err instanceof ApiError) exchange.fail(err);
    else exchange.panicked(err);
  }
  return true;
}
