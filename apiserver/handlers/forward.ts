/**
 * What the API server's two reverse proxies share — the `proxy` subresource (proxy.ts) and the
 * aggregator's proxy to aggregated API servers (../aggregator/proxy.ts): which request headers
 * are forwarded, Go's text for a failed dial, and streaming the backend's answer back.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';

/** Headers that describe one hop (RFC 9110 §7.6.1) or the caller's credentials, never forwarded either way. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'content-length']);

/**
 * The request headers a backend gets: the caller's, less hop-by-hop, credential and
 * impersonation headers (and those starting with one of `dropPrefixes`), with the caller's
 * address appended to `X-Forwarded-For`. Pure.
 */
export function forwardedRequestHeaders(incoming: FastifyRequest['headers'], remoteIp: string, dropPrefixes: readonly string[] = []): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || NOT_FORWARDED.has(name) || name.startsWith('impersonate-') || dropPrefixes.some((p) => name.startsWith(p))) continue;
    headers[name] = value;
  }
  const forwardedFor = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${remoteIp}` : remoteIp;
  return headers;
}

/** Go's text for a failed dial (e.g. `dial tcp 10.0.0.5:443: connect: connection refused`), else the error's own. Pure. */
export function dialErrorText(err: unknown, target: URL): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  const addr = `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
  if (code === 'ECONNREFUSED') return `dial tcp ${addr}: connect: connection refused`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `dial tcp ${addr}: i/o timeout`;
  if (code === 'EHOSTUNREACH') return `dial tcp ${addr}: connect: no route to host`;
  return cause?.message ?? (err as Error).message;
}

/** Sends the backend's status, headers (less hop-by-hop ones) and body; the body is dropped if the caller goes away. */
export function sendBackendResponse(reply: FastifyReply, res: Dispatcher.ResponseData): FastifyReply {
  reply.raw.on('close', () => res.body.destroy());
  reply.code(res.statusCode);
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
  return reply.send(res.body);
}
