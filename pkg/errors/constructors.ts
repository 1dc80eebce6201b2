/**
 * Constructors for the upstream error shapes (apimachinery/pkg/api/errors/errors.go),
 * with the same messages, reasons, codes and details.
 */
import { ApiError, formatResource, type QualifiedResource, type StatusCause } from './status.ts';

export function notFound(qr: QualifiedResource, name: string): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: `${formatResource(qr)} "${name}" not found`,
    details: { name, group: qr.group || undefined, kind: qr.resource },
  });
}

export function alreadyExists(qr: QualifiedResource, name: string): ApiError {
  return new ApiError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${formatResource(qr)} "${name}" already exists`,
    details: { name, group: qr.group || undefined, kind: qr.resource },
  });
}

/** The optimistic-concurrency failure kubectl retries on. */
export function conflict(qr: QualifiedResource, name: string, detail?: string): ApiError {
  const why = detail ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${formatResource(qr)} "${name}": ${why}`,
    details: { name, group: qr.group || undefined, kind: qr.resource },
  });
}

/** One field-level validation failure, as in upstream `field.Error`. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueNotFound' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid' | 'InternalError';
  /** Dotted path with indexes, e.g. `spec.containers[0].ports[0].protocol`. */
  field: string;
  /** Full text after the field, e.g. `Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`. */
  detail: string;
}

/**
 * 422 Invalid: `Pod "x" is invalid: [a: Required value, b: Invalid value: …]`.
 * `kind` is the Kind (e.g. `Pod`), `group` the API group.
 */
export function invalid(options: { group: string; kind: string; name: string; errors: FieldError[] }): ApiError {
  const { group, kind, name, errors } = options;
  // The message names each distinct error once (upstream ErrorList.ToAggregate); causes keep them all.
  const lines = [...new Set(errors.map((e) => `${e.field}: ${e.detail}`))];
  const joined = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new ApiError({
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind} "${name}" is invalid: ${joined}`,
    // Go leaves empty strings out of the details (omitempty).
    details: { name: name || undefined, group: group || undefined, kind: kind || undefined, causes },
  });
}

export function badRequest(message: string, causes?: StatusCause[]): ApiError {
  return new ApiError({ code: 400, reason: 'BadRequest', message, details: causes ? { causes } : undefined });
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError({ code: 405, reason: 'MethodNotAllowed', message });
}

export function notAcceptable(message: string): ApiError {
  return new ApiError({ code: 406, reason: 'NotAcceptable', message });
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})` });
}

export function requestEntityTooLarge(message = 'Request entity too large: limit is 3145728'): ApiError {
  return new ApiError({ code: 413, reason: 'RequestEntityTooLarge', message });
}

export function forbidden(qr: QualifiedResource, name: string, why: string): ApiError {
  const target = name ? `${formatResource(qr)} "${name}"` : formatResource(qr);
  return new ApiError({
    code: 403,
    reason: 'Forbidden',
    message: `${target} is forbidden: ${why}`,
    details: { name: name || undefined, group: qr.group || undefined, kind: qr.resource },
  });
}

export function unauthorized(message = 'Unauthorized'): ApiError {
  return new ApiError({ code: 401, reason: 'Unauthorized', message });
}

/** 410 for a watch or list from a compacted revision: `too old resource version: 5 (100)`. */
/** 410 Expired; `listMeta` (a continue token) goes to the Status's metadata, as upstream's for a compacted list. */
export function expired(message: string, listMeta?: { continue?: string }): ApiError {
  return new ApiError({ code: 410, reason: 'Expired', message, listMeta });
}

export function gone(message: string): ApiError {
  return new ApiError({ code: 410, reason: 'Gone', message });
}

export function internalError(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${message}`,
    details: { causes: [{ message }] },
    cause: err,
  });
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError({ code: 503, reason: 'ServiceUnavailable', message });
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): ApiError {
  return new ApiError({ code: 429, reason: 'TooManyRequests', message, details: { retryAfterSeconds } });
}

/** 504 with a ResourceVersionTooLarge cause, for a read at a revision the store has not reached: `Timeout: Too large resource version: 9, current: 5`. */
export function resourceVersionTooLarge(message = 'Too large resource version'): ApiError {
  return new ApiError({
    code: 504,
    reason: 'Timeout',
    // Upstream NewTimeoutError prefixes "Timeout: "; the cause's message is fixed (storage.NewTooLargeResourceVersionError).
    message: `Timeout: ${message}`,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  });
}
