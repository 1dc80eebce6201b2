/**
 * Admission plugin `MutatingAdmissionWebhook`, the last of the admit phase: calls the matching
 * webhooks of every MutatingWebhookConfiguration in order and applies their JSON patches.
 * Reinvocation (upstream reinvocationPolicy IfNeeded): when a webhook changed the object, each
 * IfNeeded webhook called before that change is called once more, in order, after the first pass.
 * As the server runs no admit phase for DELETE, mutating webhooks do not see deletes.
 */
import type { MutatingWebhook } from '../../../pkg/api/admissionregistration/v1/mutatingwebhookconfiguration.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../types.ts';
import { callWebhook, failsOpen, recordWebhookAuditAnnotations } from './call.ts';
import type { WebhookConfigCache } from './config-cache.ts';
import { deniedByWebhook, failedClosed, WebhookCallError } from './errors.ts';
import { matchingWebhooks, type WebhookInvocation } from './invocations.ts';
import { applyMutation } from './mutate.ts';
import { isExemptResource, ruleRequestOf } from './rules.ts';

export const MUTATING_WEBHOOK_PLUGIN = 'MutatingAdmissionWebhook';

/** Upstream's audit annotation key prefix for each mutating webhook call. */
export const MUTATION_ANNOTATION_PREFIX = 'mutation.webhook.admission.k8s.io/';

/** Records upstream's `mutation.webhook.admission.k8s.io/round_<r>_index_<i>` annotation for one call. */
function recordMutation(attrs: AdmissionAttributes, invocation: WebhookInvocation<MutatingWebhook>, round: number, mutated: boolean): void {
  const value = JSON.stringify({ configuration: invocation.configurationName, webhook: invocation.hook.name, mutated });
  attrs.audit?.add(`${MUTATION_ANNOTATION_PREFIX}round_${round}_index_${invocation.index}`, value);
}

/** Runs one webhook (in `round` 0, or 1 when reinvoked); returns whether it changed the object (a failed-open call changes nothing). */
async function runOne(ctx: AdmissionContext, invocation: WebhookInvocation<MutatingWebhook>, attrs: AdmissionAttributes, onWarning: (w: string) => void, round: number): Promise<boolean> {
  let mutated = false;
  try {
    mutated = await callOne(ctx, invocation, attrs, onWarning);
    return mutated;
  } finally {
    recordMutation(attrs, invocation, round, mutated);
  }
}

async function callOne(ctx: AdmissionContext, invocation: WebhookInvocation<MutatingWebhook>, attrs: AdmissionAttributes, onWarning: (w: string) => void): Promise<boolean> {
  const { hook } = invocation;
  try {
    const response = await callWebhook(ctx, hook, attrs, true);
    for (const warning of response.warnings) {
      onWarning(warning);
      // Upstream returns webhook warnings to the client.
      attrs.warnings?.push(warning);
    }
    recordWebhookAuditAnnotations(attrs, hook.name, response.auditAnnotations);
    if (!response.allowed) throw deniedByWebhook(hook.name, response.result);
    return applyMutation(hook, attrs, response);
  } catch (err) {
    if (!(err instanceof WebhookCallError)) throw err;
    if (failsOpen(hook)) return false;
    throw failedClosed(err);
  }
}

/**
 * The IfNeeded webhooks to call again after a first pass (pure): those called before the last
 * webhook that changed the object. `changedAt` is the positions (in `order`) that changed it.
 */
export function webhooksToReinvoke<T extends { hook: { reinvocationPolicy?: string } }>(order: readonly T[], changedAt: readonly number[]): T[] {
  if (changedAt.length === 0) return [];
  const last = Math.max(...changedAt);
  return order.filter((inv, i) => i < last && inv.hook.reinvocationPolicy === 'IfNeeded');
}

export interface WebhookPluginOptions {
  /** Receives webhook warnings (default: dropped). */
  onWarning?: (warning: string) => void;
}

export function createMutatingWebhookPlugin(ctx: AdmissionContext, cache: WebhookConfigCache, options: WebhookPluginOptions = {}): AdmissionPlugin {
  const onWarning = options.onWarning ?? (() => {});
  return {
    name: MUTATING_WEBHOOK_PLUGIN,
    admit(attrs) {
      if (isExemptResource(ruleRequestOf(attrs))) return;
      // No configurations (known without waiting): nothing to call.
      if (cache.peek('mutatingwebhookconfigurations')?.length === 0) return;
      return callWebhooks(attrs);
    },
  };

  async function callWebhooks(attrs: AdmissionAttributes): Promise<void> {
    const invocations = await matchingWebhooks<MutatingWebhook>(ctx, cache, 'mutatingwebhookconfigurations', attrs);
    const changedAt: number[] = [];
    for (const [i, invocation] of invocations.entries()) {
      if (await runOne(ctx, invocation, attrs, onWarning, 0)) changedAt.push(i);
    }
    for (const invocation of webhooksToReinvoke(invocations, changedAt)) await runOne(ctx, invocation, attrs, onWarning, 1);
  }
}
