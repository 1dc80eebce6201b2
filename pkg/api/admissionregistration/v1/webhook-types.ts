/**
 * admissionregistration.k8s.io/v1 types shared by MutatingWebhookConfiguration and
 * ValidatingWebhookConfiguration: rules, client config and the webhook fields both kinds have,
 * with upstream's v1 defaults (failurePolicy Fail, matchPolicy Equivalent, selectors `{}`,
 * timeoutSeconds 10, scope `*`).
 */
import { z } from 'zod';
import { LabelSelectorSchema, type LabelSelector } from '../../meta.ts';

/** `RuleWithOperations`: which requests a webhook sees. */
export const RuleWithOperationsSchema = z.object({
  operations: z.array(z.string()).optional(),
  apiGroups: z.array(z.string()).optional(),
  apiVersions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  scope: z.string().optional(),
});
export type RuleWithOperations = z.infer<typeof RuleWithOperationsSchema>;

/** `ServiceReference`: a webhook behind a Service (port defaults to 443). */
export const ServiceReferenceSchema = z.object({
  namespace: z.string().optional().default(''),
  name: z.string().optional().default(''),
  path: z.string().optional(),
  port: z.number().int().optional(),
});
export type ServiceReference = z.infer<typeof ServiceReferenceSchema>;

/** `WebhookClientConfig`: exactly one of `url` or `service`; `caBundle` is base64 PEM. */
export const WebhookClientConfigSchema = z.object({
  url: z.string().optional(),
  service: ServiceReferenceSchema.optional(),
  caBundle: z.string().optional(),
});
export type WebhookClientConfig = z.infer<typeof WebhookClientConfigSchema>;

/** `MatchCondition`: a named CEL expression a request must satisfy for the webhook to be called. */
export const MatchConditionSchema = z.object({ name: z.string().optional().default(''), expression: z.string().optional().default('') });

/** The fields every webhook has. */
export const webhookShape = {
  name: z.string().optional().default(''),
  clientConfig: WebhookClientConfigSchema.optional().default({}),
  rules: z.array(RuleWithOperationsSchema).optional(),
  failurePolicy: z.string().optional(),
  matchPolicy: z.string().optional(),
  namespaceSelector: LabelSelectorSchema.optional(),
  objectSelector: LabelSelectorSchema.optional(),
  sideEffects: z.string().optional(),
  timeoutSeconds: z.number().int().optional(),
  admissionReviewVersions: z.array(z.string()).optional(),
  matchConditions: z.array(MatchConditionSchema).optional(),
};

/** What the dispatchers need of a webhook of either kind. */
export interface WebhookCommon {
  name: string;
  clientConfig: WebhookClientConfig;
  rules?: RuleWithOperations[];
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  matchConditions?: { name: string; expression: string }[];
}

/** Upstream v1 defaulting for one webhook (idempotent). */
export function applyWebhookDefaults(hook: WebhookCommon): void {
  hook.failurePolicy ??= 'Fail';
  hook.matchPolicy ??= 'Equivalent';
  hook.namespaceSelector ??= {};
  hook.objectSelector ??= {};
  hook.timeoutSeconds ??= 10;
  for (const rule of hook.rules ?? []) rule.scope ??= '*';
  if (hook.clientConfig.service) hook.clientConfig.service.port ??= 443;
}
