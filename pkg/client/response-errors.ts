/**
 * Turning a failed HTTP response into an {@link ApiError}: a `Status` body is used as is;
 * anything else gets client-go's generic message for the status code.
 */
import { ApiError, type Status, type StatusReason } from '../errors/index.ts';

const GENERIC: Readonly<Record<number, { reason: StatusReason; message: string }>> = {
  400: { reason: 'BadRequest', message: 'the server rejected our request for an unknown reason' },
  401: { reason: 'Unauthorized', message: 'the server has asked for the client to provide credentials' },
  403: { reason: 'Forbidden', message: 'the server does not allow access to the requested resource' },
  404: { reason: 'NotFound', message: 'the server could not find the requested resource' },
  405: { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' },
  406: { reason: 'NotAcceptable', message: 'the server was unable to respond with a content type that the client supports' },
  409: { reason: 'Conflict', message: 'the server reported a conflict' },
  410: { reason: 'Gone', message: 'the server responded with the status code 410 but did not return more information' },
  415: { reason: 'UnsupportedMediaType', message: 'the server was unable to respond with a content type that the client supports' },
  422: { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
  429: { reason: 'TooManyRequests', message: 'the server has received too many requests and has asked us to try again later' },
  503: { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' },
  504: { reason: 'Timeout', message: 'the server was unable to return a response in the time allotted, but may still be processing the request' },
};

function isStatus(value: unknown): value is Partial<Status> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/**
 * The error for a non-2xx response. `retryAfterSeconds` from the `Retry-After` header is kept
 * in `details` when the body does not carry one.
 */
export function errorFromResponse(statusCode: number, bodyText: string, retryAfterHeader?: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if (isStatus(body)) {
    const details = body.details ?? (retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined);
    return ApiError.fromStatus({ ...body, code: body.code || statusCode, details });
  }
  const generic = GENERIC[statusCode];
  const text = bodyText.trim();
  if (generic) {
    const message = statusCode === 403 && text ? text : generic.message;
    return new ApiError({ code: statusCode, reason: generic.reason, message, details: retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined });
  }
  if (statusCode >= 500) {
    return new ApiError({ code: statusCode, reason: 'InternalError', message: `an error on the server ("${text.slice(0, 1024)}") has prevented the request from succeeding` });
  }
  return new ApiError({ code: statusCode, reason: '', message: `the server responded with the status code ${statusCode} but did not return more information` });
}

/** Seconds from a `Retry-After` header (integer seconds only, as client-go reads it). */
export function parseRetryAfter(header: string | undefined): number | undefined {
  if (header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}
