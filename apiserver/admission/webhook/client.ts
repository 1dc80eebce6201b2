/**
 * One HTTPS POST of a review (AdmissionReview, ConversionReview) to a webhook (undici), with the
 * webhook's timeout.
 * Failures are described as upstream's Go client would (`Post "<url>": context deadline
 * exceeded`, `dial tcp <addr>: connect: connection refused`, `x509: certificate signed by
 * unknown authority`) so that `failed calling webhook` messages read the same.
 */
import { Agent, request } from 'undici';
import type { WebhookClientConfig } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import { resolveWebhookTarget, type WebhookResolveContext, type WebhookTarget } from './resolve.ts';

/** Thrown with the reason after `failed to call webhook: `. */
export class WebhookTransportError extends Error {}

/** Go's duration text for whole seconds (`10s`, `1m0s`). */
export function goSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/**
 * Resolves `cc` and POSTs `body` as JSON; resolves to the parsed JSON response, or throws
 * {@link WebhookTransportError}. A Service that cannot be resolved fails as upstream's client does,
 * after the URL it would have called: `Post "https://<name>.<namespace>.svc:<port><path>?timeout=10s": service "<name>" not found`.
 */
export async function postWebhookReview(ctx: WebhookResolveContext, cc: WebhookClientConfig, body: unknown, timeoutSeconds: number): Promise<unknown> {
  let target: WebhookTarget;
  try {
    target = await resolveWebhookTarget(ctx, cc);
  } catch (err) {
    const ref = cc.service!;
    const url = `https://${ref.name}.${ref.namespace}.svc:${ref.port ?? 443}${ref.path ?? ''}?timeout=${goSeconds(timeoutSeconds)}`;
    throw new WebhookTransportError(`Post "${url}": ${err instanceof Error ? err.message : String(err)}`);
  }
  return postReview(target, body, timeoutSeconds);
}

async function postReview(target: WebhookTarget, body: unknown, timeoutSeconds: number): Promise<unknown> {
  const url = new URL(target.url);
  url.searchParams.set('timeout', goSeconds(timeoutSeconds));
  const shown = url.toString();
  const agent = new Agent({ connect: { ca: target.ca, servername: target.servername, rejectUnauthorized: true } });
  try {
    const res = await request(shown, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new WebhookTransportError(`an error on the server (${JSON.stringify(text.slice(0, 200))}) has prevented the request from succeeding`);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new WebhookTransportError(`failed to decode webhook response: ${err instanceof Error ? err.message : String(err)}`);
    }
  } catch (err) {
    if (err instanceof WebhookTransportError) throw err;
    throw new WebhookTransportError(`Post "${shown}": ${describeTransportError(err, url)}`);
  } finally {
    agent.destroy().catch(() => {});
  }
}

/** Go-style text for a Node/undici network error. */
export function describeTransportError(err: unknown, url: URL): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const address = `${url.hostname}:${url.port || '443'}`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'context deadline exceeded';
  if (code === 'ECONNREFUSED') return `dial tcp ${address}: connect: connection refused`;
  if (code === 'ECONNRESET') return `read tcp ${address}: read: connection reset by peer`;
  if (code === 'ENOTFOUND') return `dial tcp: lookup ${url.hostname}: no such host`;
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `tls: failed to verify certificate: x509: ${e.message ?? e.cause?.message ?? 'certificate is not valid for this host'}`;
  return e.message ?? e.cause?.message ?? String(err);
}
