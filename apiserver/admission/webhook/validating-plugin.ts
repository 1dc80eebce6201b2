/**
 * Admission plugin `ValidatingAdmissionWebhook`, in the validate phase after the kind's own
 * validation: calls the matching webhooks of every ValidatingWebhookConfiguration in parallel;
 * the first denial or failed-closed call, in webhook order, rejects the request.
 * It also drops the configuration cache after any committed write of a webhook configuration
 * through this server.
 */
import type { ValidatingWebhook } from '../../../pkg/api/admissionregistration/v1/validatingwebhookconfiguration.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../types.ts';
import { callWebhook, failsOpen, recordWebhookAuditAnnotations } from './call.ts';
import type { WebhookConfigCache } from './config-cache.ts';
import { deniedByWebhook, failedClosed, WebhookCallError } from './errors.ts';
import { matchingWebhooks } from './invocations.ts';
import type { WebhookPluginOptions } from './mutating-plugin.ts';
import { isExemptResource, ruleRequestOf } from './rules.ts';

export const VALIDATING_WEBHOOK_PLUGIN = 'ValidatingAdmissionWebhook';

export function createValidatingWebhookPlugin(ctx: AdmissionContext, cache: WebhookConfigCache, options: WebhookPluginOptions = {}): AdmissionPlugin {
  const onWarning = options.onWarning ?? (() => {});
  return {
    name: VALIDATING_WEBHOOK_PLUGIN,
    validate(attrs) {
      const req = ruleRequestOf(attrs);
      if (isExemptResource(req)) {
        if (req.resource.endsWith('webhookconfigurations')) {
          cache.invalidate();
          attrs.onSuccess(async () => cache.invalidate());
        }
        return;
      }
      // No configurations (known without waiting): nothing to call.
      if (cache.peek('validatingwebhookconfigurations')?.length === 0) return;
      return callWebhooks(attrs);
    },
  };

  async function callWebhooks(attrs: AdmissionAttributes): Promise<void> {
    const invocations = await matchingWebhooks<ValidatingWebhook>(ctx, cache, 'validatingwebhookconfigurations', attrs);
    const outcomes = await Promise.all(
      invocations.map(async ({ hook }) => {
        try {
          const response = await callWebhook(ctx, hook, attrs, false);
          for (const warning of response.warnings) {
            onWarning(warning);
            // Upstream returns webhook warnings to the client.
            attrs.warnings?.push(warning);
          }
          recordWebhookAuditAnnotations(attrs, hook.name, response.auditAnnotations);
          return response.allowed ? undefined : deniedByWebhook(hook.name, response.result);
        } catch (err) {
          if (!(err instanceof WebhookCallError)) return err;
          return failsOpen(hook) ? undefined : failedClosed(err);
        }
      }),
    );
    const first = outcomes.find((o) => o !== undefined);
    if (first !== undefined) throw first;
  }
}
