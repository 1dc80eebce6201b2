/**
 * Calls one webhook for one request: dry-run check, target resolution, the AdmissionReview
 * round trip and response verification. Failures to call are {@link WebhookCallError}s (the
 * caller applies failurePolicy); a dry run reaching a webhook with side effects is a 400.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookCommon } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import type { AdmissionAttributes, AdmissionContext } from '../types.ts';
import { postWebhookReview, WebhookTransportError } from './client.ts';
import { dryRunUnsupported, WebhookCallError } from './errors.ts';
import { admissionReviewRequest, verifyAdmissionResponse, type VerifiedResponse } from './review.ts';

const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];

/** Sends the request to `hook` and returns its verified response. */
export async function callWebhook(ctx: AdmissionContext, hook: WebhookCommon, attrs: AdmissionAttributes, mutating: boolean): Promise<VerifiedResponse> {
  if (attrs.dryRun) {
    if (hook.sideEffects === undefined) throw new WebhookCallError(hook.name, 'Webhook SideEffects is nil');
    if (!NO_SIDE_EFFECTS.includes(hook.sideEffects)) throw dryRunUnsupported(hook.name);
  }
  const uid = randomUUID();
  let body: unknown;
  try {
    body = await postWebhookReview(ctx, hook.clientConfig, admissionReviewRequest(attrs, uid), hook.timeoutSeconds ?? 10);
  } catch (err) {
    const reason = err instanceof WebhookTransportError || err instanceof Error ? err.message : String(err);
    throw new WebhookCallError(hook.name, `failed to call webhook: ${reason}`);
  }
  const verified = verifyAdmissionResponse(uid, mutating, body);
  if (!verified.ok) throw new WebhookCallError(hook.name, `received invalid webhook response: ${verified.error}`);
  return verified.response;
}

/** Whether a failed call is skipped (failurePolicy Ignore). */
export function failsOpen(hook: WebhookCommon): boolean {
  return hook.failurePolicy === 'Ignore';
}

/** A webhook's audit annotations on the request's audit record, keyed `<webhook name>/<key>` (upstream's dispatchers). */
export function recordWebhookAuditAnnotations(attrs: Pick<AdmissionAttributes, 'audit'>, webhookName: string, annotations: Readonly<Record<string, string>>): void {
  if (!attrs.audit) return;
  for (const key in annotations) attrs.audit.add(`${webhookName}/${key}`, annotations[key]);
}
