/**
 * The errors of webhook admission, with upstream's texts (webhook/errors and
 * apiserver/pkg/util/webhook):
 * - a webhook that could not be called or answered nonsense is a {@link WebhookCallError};
 *   failurePolicy Ignore skips it, Fail turns it into 500
 *   `Internal error occurred: failed calling webhook "<name>": <reason>`;
 * - a webhook that denies gives {@link deniedByWebhook} (its status, code at least 400).
 */
import { ApiError, badRequest, internalError, type StatusDetails, type StatusReason } from '../../../pkg/errors/index.ts';

/** Upstream `ErrCallingWebhook`: the call failed; subject to failurePolicy. */
export class WebhookCallError extends Error {
  constructor(
    readonly webhookName: string,
    /** e.g. `failed to call webhook: Post "https://…": context deadline exceeded`. */
    readonly reason: string,
  ) {
    super(`failed calling webhook "${webhookName}": ${reason}`);
    this.name = 'WebhookCallError';
  }
}

/** The error a webhook call failure becomes under failurePolicy Fail. */
export function failedClosed(err: WebhookCallError): ApiError {
  return internalError(err);
}

/** The `result` status of a denying AdmissionResponse (fields as the webhook sent them). */
export interface WebhookResultStatus {
  code?: number;
  reason?: string;
  message?: string;
  status?: string;
  details?: StatusDetails;
}

/** Upstream `ToStatusErr`: `admission webhook "<name>" denied the request: <message>`. */
export function deniedByWebhook(webhookName: string, result: WebhookResultStatus | undefined): ApiError {
  const deniedBy = `admission webhook "${webhookName}" denied the request`;
  const status = result ?? {};
  const code = typeof status.code === 'number' && status.code >= 400 ? status.code : 400;
  const message = status.message ? `${deniedBy}: ${status.message}` : status.reason ? `${deniedBy}: ${status.reason}` : `${deniedBy} without explanation`;
  return new ApiError({ code, reason: (status.reason ?? '') as StatusReason, message, details: status.details });
}

/** Upstream `NewDryRunUnsupportedErr`: 400 for a dry run reaching a webhook with side effects. */
export function dryRunUnsupported(webhookName: string): ApiError {
  return badRequest(`admission webhook "${webhookName}" does not support dry run`);
}
