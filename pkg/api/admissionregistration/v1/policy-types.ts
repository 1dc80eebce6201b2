/**
 * admissionregistration.k8s.io/v1 types shared by ValidatingAdmissionPolicy and its binding:
 * `MatchResources` (which requests a policy or binding covers), `ParamKind` / `ParamRef` (the
 * parameter object), and upstream's v1 defaulting of `MatchResources` (matchPolicy Equivalent,
 * selectors `{}`, each rule's scope `*`).
 */
import { z } from 'zod';
import { LabelSelectorSchema, type LabelSelector } from '../../meta.ts';
import type { RuleWithOperations } from './webhook-types.ts';

/** `NamedRuleWithOperations`: a rule, optionally narrowed to some object names. */
export const NamedRuleWithOperationsSchema = z.object({
  resourceNames: z.array(z.string()).optional(),
  operations: z.array(z.string()).optional(),
  apiGroups: z.array(z.string()).optional(),
  apiVersions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  scope: z.string().optional(),
});
export type NamedRuleWithOperations = z.infer<typeof NamedRuleWithOperationsSchema> & RuleWithOperations;

/** `MatchResources`: selectors and rules; exclude rules win over resource rules. */
export const MatchResourcesSchema = z.object({
  namespaceSelector: LabelSelectorSchema.optional(),
  objectSelector: LabelSelectorSchema.optional(),
  resourceRules: z.array(NamedRuleWithOperationsSchema).optional(),
  excludeResourceRules: z.array(NamedRuleWithOperationsSchema).optional(),
  matchPolicy: z.string().optional(),
});
export interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: NamedRuleWithOperations[];
  excludeResourceRules?: NamedRuleWithOperations[];
  matchPolicy?: string;
}

/** `ParamKind`: the group/version and kind of the policy's parameter objects. */
export const ParamKindSchema = z.object({ apiVersion: z.string().optional(), kind: z.string().optional() });
export type ParamKind = z.infer<typeof ParamKindSchema>;

/** `ParamRef`: which parameter object(s) a binding uses (by name or by selector). */
export const ParamRefSchema = z.object({
  name: z.string().optional(),
  namespace: z.string().optional(),
  selector: LabelSelectorSchema.optional(),
  parameterNotFoundAction: z.string().optional(),
});
export type ParamRef = z.infer<typeof ParamRefSchema>;

/** `MatchCondition`: a named CEL expression that must be true for the policy to apply. */
export const PolicyMatchConditionSchema = z.object({ name: z.string().optional().default(''), expression: z.string().optional().default('') });
export type PolicyMatchCondition = z.infer<typeof PolicyMatchConditionSchema>;

/** Upstream `SetDefaults_MatchResources` and `SetDefaults_Rule` (idempotent). */
export function applyMatchResourcesDefaults(match: MatchResources): void {
  match.matchPolicy ??= 'Equivalent';
  match.namespaceSelector ??= {};
  match.objectSelector ??= {};
  for (const rule of [...(match.resourceRules ?? []), ...(match.excludeResourceRules ?? [])]) rule.scope ??= '*';
}
