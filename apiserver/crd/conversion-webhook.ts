/**
 * A CRD's conversion webhook as a converter of custom objects (upstream `webhookConverter`): the
 * objects not yet at the wanted apiVersion go to the webhook in one ConversionReview, and each
 * converted object is checked before it replaces the original. Failures reject with an Error in
 * upstream's words, `conversion webhook for <group/version>, Kind=<kind> failed: <reason>`; the
 * request handlers decide the HTTP status.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookClientConfig } from '../../pkg/api/admissionregistration/v1/webhook-types.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ObjectConverter } from '../../pkg/api/resource.ts';
import { acceptConvertedObject, conversionReviewRequest, convertedObjectsOf } from './conversion-review.ts';

/** Upstream's conversion webhooks have no timeout field; their client waits 30 s. */
export const CONVERSION_WEBHOOK_TIMEOUT_SECONDS = 30;

/** POSTs a review to the webhook `clientConfig` names; rejects with the transport failure's text. */
export type ReviewPoster = (clientConfig: WebhookClientConfig, body: unknown, timeoutSeconds: number) => Promise<unknown>;

/** The webhook part of a CRD's `spec.conversion`. */
export interface ConversionWebhook {
  clientConfig: WebhookClientConfig;
  conversionReviewVersions: readonly string[];
}

const gvkText = (apiVersion: unknown, kind: string) => `${String(apiVersion ?? '')}, Kind=${kind}`;

/** A converter calling `webhook` through `post`. */
export function webhookObjectConverter(webhook: ConversionWebhook, post: ReviewPoster): ObjectConverter {
  return async (objects, apiVersion, asList) => {
    const pending = objects.filter((o) => o.apiVersion !== apiVersion);
    if (pending.length === 0) return [...objects];
    const first = pending[0]!;
    const what = gvkText(asList ? objects[0]?.apiVersion : first.apiVersion, asList ? `${first.kind}List` : String(first.kind ?? ''));
    const uid = randomUUID();
    const request = conversionReviewRequest(webhook.conversionReviewVersions, pending, apiVersion, uid);
    if (!request) throw new Error('no supported conversion review versions');
    let body: unknown;
    try {
      body = await post(webhook.clientConfig, request.body, CONVERSION_WEBHOOK_TIMEOUT_SECONDS);
    } catch (err) {
      throw new Error(`conversion webhook for ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const response = convertedObjectsOf(request.reviewVersion, uid, body);
    if (!response.ok) throw new Error(`conversion webhook for ${what} failed: ${response.error}`);
    if (response.objects.length !== pending.length) throw new Error(`conversion webhook for ${what} returned ${response.objects.length} objects, expected ${pending.length}`);
    const converted = new Map<KubeObject, KubeObject>();
    pending.forEach((original, i) => {
      const accepted = acceptConvertedObject(original, response.objects[i], apiVersion);
      if (accepted.ok) return void converted.set(original, accepted.object);
      if (!asList) {
        if (accepted.stage === 'object') throw new Error(`conversion webhook for ${what} returned invalid object at index 0: ${accepted.error}`);
        if (accepted.stage === 'identity') throw new Error(`conversion webhook for ${what} returned invalid object: ${accepted.error}`);
        throw new Error(`conversion webhook for ${what} returned invalid metadata: ${accepted.error}`);
      }
      if (accepted.stage === 'metadata') throw new Error(`conversion webhook for ${what} returned invalid metadata in object at index ${i}: ${accepted.error}`);
      throw new Error(`conversion webhook for ${what} returned invalid converted object at index ${i}: ${accepted.error}`);
    });
    return objects.map((o) => converted.get(o) ?? o);
  };
}
