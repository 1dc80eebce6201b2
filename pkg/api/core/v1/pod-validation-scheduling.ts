/**
 * PodSpec scheduling-field validation (upstream validation.go): node affinity requirements,
 * topology spread constraints, and volume item key/path pairs.
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateQualifiedNameField } from '../../validation/common-rules.ts';
import type { PodSpec } from './pod-spec.ts';

type NodeSelectorRequirement = { key: string; operator: string; values?: string[] | undefined };

/** validateNodeSelectorRequirement: operator-dependent value counts, key a label name (pure). */
export function validateNodeSelectorRequirement(path: string, rq: NodeSelectorRequirement): FieldError[] {
  const errs: FieldError[] = [];
  const n = rq.values?.length ?? 0;
  const values = child(path, 'values');
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (n === 0) errs.push(required(values, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (n > 0) errs.push({ type: 'FieldValueForbidden', field: values, detail: 'Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'' });
      break;
    case 'Gt':
    case 'Lt':
      if (n !== 1) errs.push(required(values, 'must be specified single value when `operator` is \'Lt\' or \'Gt\''));
      break;
    default:
      errs.push(invalidValue(child(path, 'operator'), rq.operator, 'not a valid selector operator'));
  }
  errs.push(...validateQualifiedNameField(child(path, 'key'), rq.key));
  return errs;
}

/** Node affinity terms: every matchExpressions requirement. */
export function validateNodeAffinity(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const na = spec.affinity?.nodeAffinity;
  if (!na) return errs;
  const reqPath = child(path, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution');
  const required = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && required.nodeSelectorTerms.length === 0) {
    errs.push({ type: 'FieldValueRequired', field: child(reqPath, 'nodeSelectorTerms'), detail: 'Required value: must have at least one node selector term' });
  }
  for (const [i, term] of (required?.nodeSelectorTerms ?? []).entries()) {
    for (const [j, rq] of (term.matchExpressions ?? []).entries()) {
      errs.push(...validateNodeSelectorRequirement(index(child(index(child(reqPath, 'nodeSelectorTerms'), i), 'matchExpressions'), j), rq));
    }
  }
  const prefPath = child(path, 'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution');
  for (const [i, p] of (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
    if (p.weight <= 0 || p.weight > 100) errs.push(invalidValue(child(index(prefPath, i), 'weight'), p.weight, 'must be in the range 1-100'));
    for (const [j, rq] of (p.preference.matchExpressions ?? []).entries()) {
      errs.push(...validateNodeSelectorRequirement(index(child(child(index(prefPath, i), 'preference'), 'matchExpressions'), j), rq));
    }
  }
  return errs;
}

const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];

/** validateTopologySpreadConstraints: positive maxSkew, a topologyKey, a known action. */
export function validateTopologySpreadConstraints(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, c] of (spec.topologySpreadConstraints ?? []).entries()) {
    const p = index(child(path, 'topologySpreadConstraints'), i);
    if (c.maxSkew <= 0) errs.push(invalidValue(child(p, 'maxSkew'), c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(required(child(p, 'topologyKey'), 'can not be empty'));
    if (!SCHEDULE_ACTIONS.includes(c.whenUnsatisfiable)) errs.push(notSupported(child(p, 'whenUnsatisfiable'), c.whenUnsatisfiable, SCHEDULE_ACTIONS));
  }
  return errs;
}
