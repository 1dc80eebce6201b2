/**
 * admissionregistration.k8s.io/v1 MutatingWebhookConfiguration: cluster-scoped list of
 * mutating webhooks (reinvocationPolicy defaults to Never).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { kubeObject } from '../../meta.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { applyWebhookDefaults, webhookShape } from './webhook-types.ts';
import { validateWebhooks } from './webhook-validation.ts';

export const MutatingWebhookSchema = z.object({ ...webhookShape, reinvocationPolicy: z.string().optional() });
export type MutatingWebhook = z.infer<typeof MutatingWebhookSchema>;

export const MutatingWebhookConfigurationSchema = kubeObject({ webhooks: z.array(MutatingWebhookSchema).optional() });
export type MutatingWebhookConfiguration = z.infer<typeof MutatingWebhookConfigurationSchema>;

/** Upstream v1 defaults for every webhook. */
export function applyMutatingWebhookConfigurationDefaults(config: MutatingWebhookConfiguration): void {
  for (const hook of config.webhooks ?? []) {
    applyWebhookDefaults(hook);
    hook.reinvocationPolicy ??= 'Never';
  }
}

export function validateMutatingWebhookConfiguration(config: MutatingWebhookConfiguration): FieldError[] {
  return [...validateObjectMeta(config.metadata, { namespaced: false }), ...validateWebhooks(config.webhooks ?? [], true)];
}

export const mutatingWebhookConfigurationResource = defineResource<MutatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind: 'MutatingWebhookConfiguration',
  plural: 'mutatingwebhookconfigurations',
  singular: 'mutatingwebhookconfiguration',
  namespaced: false,
  categories: ['api-extensions'],
  schema: MutatingWebhookConfigurationSchema,
  patchMeta: { webhooks: { strategy: 'merge', mergeKey: 'name' } },
  applyDefaults: applyMutatingWebhookConfigurationDefaults,
  validate: validateMutatingWebhookConfiguration,
});
