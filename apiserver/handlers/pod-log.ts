/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: validates PodLogOptions, finds the pod's node
 * and streams the kubelet's `/containerLogs/…` answer through (upstream `LogREST` with a
 * `LocationStreamer`). A kubelet error body becomes a Status with the kubelet's code and text,
 * e.g. `container "web" in pod "p" is waiting to start: ContainerCreating`.
 */
import type { FastifyReply } from 'fastify';
import { request as undiciRequest } from 'undici';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { forbidden, invalidValue } from '../../pkg/api/validation/field-errors.ts';
import { ApiError, badRequest, invalid, type FieldError } from '../../pkg/errors/index.ts';
import { first, type Query } from '../request/options.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';
import type { RequestScope, ServerContext } from './context.ts';
import { kubeletBaseUrl } from './kubelet-location.ts';
import { getObject } from './read.ts';

/** PodLogOptions as decoded from the query (upstream's parameter codec), before validation. */
export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's `strconv.ParseInt(v, 10, 64)`, failing with its text as a 400. */
function parseInt64(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > INT64_MAX || n < INT64_MIN) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

/**
 * Decodes PodLogOptions from the query as upstream's parameter codec does: booleans with
 * {@link queryBool} (`follow=True` follows), integers as int64 and `sinceTime` as RFC 3339, a value
 * that does not decode being a 400 with Go's text (e.g. `strconv.ParseInt: parsing "abc": invalid
 * syntax`). Pure.
 */
export function decodeLogOptions(query: Query): PodLogOptions {
  const int = (key: string) => {
    const v = first(query, key);
    return v === undefined ? undefined : parseInt64(v);
  };
  const sinceTime = first(query, 'sinceTime');
  if (sinceTime !== undefined && (!RFC3339.test(sinceTime) || Number.isNaN(Date.parse(sinceTime)))) {
    throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
  }
  return {
    container: first(query, 'container') || undefined,
    follow: queryBool(first(query, 'follow')),
    previous: queryBool(first(query, 'previous')),
    timestamps: queryBool(first(query, 'timestamps')),
    sinceSeconds: int('sinceSeconds'),
    sinceTime,
    tailLines: int('tailLines'),
    limitBytes: int('limitBytes'),
  };
}

/** PodLogOptions validation (upstream `ValidatePodLogOptions`): the 422 causes. Pure. */
export function validateLogOptions(opts: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(invalidValue('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(invalidValue('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) errs.push(invalidValue('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) errs.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  return errs;
}

/** The kubelet's `/containerLogs` query for decoded options, as upstream's `LogLocation` writes it: only what is set, booleans as `true`. Pure. */
export function kubeletLogQuery(opts: PodLogOptions): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['follow', 'previous', 'timestamps'] as const) if (opts[key]) params.set(key, 'true');
  for (const key of ['sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes'] as const) if (opts[key] !== undefined) params.set(key, String(opts[key]));
  return params;
}

export interface PodShape {
  spec?: { nodeName?: string; containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
}

/** Picks the container as upstream: the only one, or the `kubectl.kubernetes.io/default-container` annotation, else an error. */
export function logContainer(pod: KubeObject & PodShape, requested: string | undefined): string {
  const containers = pod.spec?.containers ?? [];
  const all = [...(pod.spec?.initContainers ?? []), ...containers, ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0].name;
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && all.includes(annotated)) return annotated;
  throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]${pod.spec?.initContainers?.length ? ` or one of the init containers: [${pod.spec.initContainers.map((c) => c.name).join(' ')}]` : ''}`);
}

/** Streams the log; resolves when the response is complete. */
export async function streamPodLog(ctx: ServerContext, scope: RequestScope, query: Query, reply: FastifyReply): Promise<FastifyReply> {
  const opts = decodeLogOptions(query);
  const errors = validateLogOptions(opts);
  if (errors.length) throw invalid({ group: '', kind: 'PodLogOptions', name: '', errors });
  const pod = (await getObject(ctx, scope)) as KubeObject & PodShape;
  const container = logContainer(pod, opts.container);
  const base = await kubeletBaseUrl(ctx, scope, pod);
  const params = kubeletLogQuery(opts);
  const url = `${base}/containerLogs/${encodeURIComponent(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name ?? '')}/${encodeURIComponent(container)}?${params}`;
  let res;
  try {
    res = await undiciRequest(url, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 0, ...(ctx.kubelet?.dispatcher ? { dispatcher: ctx.kubelet.dispatcher } : {}) });
  } catch (err) {
    throw new ApiError({ code: 500, reason: 'InternalError', message: `Get "${url}": ${(err as Error).message}` });
  }
  if (res.statusCode >= 300) {
    const text = (await res.body.text()).trim();
    const reason = res.statusCode === 404 ? 'NotFound' : res.statusCode === 400 ? 'BadRequest' : 'InternalError';
    throw new ApiError({ code: res.statusCode === 404 || res.statusCode === 400 ? res.statusCode : 500, reason, message: text });
  }
  reply.raw.on('close', () => res.body.destroy());
  return reply.code(200).header('content-type', 'text/plain').header('cache-control', 'no-cache').send(res.body);
}
