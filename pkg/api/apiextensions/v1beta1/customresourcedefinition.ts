/**
 * apiextensions.k8s.io/v1beta1 CustomResourceDefinition, the form old tutorials still paste
 * (upstream removed it in 1.22; we keep accepting it). Served beside v1 and stored as v1:
 * `spec.version` becomes `spec.versions`, the top-level `validation`, `subresources` and
 * `additionalPrinterColumns` (with `JSONPath`) move into each version, and
 * `preserveUnknownFields` defaults to true as it did in v1beta1; `conversion.webhookClientConfig`
 * and `conversionReviewVersions` move under `conversion.webhook`.
 */
import type { KubeObject } from '../../meta.ts';
import type { ResourceInfo } from '../../resource.ts';
import { customResourceDefinitionResource } from '../v1/customresourcedefinition.ts';
import { copyJson } from '../../../util/json-copy.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** v1beta1 printer column → v1 (`JSONPath` → `jsonPath`). */
function column(c: unknown): unknown {
  if (!isObject(c)) return c;
  const { JSONPath, ...rest } = c;
  return { ...rest, jsonPath: rest.jsonPath ?? JSONPath };
}

/** Converts a decoded-to-JSON v1beta1 CRD to the v1 shape (pure; other input is returned as is). */
export function crdV1beta1ToV1(input: unknown): unknown {
  if (!isObject(input) || !isObject(input.spec)) return input;
  const obj = copyJson(input);
  const spec = obj.spec as Json;
  const { version, validation, subresources, additionalPrinterColumns, ...rest } = spec;
  let versions = Array.isArray(rest.versions) ? (rest.versions as Json[]) : [];
  if (versions.length === 0 && typeof version === 'string') versions = [{ name: version, served: true, storage: true }];
  rest.versions = versions.map((v) => {
    const out: Json = { ...v };
    if (out.schema === undefined && isObject(validation)) out.schema = validation;
    if (out.subresources === undefined && subresources !== undefined) out.subresources = subresources;
    const columns = out.additionalPrinterColumns ?? additionalPrinterColumns;
    if (Array.isArray(columns)) out.additionalPrinterColumns = columns.map(column);
    return out;
  });
  rest.preserveUnknownFields ??= true;
  if (isObject(rest.conversion)) rest.conversion = conversionToV1(rest.conversion);
  obj.spec = rest;
  return obj;
}

/**
 * v1beta1 `conversion` → v1: `webhookClientConfig` and `conversionReviewVersions` (default
 * `["v1beta1"]` for a webhook, as v1beta1 defaulted) move under `webhook`.
 */
function conversionToV1(conversion: Json): Json {
  const { webhookClientConfig, conversionReviewVersions, ...rest } = conversion;
  if (rest.webhook !== undefined || (webhookClientConfig === undefined && conversionReviewVersions === undefined && rest.strategy !== 'Webhook')) return conversion;
  const versions = conversionReviewVersions ?? (rest.strategy === 'Webhook' ? ['v1beta1'] : undefined);
  return { ...rest, webhook: { clientConfig: webhookClientConfig, conversionReviewVersions: versions } };
}

/** v1 `conversion` → v1beta1 (the inverse of {@link conversionToV1}). */
function conversionToV1beta1(conversion: unknown): unknown {
  if (!isObject(conversion) || !isObject(conversion.webhook)) return conversion;
  const { webhook, ...rest } = conversion;
  return { ...rest, webhookClientConfig: webhook.clientConfig, conversionReviewVersions: webhook.conversionReviewVersions };
}

/** The v1beta1 view of a stored v1 CRD: `spec.version` is the first version's name again. */
export function crdV1ToV1beta1(obj: KubeObject): KubeObject {
  const spec = obj.spec;
  if (!isObject(spec) || !Array.isArray(spec.versions) || !isObject(spec.versions[0])) return obj;
  const v1beta1Spec: Json = { ...spec, version: spec.versions[0].name };
  if (spec.conversion !== undefined) v1beta1Spec.conversion = conversionToV1beta1(spec.conversion);
  return { ...obj, spec: v1beta1Spec };
}

const base = customResourceDefinitionResource as unknown as ResourceInfo;

export const customResourceDefinitionV1beta1Resource: ResourceInfo = {
  ...base,
  version: 'v1beta1',
  // Listed once in discovery categories, under v1.
  categories: [],
  normalizeInput: crdV1beta1ToV1,
  conversion: {
    storageGroup: base.group,
    storageVersion: base.version,
    toStorage: (obj) => ({ ...obj, apiVersion: `${base.group}/${base.version}` }),
    fromStorage: (obj) => ({ ...crdV1ToV1beta1(obj), apiVersion: `${base.group}/v1beta1` }),
  },
};
