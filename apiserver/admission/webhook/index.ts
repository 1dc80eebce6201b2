/**
 * Dynamic admission webhooks (upstream apiserver/pkg/admission/plugin/webhook): the
 * `MutatingAdmissionWebhook` and `ValidatingAdmissionWebhook` plugins over one configuration cache.
 */
import type { AdmissionContext, AdmissionPlugin } from '../types.ts';
import { createWebhookConfigCache, type WebhookConfigCacheOptions } from './config-cache.ts';
import { createMutatingWebhookPlugin, type WebhookPluginOptions } from './mutating-plugin.ts';
import { createValidatingWebhookPlugin } from './validating-plugin.ts';

export { MUTATING_WEBHOOK_PLUGIN } from './mutating-plugin.ts';
export { VALIDATING_WEBHOOK_PLUGIN } from './validating-plugin.ts';

export type WebhookAdmissionOptions = WebhookConfigCacheOptions & WebhookPluginOptions;

/** Both webhook plugins, mutating first; append them after the built-in plugins. */
export function createWebhookAdmissionPlugins(ctx: AdmissionContext, options: WebhookAdmissionOptions = {}): AdmissionPlugin[] {
  const cache = createWebhookConfigCache(ctx, options);
  return [createMutatingWebhookPlugin(ctx, cache, options), createValidatingWebhookPlugin(ctx, cache, options)];
}
