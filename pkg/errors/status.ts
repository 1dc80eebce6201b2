/**
 * Kubernetes `Status` errors: the one error type every layer throws for an expected failure.
 * The API server turns any {@link ApiError} into the JSON `Status` body with its HTTP code.
 */

/** Upstream `metav1.StatusReason` values (apimachinery/pkg/apis/meta/v1/types.go). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Gone'
  | 'Expired'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'NotImplemented'
  | '';

/** Upstream `metav1.CauseType` values. */
export type CauseType =
  | 'FieldValueRequired'
  | 'FieldValueNotFound'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError'
  | 'FieldManagerConflict'
  | 'ResourceVersionTooLarge'
  | 'UnexpectedServerResponse'
  | 'NonZeroExitCode'
  | 'ExitCode';

/** One entry of `Status.details.causes`. */
export interface StatusCause {
  /** The cause's type (`FieldValueInvalid`, …), `reason` on the wire as upstream's `StatusCause.Type`. */
  reason?: CauseType | string;
  message?: string;
  field?: string;
}

/** `Status.details`: which object the failure is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire shape of a `Status` object (kind: Status, apiVersion: v1). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/**
 * An expected API failure. `code` is the HTTP status code, `reason` the stable machine value;
 * callers branch on `reason` (see the `is*` helpers), never on `message`.
 */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;
  /** List metadata of the Status (upstream: a continue token with a 410 for a compacted list). */
  readonly listMeta?: { continue?: string };

  constructor(options: { code: number; reason: StatusReason; message: string; details?: StatusDetails; listMeta?: { continue?: string }; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = options.code;
    this.reason = options.reason;
    this.details = options.details;
    this.listMeta = options.listMeta;
  }

  /** The `Status` body for this error. */
  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMeta ? { ...this.listMeta } : {},
      status: 'Failure',
      message: this.message,
      code: this.code,
    };
    // An unknown reason is omitted, as upstream's `omitempty` does.
    if (this.reason) status.reason = this.reason;
    if (this.details) status.details = this.details;
    return status;
  }

  /** Rebuild an error from a `Status` body received from a server. */
  static fromStatus(status: Partial<Status> & { code?: number }): ApiError {
    return new ApiError({
      code: status.code ?? 500,
      reason: (status.reason ?? '') as StatusReason,
      message: status.message ?? '',
      details: status.details,
    });
  }
}

/** Resource identity used in error messages: `configmaps "demo" not found`. */
export interface QualifiedResource {
  /** API group, '' for core. */
  group: string;
  /** Plural resource name, e.g. `configmaps` or `deployments`. */
  resource: string;
}

/** `pods "x"` or `deployments.apps "x"`, exactly as upstream prints a group resource. */
export function formatResource(qr: QualifiedResource): string {
  return qr.group ? `${qr.resource}.${qr.group}` : qr.resource;
}
