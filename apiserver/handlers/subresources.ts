/**
 * Subresources other than `status`: `scale` (autoscaling/v1 Scale), `pods/binding`,
 * `serviceaccounts/token` (when the server issues tokens), and the connect subresources
 * (`log`, `exec`, `attach`, `portforward`) reached without the streaming their own handlers
 * serve (pod-log.ts, pod-connect.ts), which answer with a Status. `proxy` is proxy.ts.
 */
import { z } from 'zod';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { kubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { ApiError, badRequest, conflict, methodNotAllowed, notFound, unsupportedMediaType } from '../../pkg/errors/index.ts';
import { mediaTypeOf } from '../request/body.ts';
import { decodePatched } from './patch-decode.ts';
import { parseWriteOptions, type Query } from '../request/options.ts';
import { applyScale, toScale } from '../strategies/scale.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { checkTypeMeta, decodeBody } from './decode-body.ts';
import { qualifiedResource, toServed, toStored } from './objects.ts';
import { keyOf } from './context.ts';
import { storageCall } from './storage-errors.ts';
import { rfc3339 } from '../strategies/time.ts';
import { getObject } from './read.ts';
import { updateObject } from './write-update.ts';
import { handleEviction } from './eviction.ts';
import { handleTokenRequest } from './token-request.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

/** Pod subresources that stream through a kubelet. */
export const POD_CONNECT_SUBRESOURCES = ['attach', 'exec', 'log', 'portforward', 'proxy'] as const;

function isPod(info: ResourceInfo): boolean {
  return info.group === '' && info.kind === 'Pod';
}

/** Whether a subresource is read and written like `status` (the object itself): `status`, `finalize` and a kind's `updateSubresources`. */
export function isObjectSubresource(info: ResourceInfo, sub: string | undefined): boolean {
  return sub === 'status' || sub === 'finalize' || !!(sub && info.updateSubresources?.[sub]);
}

/** Whether the URL's subresource exists for this resource. */
export function isKnownSubresource(info: ResourceInfo, sub: string): boolean {
  if (info.updateSubresources?.[sub]) return true;
  if (sub === 'status') return info.subresources.status;
  if (sub === 'scale') return !!info.subresources.scale;
  if (isPod(info)) return sub === 'binding' || sub === 'eviction' || (POD_CONNECT_SUBRESOURCES as readonly string[]).includes(sub);
  if (info.group === '' && (info.kind === 'Service' || info.kind === 'Node')) return sub === 'proxy';
  if (info.group === '' && info.kind === 'Namespace') return sub === 'finalize';
  return false;
}

/** The parts of a request a subresource handler reads. */
export interface SubresourceRequest {
  method: string;
  query: Query;
  body: Buffer | undefined;
  contentType: string | undefined;
}

const ScaleSchema = kubeObject({
  spec: z.object({ replicas: z.number().int().optional() }).optional(),
  status: z.object({ replicas: z.number().int().optional(), selector: z.string().optional() }).optional(),
});
const scaleType = { group: 'autoscaling', version: 'v1', kind: 'Scale', schema: ScaleSchema };

const BindingSchema = kubeObject({
  target: z.object({ kind: z.string().optional(), name: z.string().optional(), namespace: z.string().optional(), apiVersion: z.string().optional() }).optional(),
});
const bindingType = { group: '', version: 'v1', kind: 'Binding', schema: BindingSchema };

/** Serves `scale`, `binding`, `eviction` and the connect subresources. */
export async function handleSubresource(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest): Promise<HandlerResult> {
  switch (scope.subresource) {
    case 'scale':
      return handleScale(ctx, scope, req);
    case 'binding':
      if (req.method !== 'POST') throw methodNotAllowed();
      return handleBinding(ctx, scope, req);
    case 'eviction':
      if (req.method !== 'POST') throw methodNotAllowed();
      return handleEviction(ctx, scope, req, await getObject(ctx, scope));
    case 'token':
      if (req.method !== 'POST') throw methodNotAllowed();
      return handleTokenRequest(ctx, scope, req);
    default:
      return handleConnect(ctx, scope);
  }
}

/**
 * log / exec / attach / portforward / proxy: the object must exist (404) and a pod must be bound
 * to a node (400 as upstream); streaming to a kubelet is not wired yet (503).
 */
async function handleConnect(ctx: ServerContext, scope: RequestScope): Promise<HandlerResult> {
  const obj = await getObject(ctx, scope);
  if (isPod(scope.info) && !((obj.spec ?? {}) as { nodeName?: string }).nodeName) {
    throw badRequest(`pod ${scope.name} does not have a host assigned`);
  }
  throw new ApiError({
    code: 503,
    reason: 'ServiceUnavailable',
    message: `no kubelet connection is available to serve ${scope.info.plural}/${scope.subresource} for "${scope.name}"`,
  });
}

/**
 * A Scale answer, printed as upstream's Scale table (`kubectl get deploy/x --subresource=scale`:
 * NAME DESIRED AVAILABLE AGE). A custom resource's Scale is never converted: the route negotiates
 * no Table for it.
 */
function scaleResult(body: KubeObject, warnings?: string[]): HandlerResult {
  return { code: 200, body, tableKind: { group: scaleType.group, kind: scaleType.kind }, warnings };
}

async function handleScale(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest): Promise<HandlerResult> {
  const mapping = scope.info.subresources.scale!;
  if (req.method === 'GET') return scaleResult(toScale(await getObject(ctx, scope), mapping));
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed();
  const options = parseWriteOptions(req.query, scope.userAgent, req.method === 'PUT' ? 'UpdateOptions' : 'PatchOptions');
  let warnings: string[] = [];
  const result = await updateObject(ctx, { ...scope, subresource: 'scale' }, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    allowCreate: false,
    honourResourceVersion: true,
    alwaysRetryConflicts: req.method === 'PATCH',
    compute: async (current) => {
      const obj = current as KubeObject;
      let scale: KubeObject;
      if (req.method === 'PUT') {
        const decoded = decodeBody(scaleType, req.body, req.contentType, options.fieldValidation);
        scale = decoded.object;
        warnings = decoded.warnings;
      } else {
        const media = mediaTypeOf(req.contentType);
        if (media.startsWith('application/apply-patch')) throw unsupportedMediaType(req.contentType ?? '');
        const base = toScale(obj, mapping);
        const patched = (await ctx.applyPatch({ contentType: media, original: base, patchBody: req.body ?? '', patchMeta: {}, isCustomResource: false })) as Record<string, unknown>;
        checkTypeMeta(patched, scaleType);
        scale = decodePatched(scaleType, { media, patchBody: req.body ?? '', patched }, options.fieldValidation).object;
      }
      if (scale.metadata?.name && scale.metadata.name !== scope.name) {
        throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${scope.name})`);
      }
      const next = applyScale(obj, scale as { spec?: { replicas?: number } }, mapping);
      if (scale.metadata?.resourceVersion) next.metadata.resourceVersion = scale.metadata.resourceVersion;
      else delete next.metadata.resourceVersion;
      return { object: next };
    },
  });
  return scaleResult(toScale(result.object, mapping), warnings);
}

async function handleBinding(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest): Promise<HandlerResult> {
  const options = parseWriteOptions(req.query, scope.userAgent, 'CreateOptions');
  const { object: binding, warnings } = decodeBody(bindingType, req.body, req.contentType, options.fieldValidation);
  const name = scope.name ?? binding.metadata.name;
  if (!name) throw badRequest('name is required for bindings');
  if (scope.name && binding.metadata.name && binding.metadata.name !== scope.name) {
    throw badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${scope.name})`);
  }
  const target = (binding as { target?: { kind?: string; name?: string } }).target ?? {};
  const qr = qualifiedResource(scope.info, 'binding');
  if (target.kind && target.kind !== 'Node') throw badRequest(`Binding: target.kind: Unsupported value: "${target.kind}"`);
  if (!target.name) throw ApiError.fromStatus({ code: 422, reason: 'Invalid', message: `Binding.core "${name}" is invalid: target.name: Required value`, details: { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] } });
  const now = rfc3339(ctx.clock.now());
  const info = scope.info;
  const key = keyOf(ctx, info, scope.namespace, name);
  // Binding writes the stored pod directly (upstream BindingREST): no update validation, which
  // would refuse a spec change. Pods have no conversion webhook, so both conversions are synchronous.
  const bind = (stored: KubeObject | undefined): KubeObject => {
    if (!stored) throw notFound(qualifiedResource(info), name);
    const pod = copyJson(toServed(info, stored) as KubeObject) as KubeObject & { spec?: { nodeName?: string }; status?: { conditions?: Array<Record<string, unknown>> } };
    if (pod.metadata.deletionTimestamp) throw conflict(qr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict(qr, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    // The copy is this request's own: set fields in place (spreading into a new object with an
    // added key is a slow path of V8).
    (pod.spec ??= {}).nodeName = target.name;
    if (binding.metadata.annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...binding.metadata.annotations };
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
    (pod.status ??= {}).conditions = conditions;
    return toStored(info, pod) as KubeObject;
  };
  if (options.dryRun) bind(await storageCall(qr, name, () => ctx.storage.get(key)));
  else await storageCall(qr, name, () => ctx.storage.guaranteedUpdate(key, bind));
  return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, transformable: false, warnings };
}
