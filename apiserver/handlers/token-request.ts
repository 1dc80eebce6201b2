/**
 * `serviceaccounts/<name>/token` (authentication.k8s.io/v1 TokenRequest, what `kubectl create
 * token` and kubelets' projected volumes post): issues a signed service-account token for the
 * ServiceAccount, optionally bound to a Pod, Secret or Node, as upstream's TokenREST. Served only
 * when the server has a signing key (`--service-account-signing-key-file`).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { tokenRequestType, validateTokenRequest, type BoundObjectReference, type TokenRequest } from '../../pkg/api/authentication/v1/token-request.ts';
import { invalidValue } from '../../pkg/api/validation/field-errors.ts';
import { boundTokenClaims, type BoundObject, type ClaimRef } from '../../pkg/auth/serviceaccount-claims.ts';
import { signJwt } from '../../pkg/auth/serviceaccount-jwt.ts';
import { ApiError, badRequest, conflict, invalid } from '../../pkg/errors/index.ts';
import type { ServiceAccountTokenConfig } from '../auth/serviceaccount-keys.ts';
import { parseWriteOptions } from '../request/options.ts';
import { rfc3339 } from '../strategies/time.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { decodeBody } from './decode-body.ts';
import { getObject } from './read.ts';
import type { SubresourceRequest } from './subresources.ts';

const GROUP = 'authentication.k8s.io';

/** Whether `<resource>/<sub>` is the token subresource and this server issues tokens. Pure. */
export function servesTokenRequest(config: ServiceAccountTokenConfig | undefined, info: Pick<ResourceInfo, 'group' | 'kind'>, sub: string): boolean {
  return sub === 'token' && info.group === '' && info.kind === 'ServiceAccount' && !!config?.issuing;
}

/** Go's `GroupVersionKind.String()`: `group/version, Kind=kind`. Pure. */
function gvkString(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

/** `apiVersion` → group and version (`v1` → core). Pure. */
function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const refOf = (obj: KubeObject): ClaimRef => ({ name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' });

/** Reads a core/v1 object of `plural` (404 with the resource's name when absent). */
function readCore(ctx: ServerContext, scope: RequestScope, plural: string, namespace: string | undefined, name: string): Promise<KubeObject> {
  const info = ctx.registry.lookup('', 'v1', plural);
  if (!info) throw new Error(`core/v1 ${plural} is not registered`);
  return getObject(ctx, { ...scope, info, namespace: info.namespaced ? namespace : undefined, name, subresource: undefined });
}

/** The bound object as upstream's TokenREST resolves it (with a pod, the node it is scheduled to). */
async function resolveBoundObject(ctx: ServerContext, scope: RequestScope, ref: BoundObjectReference, serviceAccount: string): Promise<BoundObject> {
  const { group, version } = splitApiVersion(ref.apiVersion ?? '');
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  let bound: BoundObject;
  let uid: string;
  if (group === '' && kind === 'Pod') {
    const pod = await readCore(ctx, scope, 'pods', scope.namespace, name);
    if (serviceAccount !== ((pod.spec ?? {}) as { serviceAccountName?: string }).serviceAccountName) {
      throw badRequest(`cannot bind token for serviceaccount "${serviceAccount}" to pod running with different serviceaccount name.`);
    }
    const nodeName = ((pod.spec ?? {}) as { nodeName?: string }).nodeName;
    let node: ClaimRef | undefined;
    if (nodeName) {
      // A node that is not found still gives its name (upstream: some indication of where the pod runs).
      node = await readCore(ctx, scope, 'nodes', undefined, nodeName).then(refOf, (err: unknown) => {
        if (err instanceof ApiError && err.code === 404) return { name: nodeName, uid: '' };
        throw err;
      });
    }
    bound = { kind: 'Pod', pod: refOf(pod), ...(node ? { node } : {}) };
    uid = pod.metadata.uid ?? '';
  } else if (group === '' && kind === 'Node') {
    const node = await readCore(ctx, scope, 'nodes', undefined, name);
    bound = { kind: 'Node', node: refOf(node) };
    uid = node.metadata.uid ?? '';
  } else if (group === '' && kind === 'Secret') {
    const secret = await readCore(ctx, scope, 'secrets', scope.namespace, name);
    bound = { kind: 'Secret', secret: refOf(secret) };
    uid = secret.metadata.uid ?? '';
  } else {
    throw badRequest(`cannot bind token to object of type ${gvkString(group, version, kind)}`);
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      { group, resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return bound;
}

/** POST serviceaccounts/<name>/token: 201 with the TokenRequest and its `status.token`. */
export async function handleTokenRequest(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest): Promise<HandlerResult> {
  const config = ctx.serviceAccountTokens;
  const issuing = config?.issuing;
  if (!config || !issuing) throw new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
  const name = scope.name as string;
  const namespace = scope.namespace as string;
  const options = parseWriteOptions(req.query, scope.userAgent, 'CreateOptions');
  const decoded = decodeBody(tokenRequestType, req.body, req.contentType, options.fieldValidation);
  const request = decoded.object as TokenRequest;
  const warnings = [...decoded.warnings];
  const meta = request.metadata;
  if (meta.name && meta.name !== name) {
    throw invalid({ group: GROUP, kind: 'TokenRequest', name, errors: [invalidValue('metadata.name', meta.name, 'must match the service account name if specified')] });
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalid({ group: GROUP, kind: 'TokenRequest', name, errors: [invalidValue('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')] });
  }
  const serviceAccount = await getObject(ctx, scope);
  const spec = { ...request.spec, audiences: request.spec.audiences?.length ? request.spec.audiences : [...config.verification.apiAudiences] };
  // Taken before the token is built, so status.expirationTimestamp is never after the token's exp.
  const now = ctx.clock.now();
  const out: TokenRequest = { ...request, metadata: { ...meta, name: meta.name || name, namespace: meta.namespace || namespace, creationTimestamp: rfc3339(now) }, spec };
  delete out.status;
  const errors = validateTokenRequest(out);
  if (errors.length) throw invalid({ group: GROUP, kind: 'TokenRequest', name: '', errors });
  // A create of serviceaccounts/token to admission (NodeRestriction keeps a node to tokens bound to its own pods).
  const run = ctx.admission.start({ operation: 'CREATE', info: scope.info, subresource: 'token', namespace, name, object: out as KubeObject, dryRun: options.dryRun, user: scope.user, warnings, audit: scope.audit });
  try {
    await run.admit();
    await run.validate();
    const result = await issueToken(ctx, scope, issuing, out, serviceAccount, now, warnings);
    await run.commit();
    return result;
  } catch (err) {
    await run.abort();
    throw err;
  }
}

/** Resolves the bound object and signs the token (upstream TokenREST.Create after admission). */
async function issueToken(ctx: ServerContext, scope: RequestScope, issuing: NonNullable<ServiceAccountTokenConfig['issuing']>, out: TokenRequest, serviceAccount: KubeObject, now: Date, warnings: string[]): Promise<HandlerResult> {
  const { spec } = out;
  const namespace = scope.namespace as string;
  const name = scope.name as string;
  const bound = spec.boundObjectRef ? await resolveBoundObject(ctx, scope, spec.boundObjectRef, name) : undefined;
  if (issuing.maxExpirationSeconds && spec.expirationSeconds > issuing.maxExpirationSeconds) {
    warnings.push(`requested expiration of ${spec.expirationSeconds} seconds shortened to ${issuing.maxExpirationSeconds} seconds`);
    spec.expirationSeconds = issuing.maxExpirationSeconds;
  }
  const claims = boundTokenClaims({
    issuer: issuing.issuer,
    namespace,
    serviceAccount: refOf(serviceAccount),
    audiences: spec.audiences ?? [],
    expirationSeconds: spec.expirationSeconds,
    bound,
    now,
    jti: randomUUID(),
  });
  const token = signJwt(claims, issuing.signingKey);
  const expirationTimestamp = rfc3339(new Date(now.getTime() + spec.expirationSeconds * 1000));
  return { code: 201, body: { ...out, apiVersion: `${GROUP}/v1`, kind: 'TokenRequest', status: { token, expirationTimestamp } }, transformable: false, warnings };
}
