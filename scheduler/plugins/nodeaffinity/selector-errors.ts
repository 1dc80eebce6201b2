/**
 * Parse errors of node selector terms, as upstream component-helpers `nodeaffinity`
 * (NewNodeSelector / NewPreferredSchedulingTerms) reports them: `matchExpressions` become label
 * requirements (labels.NewRequirement rules), `matchFields` field requirements (In/NotIn with
 * exactly one value). Used to validate NodeAffinityArgs `addedAffinity`; the matching itself is
 * `../helper/node-selector.ts`.
 */
import { isQualifiedName, isValidLabelValue } from '../../../pkg/api/validation/index.ts';
import type { NodeSelectorRequirementLike, NodeSelectorTermLike } from '../helper/node-selector.ts';

/** One problem: where (a zod-style path) and what (upstream field-error body). */
export interface SelectorIssue {
  path: (string | number)[];
  message: string;
}

const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const FIELD_OPERATORS = ['In', 'NotIn'];

const quoted = (v: readonly string[]) => v.map((s) => JSON.stringify(s)).join(', ');
const unsupported = (value: string, supported: readonly string[]) => `Unsupported value: ${JSON.stringify(value)}: supported values: ${quoted(supported)}`;
const invalid = (value: unknown, detail: string) => `Invalid value: ${JSON.stringify(value)}: ${detail}`;

/** Problems of one `matchExpressions` requirement (empty = valid). */
export function labelRequirementIssues(req: NodeSelectorRequirementLike, path: (string | number)[]): SelectorIssue[] {
  if (!LABEL_OPERATORS.includes(req.operator)) return [{ path: [...path, 'operator'], message: unsupported(req.operator, LABEL_OPERATORS) }];
  const out: SelectorIssue[] = [];
  const values = req.values ?? [];
  const keyErrs = isQualifiedName(req.key);
  if (keyErrs.length > 0) out.push({ path: [...path, 'key'], message: invalid(req.key, keyErrs.join('; ')) });
  const valuesPath = [...path, 'values'];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) out.push({ path: valuesPath, message: invalid(values, "for 'in', 'notin' operators, values set can't be empty") });
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) out.push({ path: valuesPath, message: invalid(values, 'values set must be empty for exists and does not exist') });
      break;
    default: // Gt, Lt
      if (values.length !== 1) out.push({ path: valuesPath, message: invalid(values, "for 'Gt', 'Lt' operators, exactly one value is required") });
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) out.push({ path: [...valuesPath, i], message: invalid(v, "for 'Gt', 'Lt' operators, the value must be an integer") });
      });
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) out.push({ path: [...valuesPath, i], message: invalid(v, errs.join('; ')) });
  });
  return out;
}

/** Problems of one `matchFields` requirement (empty = valid). */
export function fieldRequirementIssues(req: NodeSelectorRequirementLike, path: (string | number)[]): SelectorIssue[] {
  if (!FIELD_OPERATORS.includes(req.operator)) return [{ path: [...path, 'operator'], message: unsupported(req.operator, FIELD_OPERATORS) }];
  const values = req.values ?? [];
  return values.length === 1 ? [] : [{ path: [...path, 'values'], message: invalid(values, 'must have one element') }];
}

/** Problems of one term; an empty term (no expressions, no fields) is skipped upstream, so it has none. */
export function nodeSelectorTermIssues(term: NodeSelectorTermLike, path: (string | number)[]): SelectorIssue[] {
  const out: SelectorIssue[] = [];
  (term.matchExpressions ?? []).forEach((r, i) => out.push(...labelRequirementIssues(r, [...path, 'matchExpressions', i])));
  (term.matchFields ?? []).forEach((r, i) => out.push(...fieldRequirementIssues(r, [...path, 'matchFields', i])));
  return out;
}
