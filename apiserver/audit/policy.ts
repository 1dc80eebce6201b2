/**
 * The audit policy (`audit.k8s.io/v1` `Policy`, also v1beta1/v1alpha1, which share the fields
 * k8ts reads): zod schema, upstream's validation (`ValidatePolicy`) and the file reader behind
 * `--audit-policy-file`. A policy that does not decode, fails validation or has no rules stops
 * start-up with upstream's text. Unknown fields are tolerated (upstream falls back to lenient
 * decoding with a warning).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { decodeConfigObject } from '../admission/config/decode.ts';
import { goStringSlice } from '../../pkg/api/validation/common-rules.ts';

/** How much of a request is recorded, from nothing to both bodies. */
export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** The points of a request's life an event is written at. */
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

const stringList = z.array(z.string()).nullish();

const GroupResourcesSchema = z.object({
  group: z.string().nullish(),
  resources: stringList,
  resourceNames: stringList,
});

const PolicyRuleSchema = z.object({
  level: z.string().nullish(),
  users: stringList,
  userGroups: stringList,
  verbs: stringList,
  resources: z.array(GroupResourcesSchema).nullish(),
  namespaces: stringList,
  nonResourceURLs: stringList,
  omitStages: stringList,
  omitManagedFields: z.boolean().nullish(),
});

const PolicySchema = z.object({
  apiVersion: z.string(),
  kind: z.literal('Policy'),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  rules: z.array(PolicyRuleSchema).nullish(),
  omitStages: stringList,
  omitManagedFields: z.boolean().nullish(),
});

/** One rule's resource selector: a group (`""` = core) and its resources (`pods`, `pods/log`, `*`, `* /status`, `deployments/*`). */
export interface GroupResources {
  group: string;
  resources: string[];
  resourceNames: string[];
}

/** One policy rule; empty lists match everything. The first matching rule decides. */
export interface PolicyRule {
  level: AuditLevel;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: GroupResources[];
  /** `""` matches cluster-scoped requests. */
  namespaces: string[];
  /** Paths; a trailing `*` matches a prefix, `*` alone any path. */
  nonResourceURLs: string[];
  omitStages: AuditStage[];
  /** Undefined: the policy's setting applies. */
  omitManagedFields?: boolean;
}

/** A validated audit policy, lists normalised (never null). */
export interface AuditPolicy {
  rules: PolicyRule[];
  omitStages: AuditStage[];
  omitManagedFields: boolean;
}

/** Raised for a policy that cannot be used; the message is upstream's. */
export class AuditPolicyError extends Error {
  override readonly name = 'AuditPolicyError';
}

type RawRule = z.infer<typeof PolicyRuleSchema>;

const isDns1123Subdomain = (s: string) => s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);

/** Upstream's field errors for one rule (`rules[i].level: Required value`, …). Pure. */
function ruleErrors(rule: RawRule, path: string): string[] {
  const errors: string[] = [];
  const level = rule.level ?? '';
  if (level === '') errors.push(`${path}.level: Required value`);
  else if (!(AUDIT_LEVELS as readonly string[]).includes(level)) errors.push(`${path}.level: Unsupported value: "${level}": supported values: ${AUDIT_LEVELS.map((l) => `"${l}"`).join(', ')}`);
  (rule.nonResourceURLs ?? []).forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) errors.push(`${path}.nonResourceURLs[${i}]: Invalid value: "${url}": non-resource URL rules must begin with a '/' character`);
    if (url !== '' && url.slice(0, -1).includes('*')) errors.push(`${path}.nonResourceURLs[${i}]: Invalid value: "${url}": non-resource URL wildcards '*' must be the final character of the rule`);
  });
  for (const gr of rule.resources ?? []) {
    if (gr.group && !isDns1123Subdomain(gr.group)) errors.push(`${path}.resources.group: Invalid value: "${gr.group}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`);
    if ((gr.resourceNames ?? []).length > 0 && (gr.resources ?? []).length === 0) errors.push(`${path}.resources.resourceNames: Invalid value: ${goStringSlice(gr.resourceNames ?? [])}: using resourceNames requires at least one resource`);
  }
  (rule.omitStages ?? []).forEach((stage, i) => {
    if (!(AUDIT_STAGES as readonly string[]).includes(stage)) errors.push(`${path}.omitStages[${i}]: Invalid value: "${stage}": allowed stages are ${AUDIT_STAGES.join(',')}`);
  });
  if ((rule.nonResourceURLs ?? []).length > 0 && ((rule.resources ?? []).length > 0 || (rule.namespaces ?? []).length > 0)) {
    errors.push(`${path}.nonResourceURLs: Invalid value: ${goStringSlice(rule.nonResourceURLs ?? [])}: rules cannot apply to both regular resources and non-resource URLs`);
  }
  return errors;
}

/** Upstream's aggregate error text: one error alone, several as `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

function normaliseRule(rule: RawRule): PolicyRule {
  return {
    level: rule.level as AuditLevel,
    users: rule.users ?? [],
    userGroups: rule.userGroups ?? [],
    verbs: rule.verbs ?? [],
    resources: (rule.resources ?? []).map((gr) => ({ group: gr.group ?? '', resources: gr.resources ?? [], resourceNames: gr.resourceNames ?? [] })),
    namespaces: rule.namespaces ?? [],
    nonResourceURLs: rule.nonResourceURLs ?? [],
    omitStages: (rule.omitStages ?? []) as AuditStage[],
    ...(rule.omitManagedFields !== undefined && rule.omitManagedFields !== null ? { omitManagedFields: rule.omitManagedFields } : {}),
  };
}

/** A decoded policy document (YAML or JSON object) → the validated policy; throws {@link AuditPolicyError}. Pure. */
export function parseAuditPolicy(raw: unknown, source?: string): AuditPolicy {
  const decoded = decodeConfigObject(raw, { group: 'audit.k8s.io', versions: ['v1', 'v1beta1', 'v1alpha1'], kind: 'Policy', schema: PolicySchema, strict: false, source });
  if (!decoded.ok) throw new AuditPolicyError(`failed decoding: ${decoded.message}`);
  const policy = decoded.value;
  const errors = (policy.rules ?? []).flatMap((rule, i) => ruleErrors(rule, `rules[${i}]`));
  if (errors.length) throw new AuditPolicyError(aggregate(errors));
  if ((policy.rules ?? []).length === 0) throw new AuditPolicyError('loaded illegal policy with 0 rules');
  return { rules: (policy.rules ?? []).map(normaliseRule), omitStages: (policy.omitStages ?? []) as AuditStage[], omitManagedFields: policy.omitManagedFields ?? false };
}

/** Reads `--audit-policy-file` (YAML or JSON); throws {@link AuditPolicyError} with upstream's start-up text. */
export function loadAuditPolicyFile(file: string): AuditPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuditPolicyError(`failed to read file path "${file}": ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseAuditPolicy(parseYaml(text), text);
  } catch (err) {
    const message = err instanceof AuditPolicyError ? err.message : `failed decoding: ${(err as Error).message}`;
    throw new AuditPolicyError(`loading audit policy file: ${message}: from file ${file}`, { cause: err });
  }
}
