/**
 * CRD-time checks of `x-kubernetes-validations` (upstream apiextensions validation): each rule
 * is specified, messages are single non-empty lines, reasons are supported, `fieldPath` names a
 * declared field, and — when the schema has no other problem — rules and messageExpressions
 * compile, and transition rules sit where old values can be correlated.
 */
import type { FieldError } from '../../../errors/index.ts';
import { index } from '../../validation/field-errors.ts';
import { child, fieldInvalid, fieldNotSupported, fieldRequired, propertiesKey } from '../structural/field-errors.ts';
import { additionalPropertiesSchema, type JSONSchemaProps, type ValidationRule } from '../structural/schema-props.ts';
import { formatCompileError } from '../../../cel/index.ts';
import { compiledRules, type CompiledRule } from './compiled-rules.ts';
import { celSelfSchema, findUndefinedField } from './schema-references.ts';
import { validRuleFieldPath } from './rule-field-path.ts';

const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const hasNewlines = (s: string) => /[\n\r]/.test(s);

function goPointer(type: string, value: unknown): string {
  return value === undefined ? `(*${type})(nil)` : `(*${type})(${JSON.stringify(value)})`;
}

/** The rule as Go's `%#v` prints an `apiextensions.ValidationRule` (pointers shown by value). */
export function goValidationRule(rule: ValidationRule): string {
  const q = (s: string | undefined) => JSON.stringify(s ?? '');
  return (
    `apiextensions.ValidationRule{Rule:${q(rule.rule)}, Message:${q(rule.message)}, MessageExpression:${q(rule.messageExpression)}, ` +
    `Reason:${goPointer('apiextensions.FieldValueErrorReason', rule.reason)}, FieldPath:${q(rule.fieldPath)}, OptionalOldSelf:${goPointer('bool', rule.optionalOldSelf)}}`
  );
}

function formatErrors(rule: ValidationRule, path: string, node: JSONSchemaProps): FieldError[] {
  const errs: FieldError[] = [];
  const trimmedRule = (rule.rule ?? '').trim();
  const message = rule.message ?? '';
  const trimmedMsg = message.trim();
  if (!trimmedRule) errs.push(fieldRequired(child(path, 'rule'), 'rule is not specified'));
  else if (message.length > 0 && !trimmedMsg) errs.push(fieldInvalid(child(path, 'message'), message, 'message must be non-empty if specified'));
  else if (message.length > 2048) errs.push(fieldInvalid(child(path, 'message'), `${message.slice(0, 10)}...`, 'message must have a maximum length of 2048 characters'));
  else if (hasNewlines(trimmedMsg)) errs.push(fieldInvalid(child(path, 'message'), message, 'message must not contain line breaks'));
  else if (hasNewlines(trimmedRule) && !trimmedMsg) errs.push(fieldRequired(child(path, 'message'), 'message must be specified if rule contains line breaks'));
  if (rule.messageExpression !== undefined && rule.messageExpression.length > 0 && !rule.messageExpression.trim()) {
    errs.push(fieldRequired(child(path, 'messageExpression'), 'messageExpression must be non-empty if specified'));
  }
  if (rule.reason !== undefined && !REASONS.includes(rule.reason)) errs.push(fieldNotSupported(child(path, 'reason'), rule.reason, REASONS));
  const fieldPath = rule.fieldPath ?? '';
  if (fieldPath.length > 0 && !fieldPath.trim()) errs.push(fieldInvalid(child(path, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
  if (hasNewlines(fieldPath)) errs.push(fieldInvalid(child(path, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
  if (fieldPath.length > 0) {
    const valid = validRuleFieldPath(fieldPath, node);
    if (!valid.ok) errs.push(fieldInvalid(child(path, 'fieldPath'), fieldPath, `fieldPath must be a valid path: ${valid.error}`));
  }
  return errs;
}

/** cel-go's `undefined field` compile error, when the rule selects a field its schema does not declare. */
function undefinedFieldError(compiled: CompiledRule, node: JSONSchemaProps, resourceRoot: boolean): string | undefined {
  if (!compiled.program) return undefined;
  const self = celSelfSchema(node, resourceRoot);
  const found = findUndefinedField(compiled.program.ast, new Map([['self', self], ['oldSelf', self]]));
  if (!found) return undefined;
  return `compilation failed: ${formatCompileError(compiled.program.expression, { message: `undefined field '${found.field}'`, range: { start: found.offset, end: found.offset } })}`;
}

function compileErrors(node: JSONSchemaProps, path: string, uncorrelatable: string | undefined, resourceRoot: boolean): FieldError[] {
  const errs: FieldError[] = [];
  compiledRules(node).forEach((compiled, i) => {
    const rulePath = child(index(child(path, 'x-kubernetes-validations'), i), 'rule');
    const shown = `Invalid value: ${goValidationRule(compiled.rule)}: `;
    const ruleError = compiled.ruleError ?? undefinedFieldError(compiled, node, resourceRoot);
    if (ruleError) errs.push({ type: 'FieldValueInvalid', field: rulePath, detail: shown + ruleError });
    if (compiled.messageError) {
      errs.push({ type: 'FieldValueInvalid', field: child(index(child(path, 'x-kubernetes-validations'), i), 'messageExpression'), detail: shown + compiled.messageError });
    }
    if (compiled.usesOldSelf && uncorrelatable !== undefined) {
      errs.push(fieldInvalid(rulePath, compiled.rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
    }
  });
  return errs;
}

interface Walk {
  format: FieldError[];
  compile: FieldError[];
}

function walk(node: JSONSchemaProps, path: string, uncorrelatable: string | undefined, out: Walk, resourceRoot = false): void {
  const rules = node['x-kubernetes-validations'] ?? [];
  rules.forEach((rule, i) => out.format.push(...formatErrors(rule, index(child(path, 'x-kubernetes-validations'), i), node)));
  if (rules.length > 0) out.compile.push(...compileErrors(node, path, uncorrelatable, resourceRoot));
  for (const [k, prop] of Object.entries(node.properties ?? {})) walk(prop, propertiesKey(path, k), uncorrelatable, out);
  const ap = additionalPropertiesSchema(node);
  if (ap) walk(ap, child(path, 'additionalProperties'), node['x-kubernetes-map-type'] === 'atomic' ? (uncorrelatable ?? path) : uncorrelatable, out);
  if (node.items && !Array.isArray(node.items)) {
    const correlatable = node['x-kubernetes-list-type'] === 'map';
    walk(node.items, child(path, 'items'), correlatable ? uncorrelatable : (uncorrelatable ?? path), out);
  }
}

/**
 * The x-kubernetes-validations errors of a version's `openAPIV3Schema` at `path`. Compilation is
 * only reported when `schemaIsValid` (upstream skips CEL checks when the schema has errors) and
 * the rules' own format is fine.
 */
export function validateRuleDefinitions(schema: JSONSchemaProps, path: string, schemaIsValid: boolean): FieldError[] {
  const out: Walk = { format: [], compile: [] };
  walk(schema, path, undefined, out, true);
  return out.format.length > 0 || !schemaIsValid ? out.format : out.compile;
}
