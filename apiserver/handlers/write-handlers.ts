/**
 * POST, PUT and PATCH of a resource (and of its `/status`): request options, body decoding,
 * then the shared create/update paths.
 */
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import { badRequest, invalid, unsupportedMediaType } from '../../pkg/errors/index.ts';
import { serverSideApply } from '../apply/index.ts';
import { firstDuplicateEntry, typedPath, validationErrorsText } from '../apply/typed-patch.ts';
import { MAX_NESTING_DEPTH, mediaTypeOf, valueDepth } from '../request/body.ts';
import { decodePatched } from './patch-decode.ts';
import { parseWriteOptions, type Query } from '../request/options.ts';
import { allowsCreateOnUpdate } from '../strategies/create-on-update.ts';
import { rfc3339 } from '../strategies/time.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { checkTypeMeta, decodeBody, decodeOrBadRequest } from './decode-body.ts';
import { isCustomResource } from './objects.ts';
import { createObject } from './write-create.ts';
import { updateObject } from './write-update.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

type Body = Buffer | undefined;

export async function createHandler(ctx: ServerContext, scope: RequestScope, query: Query, body: Body, contentType: string | undefined): Promise<HandlerResult> {
  const options = parseWriteOptions(query, scope.userAgent, 'CreateOptions');
  const { object, warnings } = decodeBody(scope.info, body, contentType, options.fieldValidation);
  const created = await createObject(ctx, scope, object, { dryRun: options.dryRun, fieldManager: options.fieldManager, rejectResourceVersion: true });
  return { code: 201, body: created, warnings };
}

export async function updateHandler(ctx: ServerContext, scope: RequestScope, query: Query, body: Body, contentType: string | undefined): Promise<HandlerResult> {
  const options = parseWriteOptions(query, scope.userAgent, 'UpdateOptions');
  const { object, warnings } = decodeBody(scope.info, body, contentType, options.fieldValidation);
  const name = scope.name as string;
  if (object.metadata.name !== name) {
    throw badRequest(`the name of the object (${object.metadata.name ?? ''}) does not match the name on the URL (${name})`);
  }
  if (scope.info.namespaced && object.metadata.namespace && scope.namespace && object.metadata.namespace !== scope.namespace) {
    throw badRequest(`the namespace of the object (${object.metadata.namespace}) does not match the namespace on the request (${scope.namespace})`);
  }
  const result = await updateObject(ctx, scope, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    allowCreate: !scope.subresource && allowsCreateOnUpdate(scope.info),
    honourResourceVersion: true,
    compute: () => ({ object: copyJson(object) }),
  });
  return { code: result.created ? 201 : 200, body: result.object, warnings };
}

const APPLY_TYPES = new Set(['application/apply-patch+yaml', 'application/apply-patch+json']);
const PATCH_TYPES = new Set(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', ...APPLY_TYPES]);

export async function patchHandler(ctx: ServerContext, scope: RequestScope, query: Query, body: Body, contentType: string | undefined): Promise<HandlerResult> {
  const { info } = scope;
  const media = mediaTypeOf(contentType);
  if (!PATCH_TYPES.has(media)) throw unsupportedMediaType(contentType ?? '');
  const options = parseWriteOptions(query, scope.userAgent, 'PatchOptions');
  const patchBody = body ?? Buffer.alloc(0);
  if (APPLY_TYPES.has(media)) return applyHandler(ctx, scope, options, patchBody);
  if (query.force !== undefined) {
    throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions', name: '', errors: [{ type: 'FieldValueForbidden', field: 'force', detail: 'Forbidden: may not be specified for non-apply patch' }] });
  }
  let warnings: string[] = [];
  const result = await updateObject(ctx, scope, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    allowCreate: false,
    honourResourceVersion: true,
    alwaysRetryConflicts: true,
    compute: async (current) => {
      const original = current as KubeObject;
      const patched = await ctx.applyPatch({ contentType: media, original, patchBody, patchMeta: info.patchMeta, isCustomResource: isCustomResource(info) });
      if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
        throw badRequest(`json: cannot unmarshal ${Array.isArray(patched) ? 'array' : typeof patched} into Go value of type map[string]interface {}`);
      }
      const input = copyJson(patched) as Record<string, unknown>;
      checkTypeMeta(input, info);
      const decoded = decodePatched(info, { media, patchBody, patched: input }, options.fieldValidation);
      warnings = decoded.warnings;
      decoded.object.metadata ??= {};
      return { object: decoded.object };
    },
  });
  return { code: 200, body: result.object, warnings };
}

async function applyHandler(ctx: ServerContext, scope: RequestScope, options: ReturnType<typeof parseWriteOptions>, patchBody: Buffer): Promise<HandlerResult> {
  const { info } = scope;
  if (!options.fieldManagerGiven) {
    throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions', name: '', errors: [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'Required value: is required for apply patch' }] });
  }
  let applied: unknown;
  try {
    applied = parseYaml(patchBody.toString('utf8'), { maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
  if (valueDepth(applied) > MAX_NESTING_DEPTH) throw badRequest('error decoding YAML: the document is cyclic or nested too deeply');
  applied = JSON.parse(JSON.stringify(applied ?? null));
  if (applied === null || typeof applied !== 'object' || Array.isArray(applied)) throw badRequest('error decoding YAML: the patch is not an object');
  const input = applied as Record<string, unknown>;
  checkTypeMeta(input, info);
  // A type error is create's 400; unknown fields are left to the typed conversion below.
  const { object: appliedObject, unknownFields } = decodeOrBadRequest(info, input, { fieldValidation: 'Ignore' });
  appliedObject.metadata ??= {};
  const name = scope.name as string;
  if (appliedObject.metadata.name && appliedObject.metadata.name !== name) {
    throw badRequest(`the name of the object (${appliedObject.metadata.name}) does not match the name on the URL (${name})`);
  }
  appliedObject.metadata.name = name;
  if (info.namespaced) {
    if (appliedObject.metadata.namespace && scope.namespace && appliedObject.metadata.namespace !== scope.namespace) {
      throw badRequest(`the namespace of the object (${appliedObject.metadata.namespace}) does not match the namespace on the request (${scope.namespace})`);
    }
    appliedObject.metadata.namespace = scope.namespace;
  }
  // structured-merge-diff's typed conversion of the patch, strict whatever fieldValidation says
  // (upstream answers it with a 500; bad input is a 400 here).
  const typeErrors = unknownFields.map((path) => `${typedPath(input, path, info.patchMeta)}: field not declared in schema`).sort();
  const duplicate = typeErrors.length ? undefined : firstDuplicateEntry(appliedObject as Record<string, unknown>, info.patchMeta);
  if (duplicate) typeErrors.push(`${duplicate.list}: duplicate entries for key ${duplicate.key}`);
  if (typeErrors.length) {
    const object = `${info.namespaced ? (scope.namespace ?? '') : ''}/${name}; ${info.group}/${info.version}, Kind=${info.kind}`;
    throw badRequest(`failed to create typed patch object (${object}): ${validationErrorsText(typeErrors)}`);
  }
  const now = rfc3339(ctx.clock.now());
  const result = await updateObject(ctx, scope, {
    dryRun: options.dryRun,
    fieldManager: options.fieldManager,
    allowCreate: !scope.subresource,
    honourResourceVersion: true,
    compute: (current) => {
      const merged = serverSideApply({
        live: current,
        applied: appliedObject,
        manager: options.fieldManager,
        force: options.force,
        subresource: scope.subresource,
        apiVersion: groupVersion(info),
        patchMeta: info.patchMeta,
        now,
        hasStatusSubresource: info.subresources.status,
      });
      merged.apiVersion = groupVersion(info);
      merged.kind = info.kind;
      // Only a resourceVersion the client applied is a precondition.
      if (appliedObject.metadata.resourceVersion) merged.metadata.resourceVersion = appliedObject.metadata.resourceVersion;
      else delete merged.metadata.resourceVersion;
      return { object: merged, managedFieldsDone: true };
    },
  });
  return { code: result.created ? 201 : 200, body: result.object };
}

