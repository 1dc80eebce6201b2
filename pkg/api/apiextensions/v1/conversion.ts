/**
 * A CustomResourceDefinition's `spec.conversion`: `None` (versions differ only in apiVersion) or
 * `Webhook` (a ConversionReview webhook converts objects between versions), with upstream's v1
 * defaults and validation. Upstream validates the internal type, whose fields sit directly under
 * `conversion` (`webhookClientConfig`, `conversionReviewVersions`), so the error paths name those
 * fields even for a v1 object, as kubectl users see them.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { validateReviewVersions, validateWebhookClientConfig } from '../../admissionregistration/v1/webhook-validation.ts';
import { WebhookClientConfigSchema } from '../../admissionregistration/v1/webhook-types.ts';
import { forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';

/** ConversionReview versions this server sends (upstream's `acceptedConversionReviewVersions`). */
export const ACCEPTED_CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'] as const;

const STRATEGIES = ['None', 'Webhook'];

export const CustomResourceConversionSchema = z.looseObject({
  strategy: z.string().optional(),
  webhook: z
    .object({
      clientConfig: WebhookClientConfigSchema.optional(),
      conversionReviewVersions: z.array(z.string()).optional(),
    })
    .optional(),
});
export type CustomResourceConversion = z.infer<typeof CustomResourceConversionSchema>;

/** Upstream v1 defaults: strategy `None`, a webhook Service's port 443. */
export function applyConversionDefaults(conversion: CustomResourceConversion): void {
  conversion.strategy ??= 'None';
  const service = conversion.webhook?.clientConfig?.service;
  if (service) service.port ??= 443;
}

/** Upstream `validateCustomResourceConversion` (plus the preserveUnknownFields rule), at `spec.conversion`. */
export function validateCustomResourceConversion(conversion: CustomResourceConversion | undefined, preserveUnknownFields: boolean | undefined): FieldError[] {
  if (!conversion) return [];
  const path = 'spec.conversion';
  const errs: FieldError[] = [];
  const strategy = conversion.strategy ?? '';
  if (strategy !== 'None' && preserveUnknownFields) errs.push(invalidValue(`${path}.strategy`, strategy, 'must be None if spec.preserveUnknownFields is true'));
  if (!strategy) errs.push(required(`${path}.strategy`));
  else if (!STRATEGIES.includes(strategy)) errs.push(notSupported(`${path}.strategy`, strategy, STRATEGIES));
  const clientConfig = conversion.webhook?.clientConfig;
  const reviewVersions = conversion.webhook?.conversionReviewVersions;
  if (strategy === 'Webhook') {
    if (!clientConfig) errs.push(required(`${path}.webhookClientConfig`, 'required when strategy is set to Webhook'));
    else errs.push(...validateWebhookClientConfig(clientConfig, `${path}.webhookClientConfig`));
    errs.push(...validateReviewVersions(reviewVersions, `${path}.conversionReviewVersions`, ACCEPTED_CONVERSION_REVIEW_VERSIONS, ''));
  } else {
    if (clientConfig) errs.push(forbidden(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    if (reviewVersions?.length) errs.push(forbidden(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

/** The webhook of a CRD whose strategy is `Webhook` (undefined otherwise). */
export function conversionWebhookOf(conversion: CustomResourceConversion | undefined): { clientConfig: z.infer<typeof WebhookClientConfigSchema>; conversionReviewVersions: string[] } | undefined {
  if (conversion?.strategy !== 'Webhook' || !conversion.webhook?.clientConfig) return undefined;
  return { clientConfig: conversion.webhook.clientConfig, conversionReviewVersions: conversion.webhook.conversionReviewVersions ?? [] };
}
