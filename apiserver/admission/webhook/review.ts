/**
 * AdmissionReview v1: the request this server sends and the checks on the response
 * (upstream webhook/request/admissionreview.go). Pure.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { AdmissionAttributes } from '../types.ts';
import type { WebhookResultStatus } from './errors.ts';

export const ADMISSION_REVIEW_API_VERSION = 'admission.k8s.io/v1';

/** The options kind sent for each operation (upstream: CreateOptions / UpdateOptions / DeleteOptions). */
const OPTIONS_KIND: Record<string, string | undefined> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' };

/** The `AdmissionReview` body for one webhook call. */
export function admissionReviewRequest(attrs: AdmissionAttributes, uid: string): Record<string, unknown> {
  const { info } = attrs;
  const kind = { group: info.group, version: info.version, kind: info.kind };
  const resource = { group: info.group, version: info.version, resource: info.plural };
  const optionsKind = OPTIONS_KIND[attrs.operation];
  const request: Record<string, unknown> = {
    uid,
    kind,
    resource,
    ...(attrs.subresource ? { subResource: attrs.subresource } : {}),
    requestKind: kind,
    requestResource: resource,
    ...(attrs.subresource ? { requestSubResource: attrs.subresource } : {}),
    name: attrs.name || attrs.object?.metadata.name || '',
    ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    operation: attrs.operation,
    userInfo: attrs.user ? { username: attrs.user.username, groups: attrs.user.groups } : {},
    object: objectOrNull(attrs.object),
    oldObject: objectOrNull(attrs.oldObject),
    dryRun: attrs.dryRun,
    options: optionsKind ? { apiVersion: 'meta.k8s.io/v1', kind: optionsKind, ...(attrs.dryRun ? { dryRun: ['All'] } : {}) } : null,
  };
  return { apiVersion: ADMISSION_REVIEW_API_VERSION, kind: 'AdmissionReview', request };
}

function objectOrNull(obj: KubeObject | undefined): KubeObject | null {
  return obj === undefined ? null : obj;
}

/** What the dispatchers use of a verified response. */
export interface VerifiedResponse {
  allowed: boolean;
  result?: WebhookResultStatus;
  /** base64 JSON patch. */
  patch?: string;
  patchType?: string;
  warnings: string[];
  /** `response.auditAnnotations` (string values only); recorded as `<webhook name>/<key>`. */
  auditAnnotations: Record<string, string>;
}

/** The string entries of a response's `auditAnnotations`. Pure. */
function stringEntries(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Upstream `VerifyAdmissionResponse` for v1: returns the response, or the reason it is invalid
 * (the caller reports `received invalid webhook response: <reason>`).
 */
export function verifyAdmissionResponse(uid: string, mutating: boolean, body: unknown): { ok: true; response: VerifiedResponse } | { ok: false; error: string } {
  const review = (body ?? {}) as { apiVersion?: unknown; kind?: unknown; response?: Record<string, unknown> | null };
  const response = review.response;
  if (!response || typeof response !== 'object') return { ok: false, error: 'webhook response was absent' };
  if (response.uid !== uid) return { ok: false, error: `expected response.uid="${uid}", got "${typeof response.uid === 'string' ? response.uid : ''}"` };
  if (review.apiVersion !== ADMISSION_REVIEW_API_VERSION || review.kind !== 'AdmissionReview') {
    const [group, version] = typeof review.apiVersion === 'string' && review.apiVersion.includes('/') ? review.apiVersion.split('/', 2) : ['', String(review.apiVersion ?? '')];
    return { ok: false, error: `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${group ? `${group}/` : ''}${version}, Kind=${String(review.kind ?? '')}` };
  }
  const patch = typeof response.patch === 'string' && response.patch !== '' ? response.patch : undefined;
  const patchType = typeof response.patchType === 'string' && response.patchType !== '' ? response.patchType : undefined;
  if (patch && !patchType) return { ok: false, error: 'webhook returned response.patch but not response.patchType' };
  if (patchType && !patch) return { ok: false, error: 'webhook returned response.patchType but not response.patch' };
  if (patch && !mutating) return { ok: false, error: 'validating webhooks may not return patches' };
  const warnings = Array.isArray(response.warnings) ? response.warnings.filter((w): w is string => typeof w === 'string') : [];
  return {
    ok: true,
    response: { allowed: response.allowed === true, result: (response.status ?? undefined) as WebhookResultStatus | undefined, patch, patchType, warnings, auditAnnotations: stringEntries(response.auditAnnotations) },
  };
}
