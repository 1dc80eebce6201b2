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
import type { Query } from '../request/options.ts';
import type { RequestScope, ServerContext } from './context.ts';
import { kubeletBaseUrl } from './kubelet-location.ts';
import { getObject } from './read.ts';

const PASSED = ['follow', 'previous', 'timestamps', 'sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes'] as const;

function first(query: Query, key: string): string | undefined {
  const v = query[key];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
}

/** PodLogOptions validation (upstream `ValidatePodLogOptions`). Pure. */
export function validateLogOptions(query: Query): FieldError[] {
  const errs: FieldError[] = [];
  const intField = (key: string, min: number, message: string) => {
    const v = first(query, key);
    if (v === undefined) return;
    if (!/^-?\d+$/.test(v)) errs.push(invalidValue(key, v, 'must be an integer'));
    else if (Number(v) < min) errs.push(invalidValue(key, Number(v), message));
  };
  intField('tailLines', 0, 'must be greater than or equal to 0');
  intField('limitBytes', 1, 'must be greater than 0');
  intField('sinceSeconds', 1, 'must be greater than 0');
  if (first(query, 'sinceSeconds') !== undefined && first(query, 'sinceTime') !== undefined) errs.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  return errs;
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
  const errors = validateLogOptions(query);
  if (errors.length) throw invalid({ group: '', kind: 'PodLogOptions', name: '', errors });
  const pod = (await getObject(ctx, scope)) as KubeObject & PodShape;
  const container = logContainer(pod, first(query, 'container'));
  const base = await kubeletBaseUrl(ctx, scope, pod);
  const params = new URLSearchParams();
  for (const key of PASSED) {
    const v = first(query, key);
    if (v !== undefined) params.set(key, v);
  }
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
