/**
 * The ConversionReview exchange of a CRD conversion webhook (upstream apiextensions
 * `webhook_converter.go`), as pure functions: the request for the first review version this server
 * speaks, the response's checks (kind and uid for v1, result status, object count) and each
 * converted object's checks (apiVersion, kind, name, namespace, uid unchanged; only labels and
 * annotations of its metadata are taken, validated). Error texts are upstream's, without the
 * `conversion webhook for <gvk> …` prefix the caller adds.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { aggregateText } from '../../pkg/api/selectors/errors.ts';
import { validateAnnotations, validateLabels } from '../../pkg/api/validation/object-meta.ts';
import { ACCEPTED_CONVERSION_REVIEW_VERSIONS } from '../../pkg/api/apiextensions/v1/conversion.ts';

type Json = Record<string, unknown>;

/** A request body and the review version it is in. */
export interface ConversionReviewRequest {
  reviewVersion: 'v1' | 'v1beta1';
  body: Json;
}

/** The ConversionReview for the first of `reviewVersions` this server speaks; undefined when none is. */
export function conversionReviewRequest(reviewVersions: readonly string[], objects: readonly KubeObject[], desiredAPIVersion: string, uid: string): ConversionReviewRequest | undefined {
  const reviewVersion = reviewVersions.find((v): v is 'v1' | 'v1beta1' => (ACCEPTED_CONVERSION_REVIEW_VERSIONS as readonly string[]).includes(v));
  if (!reviewVersion) return undefined;
  return {
    reviewVersion,
    body: { kind: 'ConversionReview', apiVersion: `apiextensions.k8s.io/${reviewVersion}`, request: { uid, desiredAPIVersion, objects } },
  };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The converted objects of a response, or the error text when it is malformed or not a success. */
export function convertedObjectsOf(reviewVersion: 'v1' | 'v1beta1', uid: string, body: unknown): { ok: true; objects: unknown[] } | { ok: false; error: string } {
  const review = isObject(body) ? body : {};
  if (reviewVersion === 'v1') {
    // v1beta1 responses were never checked for kind and uid; v1 ones are.
    const gvk = `${review.apiVersion ?? ''}, Kind=${review.kind ?? ''}`;
    if (review.apiVersion !== 'apiextensions.k8s.io/v1' || review.kind !== 'ConversionReview') {
      return { ok: false, error: `expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got ${gvk.startsWith('/') ? gvk.slice(1) : gvk}` };
    }
  }
  const response = review.response;
  if (!isObject(response)) return { ok: false, error: 'no response provided' };
  if (reviewVersion === 'v1' && response.uid !== uid) return { ok: false, error: `expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}` };
  const result = isObject(response.result) ? response.result : {};
  if (result.status !== 'Success') {
    if (typeof result.message === 'string' && result.message) return { ok: false, error: result.message };
    return { ok: false, error: `response.result.status was '${typeof result.status === 'string' ? result.status : ''}', not 'Success'` };
  }
  return { ok: true, objects: Array.isArray(response.convertedObjects) ? response.convertedObjects : [] };
}

function metadataOf(obj: Json): Json {
  return isObject(obj.metadata) ? obj.metadata : {};
}

/** Where a converted object failed: its type, apiVersion or kind; its identity; its metadata. */
export type ConvertedObjectStage = 'object' | 'identity' | 'metadata';

/**
 * Checks one converted object against the object sent and returns it with the original's metadata
 * but the webhook's labels and annotations (validated), or the error text and its stage.
 */
export function acceptConvertedObject(original: KubeObject, converted: unknown, desiredAPIVersion: string): { ok: true; object: KubeObject } | { ok: false; stage: ConvertedObjectStage; error: string } {
  const fail = (stage: ConvertedObjectStage, error: string) => ({ ok: false as const, stage, error });
  if (!isObject(converted)) return fail('object', `invalid type, expected=Unstructured, got=${converted === null ? 'nil' : typeof converted}`);
  if (converted.apiVersion !== desiredAPIVersion) return fail('object', `invalid groupVersion (expected ${desiredAPIVersion}, received ${String(converted.apiVersion ?? '')})`);
  if (converted.kind !== original.kind) return fail('object', `invalid kind (expected ${original.kind}, received ${String(converted.kind ?? '')})`);
  const before = metadataOf(original as Json);
  const after = metadataOf(converted);
  for (const [field, label] of [['name', 'name'], ['namespace', 'namespace'], ['uid', 'UID']] as const) {
    if ((before[field] ?? '') !== (after[field] ?? '')) return fail('identity', `must have the same ${label}: ${String(before[field] ?? '')} != ${String(after[field] ?? '')}`);
  }
  if (!isObject(converted.metadata)) return fail('metadata', 'missing metadata in converted object');
  const metadata: Json = structuredClone(before);
  for (const field of ['labels', 'annotations'] as const) {
    const value = after[field];
    if (value === undefined || value === null) {
      delete metadata[field];
      continue;
    }
    if (!isObject(value)) return fail('metadata', `invalid metadata.${field} of type ${Array.isArray(value) ? '[]interface {}' : typeof value} in converted object`);
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') return fail('metadata', `metadata.${field}[${k}] must be a string, but is ${v === null ? '<nil>' : typeof v} in converted object`);
    }
    const map = value as Record<string, string>;
    const errs = field === 'labels' ? validateLabels(map, 'metadata.labels') : validateAnnotations(map, 'metadata.annotation');
    if (errs.length) return fail('metadata', aggregateText(errs));
    metadata[field] = map;
  }
  return { ok: true, object: { ...(converted as KubeObject), metadata: metadata as KubeObject['metadata'] } };
}
