/**
 * admissionregistration.k8s.io printers (upstream printValidatingAdmissionPolicy,
 * printValidatingAdmissionPolicyBinding, printMutatingWebhook / printValidatingWebhook):
 * VALIDATIONS and PARAMKIND (`<apiVersion>/<kind>` or `<unset>`), POLICYNAME and PARAMREF
 * (`ns/name`; `*` + `/name` without a namespace; the selector's Go rendering, or `<unset>`), WEBHOOKS.
 */
import type { LabelSelector } from '../meta.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, str } from './format.ts';
import type { Printer } from './printer.ts';

/** Go's generated `String()` of a LabelSelectorRequirement: `&LabelSelectorRequirement{Key:k,Operator:In,Values:[a b],}`. */
function requirementString(req: { key?: string; operator?: string; values?: string[] }): string {
  return `&LabelSelectorRequirement{Key:${req.key ?? ''},Operator:${req.operator ?? ''},Values:[${(req.values ?? []).join(' ')}],}`;
}

/** Go's generated `String()` of a metav1.LabelSelector (what upstream prints for a selector paramRef). Pure. */
export function goLabelSelectorString(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${selector.matchLabels![k]},`)
    .join('');
  const exprs = (selector.matchExpressions ?? []).map((r) => `${requirementString(r).replace('&', '')},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** The PARAMREF cell of a binding. Pure. */
export function paramRefCell(ref: unknown): string {
  if (!ref || typeof ref !== 'object') return '<unset>';
  const r = ref as { name?: string; namespace?: string; selector?: LabelSelector };
  if (r.name) return r.namespace ? `${r.namespace}/${r.name}` : `*/${r.name}`;
  if (r.selector) return goLabelSelectorString(r.selector);
  return '<unset>';
}

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    col('Validations', 'integer', 0, 'Validations indicates the number of validation rules defined in this configuration'),
    col('ParamKind', 'string', 0, 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn,
  ],
  row(policy, now) {
    const kind = get(policy, 'spec', 'paramKind');
    const paramKind = kind ? `${str(get(kind, 'apiVersion'))}/${str(get(kind, 'kind'))}` : '<unset>';
    return [policy.metadata.name ?? '', arr(get(policy, 'spec', 'validations')).length, paramKind, age(policy, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn,
    col('PolicyName', 'string', 0, 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 0, 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn,
  ],
  row(binding, now) {
    return [binding.metadata.name ?? '', str(get(binding, 'spec', 'policyName')), paramRefCell(get(binding, 'spec', 'paramRef')), age(binding, now)];
  },
};

export const webhookConfigurationPrinter: Printer = {
  columns: [nameColumn, col('Webhooks', 'integer', 0, 'Webhooks indicates the number of webhooks registered in this configuration'), ageColumn],
  row(config, now) {
    return [config.metadata.name ?? '', arr(config.webhooks).length, age(config, now)];
  },
};
