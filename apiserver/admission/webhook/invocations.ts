/**
 * Which webhooks a request goes to: every webhook of every configuration of a kind, in
 * configuration-name then list order, whose rules, namespaceSelector, objectSelector and
 * matchConditions match (upstream webhook/generic ShouldCallHook).
 */
import type { WebhookCommon } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { forbidden, notFound } from '../../../pkg/errors/index.ts';
import type { AdmissionAttributes, AdmissionContext } from '../types.ts';
import type { WebhookConfigCache, WebhookConfigKind } from './config-cache.ts';
import { evaluateMatchConditions, matchConditionActivation } from './match-conditions.ts';
import { rulesMatch, ruleRequestOf, type RuleRequest } from './rules.ts';
import { namespaceSelectorMatches, needsNamespaceLabels, objectSelectorMatches } from './selectors.ts';

/** One webhook to call, with the configuration it came from. */
export interface WebhookInvocation<H extends WebhookCommon = WebhookCommon> {
  configurationName: string;
  /** Position of the webhook across all configurations of the kind (unique per request). */
  index: number;
  hook: H;
}

/** Flattens configurations (already sorted by name) into webhooks in call order. Pure. */
export function flattenWebhooks<H extends WebhookCommon>(configs: readonly KubeObject[]): WebhookInvocation<H>[] {
  const out: WebhookInvocation<H>[] = [];
  for (const config of configs) {
    for (const hook of (config.webhooks ?? []) as H[]) out.push({ configurationName: config.metadata.name ?? '', index: out.length, hook });
  }
  return out;
}

/**
 * The labels the namespace selector sees: the object's own for a create/update of a namespace,
 * else the stored namespace's (404 `namespaces "x" not found` when it does not exist).
 */
export async function namespaceLabelsOf(ctx: AdmissionContext, attrs: AdmissionAttributes, req: RuleRequest): Promise<Record<string, string> | undefined> {
  if (req.resource === 'namespaces' && req.group === '' && req.subresource === '' && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE')) {
    return attrs.object?.metadata.labels ?? {};
  }
  const ns = await ctx.storage.get(ctx.keyFor({ group: '', plural: 'namespaces', namespaced: false }, undefined, req.namespace));
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, req.namespace);
  return ns.metadata.labels ?? {};
}

/** The webhooks of `kind` the request must go to, in call order. */
export async function matchingWebhooks<H extends WebhookCommon>(ctx: AdmissionContext, cache: WebhookConfigCache, kind: WebhookConfigKind, attrs: AdmissionAttributes): Promise<WebhookInvocation<H>[]> {
  const all = flattenWebhooks<H>(await cache.list(kind));
  if (all.length === 0) return [];
  const req = ruleRequestOf(attrs);
  let labels: Promise<Record<string, string> | undefined> | undefined;
  let activation: Record<string, unknown> | undefined;
  const out: WebhookInvocation<H>[] = [];
  for (const invocation of all) {
    const { hook } = invocation;
    if (!rulesMatch(hook.rules, req)) continue;
    if (needsNamespaceLabels(hook.namespaceSelector, req)) {
      labels ??= namespaceLabelsOf(ctx, attrs, req);
      if (!namespaceSelectorMatches(hook.namespaceSelector, await labels)) continue;
    }
    if (!objectSelectorMatches(hook.objectSelector, attrs.object, attrs.oldObject)) continue;
    if (hook.matchConditions?.length) {
      activation ??= matchConditionActivation(attrs, ctx.authorizer);
      const outcome = await evaluateMatchConditions(hook.matchConditions, activation);
      if ('error' in outcome) {
        if (hook.failurePolicy === 'Ignore') continue;
        throw forbidden({ group: req.group, resource: req.resource }, attrs.name || attrs.object?.metadata.name || '', outcome.error);
      }
      if (!outcome.matches) continue;
    }
    out.push(invocation);
  }
  return out;
}
