/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration: cluster-scoped list of
 * validating webhooks.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { kubeObject } from '../../meta.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { applyWebhookDefaults, webhookShape } from './webhook-types.ts';
import { validateWebhooks } from './webhook-validation.ts';

export const ValidatingWebhookSchema = z.object(webhookShape);
export type ValidatingWebhook = z.infer<typeof ValidatingWebhookSchema>;

export const ValidatingWebhookConfigurationSchema = kubeObject({ webhooks: z.array(ValidatingWebhookSchema).optional() });
export type ValidatingWebhookConfiguration = z.infer<typeof ValidatingWebhookConfigurationSchema>;

/** Upstream v1 defaults for every webhook. */
export function applyValidatingWebhookConfigurationDefaults(config: ValidatingWebhookConfiguration): void {
  for (const hook of config.webhooks ?? []) applyWebhookDefaults(hook);
}

export function validateValidatingWebhookConfiguration(config: ValidatingWebhookConfiguration): FieldError[] {
  return [...validateObjectMeta(config.metadata, { namespaced: false }), ...validateWebhooks(config.webhooks ?? [], false)];
}

export const validatingWebhookConfigurationResource = defineResource<ValidatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'ValidatingWebhookConfiguration',
  plural: 'validatingwebhookconfigurations',
  singular: 'validatingwebhookconfiguration',
  namespaced: false,
  categories: ['api-extensions'],
  schema: ValidatingWebhookConfigurationSchema,
  patchMeta: { webhooks: { strategy: 'merge', mergeKey: 'name' } },
  applyDefaults: applyValidatingWebhookConfigurationDefaults,
  validate: validateValidatingWebhookConfiguration,
});
