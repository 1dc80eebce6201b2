/**
 * Running a CRD's `x-kubernetes-validations` on a custom object (upstream
 * apiextensions-apiserver schema/cel `Validator`): every non-null value whose schema node has
 * rules is checked with `self` bound to it (typed by the schema) and, for transition rules, with
 * `oldSelf` bound to the correlated old value. Old values correlate through properties, granular
 * maps and map-type lists; a transition rule without an old value is skipped unless
 * `optionalOldSelf` is set. Errors of rules that do not use `oldSelf` are ratcheted: a value
 * equal to its old value (or inside an uncorrelatable part equal to its old parent) is not
 * refused again. Cost is limited as upstream: each evaluation may read at most
 * {@link PER_CALL_COST_LIMIT} input elements, one object's rules together {@link OBJECT_BUDGET}; past
 * either, no further rule runs and the write is refused.
 */
import { Optional } from '@marcbachmann/cel-js';
import { CelEvaluationError, COST_LIMIT_EXCEEDED, PER_CALL_COST_LIMIT, schemaValueToCel, withCostLimit, type CelCostBudget } from '../../../cel/index.ts';
import type { FieldError } from '../../../errors/index.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, index, key } from '../../validation/field-errors.ts';
import { NIL_PATH } from '../structural/field-errors.ts';
import { additionalPropertiesSchema, propertySchema, type JSONSchemaProps, type ValidationRule } from '../structural/schema-props.ts';
import { compiledRules, type CompiledRule } from './compiled-rules.ts';

/** Input reads all rules of one object may make (upstream `RuntimeCELCostBudget`). */
export const OBJECT_BUDGET = 10_000_000;

/** The state shared by one object's validation: its remaining budget, and whether rules stopped. */
interface Run {
  budget: CelCostBudget;
  stopped: boolean;
  errs: FieldError[];
}

/** The value at a node and what it is compared with. `old` is undefined when nothing correlates. */
interface Visit {
  node: JSONSchemaProps;
  value: unknown;
  old: unknown;
  path: string;
  /** Whether errors at this node are ratcheted: its (or its nearest correlated ancestor's) value is unchanged. */
  unchanged: boolean;
  resourceRoot: boolean;
}

function ruleText(rule: ValidationRule): string {
  return rule.message?.trim() || (rule.rule ?? '').trim();
}

function fieldError(reason: string | undefined, field: string, type: string, detail: string): FieldError {
  const shown = JSON.stringify(type);
  if (reason === 'FieldValueForbidden') return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
  if (reason === 'FieldValueRequired') return { type: 'FieldValueRequired', field, detail: `Required value: ${detail}` };
  if (reason === 'FieldValueDuplicate') return { type: 'FieldValueDuplicate', field, detail: `Duplicate value: ${shown}` };
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${shown}: ${detail}` };
}

function message(compiled: CompiledRule, activation: Record<string, unknown>): string {
  if (compiled.messageProgram) {
    try {
      const text = compiled.messageProgram.evaluate(activation);
      if (typeof text === 'string' && text.trim() && !/[\n\r]/.test(text.trim())) return text.trim();
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
    }
  }
  return compiled.rule.message?.trim() || `failed rule: ${ruleText(compiled.rule)}`;
}

function runRules(v: Visit, run: Run): void {
  const rules = compiledRules(v.node);
  if (rules.length === 0 || run.stopped) return;
  const { errs } = run;
  const type = v.node.type ?? '';
  const path = v.path || NIL_PATH;
  const invalid = (detail: string): FieldError => ({ type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${JSON.stringify(type)}: ${detail}` });
  const self = schemaValueToCel(v.value, v.node, v.resourceRoot);
  const oldSelf = v.old === undefined ? undefined : schemaValueToCel(v.old, v.node, v.resourceRoot);
  for (const compiled of rules) {
    if (compiled.ruleError) {
      errs.push(invalid(`rule compile error: ${compiled.ruleError}`));
      continue;
    }
    if (!compiled.program) continue;
    const optionalOldSelf = compiled.rule.optionalOldSelf === true;
    if (compiled.usesOldSelf && v.old === undefined && !optionalOldSelf) continue;
    if (run.budget.remaining <= 0) {
      errs.push(invalid('validation failed due to running out of cost budget, no further validation rules will be run'));
      run.stopped = true;
      return;
    }
    const call: CelCostBudget = { remaining: Math.min(PER_CALL_COST_LIMIT, run.budget.remaining) };
    const limitedOld = withCostLimit(oldSelf, call);
    const activation = { self: withCostLimit(self, call), oldSelf: optionalOldSelf ? (v.old === undefined ? Optional.none() : Optional.of(limitedOld)) : limitedOld };
    let result: unknown;
    const before = call.remaining;
    try {
      result = compiled.program.evaluate(activation);
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
      if (err.message === COST_LIMIT_EXCEEDED) {
        errs.push(invalid(`'${err.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText(compiled.rule)}`));
        run.stopped = true;
        return;
      }
      const detail = err.message.startsWith('no such overload')
        ? `'${err.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(compiled.rule)}`
        : `${err.message} evaluating rule: ${ruleText(compiled.rule)}`;
      errs.push(invalid(detail));
      continue;
    } finally {
      run.budget.remaining -= before - call.remaining;
    }
    if (result === true) continue;
    if (!compiled.usesOldSelf && v.unchanged) continue;
    // Upstream appends the normalized fieldPath as one child name (`spec.limits.[memory]` for a map key).
    const field = compiled.fieldPath ? (v.path ? `${v.path}.${compiled.fieldPath}` : compiled.fieldPath) : path;
    errs.push(fieldError(compiled.rule.reason, field, type, message(compiled, activation)));
  }
}

function mapListKey(item: unknown, keys: readonly string[]): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  return JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k] ?? null));
}

function visitChildren(v: Visit, run: Run): void {
  const { node, value, old } = v;
  if (Array.isArray(value)) {
    const items = node.items && !Array.isArray(node.items) ? node.items : undefined;
    if (!items) return;
    const keys = node['x-kubernetes-list-type'] === 'map' ? (node['x-kubernetes-list-map-keys'] ?? []) : undefined;
    const oldByKey = new Map<string, unknown>();
    if (keys && Array.isArray(old)) for (const item of old) oldByKey.set(mapListKey(item, keys) ?? '', item);
    value.forEach((item, i) => {
      const oldItem = keys ? oldByKey.get(mapListKey(item, keys) ?? '\0') : undefined;
      const unchanged = oldItem !== undefined ? deepEqual(item, oldItem) : v.unchanged;
      validateNode({ node: items, value: item, old: oldItem, path: index(v.path, i), unchanged, resourceRoot: items['x-kubernetes-embedded-resource'] === true }, run);
    });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const oldMap = old !== null && typeof old === 'object' && !Array.isArray(old) ? (old as Record<string, unknown>) : undefined;
  const correlatable = node['x-kubernetes-map-type'] !== 'atomic';
  const additional = additionalPropertiesSchema(node);
  for (const [k, item] of Object.entries(value as Record<string, unknown>)) {
    const sub = node.properties ? propertySchema(node, k) : additional;
    if (!sub) continue;
    const oldItem = correlatable && oldMap && Object.hasOwn(oldMap, k) ? oldMap[k] : undefined;
    const unchanged = oldItem !== undefined ? deepEqual(item, oldItem) : correlatable ? false : v.unchanged;
    const path = node.properties ? child(v.path, k) : key(v.path, k);
    validateNode({ node: sub, value: item, old: oldItem, path, unchanged, resourceRoot: sub['x-kubernetes-embedded-resource'] === true }, run);
  }
}

function validateNode(v: Visit, run: Run): void {
  if (v.value === null || v.value === undefined || run.stopped) return;
  runRules(v, run);
  visitChildren(v, run);
}

const withRules = new WeakMap<JSONSchemaProps, boolean>();

/** True when some node of the schema declares rules (most CRDs have none: nothing to walk). */
export function hasValidationRules(node: JSONSchemaProps | undefined): boolean {
  if (!node) return false;
  let known = withRules.get(node);
  if (known === undefined) {
    const items = node.items && !Array.isArray(node.items) ? node.items : undefined;
    known =
      (node['x-kubernetes-validations'] ?? []).length > 0 ||
      Object.values(node.properties ?? {}).some(hasValidationRules) ||
      hasValidationRules(additionalPropertiesSchema(node)) ||
      hasValidationRules(items);
    withRules.set(node, known);
  }
  return known;
}

/**
 * Schema error types after which upstream runs no rule (its `hasBlockingErr`): a wrong type, a
 * missing required field, an enum, length or size violation means the object lacks the shape the
 * rules were written for.
 */
const RULE_BLOCKING_ERRORS: ReadonlySet<string> = new Set(['FieldValueTypeInvalid', 'FieldValueRequired', 'FieldValueNotSupported', 'FieldValueTooLong', 'FieldValueTooMany']);

/**
 * The rule violations of a custom object (`old` on update), with upstream paths and messages.
 * `schemaErrors` are the object's schema and metadata validation errors: one of
 * {@link RULE_BLOCKING_ERRORS} blocks the rules, and a single error says so instead.
 */
export function validateCustomObjectRules(obj: Record<string, unknown>, old: Record<string, unknown> | undefined, schema: JSONSchemaProps, schemaErrors: readonly FieldError[] = []): FieldError[] {
  if (!hasValidationRules(schema)) return [];
  if (schemaErrors.some((e) => RULE_BLOCKING_ERRORS.has(e.type))) {
    return [{ type: 'FieldValueInvalid', field: NIL_PATH, detail: 'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' }];
  }
  const run: Run = { budget: { remaining: OBJECT_BUDGET }, stopped: false, errs: [] };
  validateNode({ node: schema, value: obj, old, path: '', unchanged: old !== undefined && deepEqual(obj, old), resourceRoot: true }, run);
  return run.errs;
}
