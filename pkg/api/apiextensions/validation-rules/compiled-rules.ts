/**
 * The compiled `x-kubernetes-validations` of one schema node, compiled once per node object (a
 * CRD version's schema is kept as long as it is served). A rule is a transition rule when it
 * refers to `oldSelf`.
 */
import { compileCel, type CelProgram } from '../../../cel/index.ts';
import type { JSONSchemaProps, ValidationRule } from '../structural/schema-props.ts';
import { validRuleFieldPath } from './rule-field-path.ts';

/** One rule with its programs, or the texts of why it does not compile. */
export interface CompiledRule {
  readonly rule: ValidationRule;
  readonly program?: CelProgram;
  readonly ruleError?: string;
  readonly messageProgram?: CelProgram;
  readonly messageError?: string;
  readonly usesOldSelf: boolean;
  /** The validated `fieldPath`, as a suffix for error paths ('' when unset). */
  readonly fieldPath: string;
}

const VARIABLES = ['self', 'oldSelf'];
/** `optionalOldSelf` rules see `oldSelf` as an optional (none on create). */
const OPTIONAL_OLD_SELF_VARIABLES = ['self', { name: 'oldSelf', type: 'optional<dyn>' }];
const cache = new WeakMap<JSONSchemaProps, readonly CompiledRule[]>();

function compileRule(rule: ValidationRule, node: JSONSchemaProps): CompiledRule {
  const expression = rule.rule ?? '';
  const variables = rule.optionalOldSelf ? OPTIONAL_OLD_SELF_VARIABLES : VARIABLES;
  const compiled = compileCel(expression, variables);
  const base = { rule, fieldPath: '', usesOldSelf: compiled.ok && compiled.program.references.has('oldSelf') };
  let result: CompiledRule = compiled.ok
    ? compiled.program.type === 'bool' || compiled.program.type === 'dyn'
      ? { ...base, program: compiled.program }
      : { ...base, ruleError: 'cel expression must evaluate to a bool' }
    : { ...base, ruleError: `compilation failed: ${compiled.message}` };
  if (rule.messageExpression?.trim()) {
    const message = compileCel(rule.messageExpression, variables);
    if (!message.ok) result = { ...result, messageError: `messageExpression compilation failed: ${message.message}` };
    else if (message.program.type !== 'string' && message.program.type !== 'dyn') result = { ...result, messageError: 'must evaluate to string' };
    else result = { ...result, messageProgram: message.program };
  }
  const fieldPath = rule.fieldPath?.trim() ? validRuleFieldPath(rule.fieldPath, node) : undefined;
  return fieldPath?.ok ? { ...result, fieldPath: fieldPath.path } : result;
}

/** The node's rules, compiled (empty when it has none). */
export function compiledRules(node: JSONSchemaProps): readonly CompiledRule[] {
  let rules = cache.get(node);
  if (!rules) {
    rules = (node['x-kubernetes-validations'] ?? []).map((rule) => compileRule(rule, node));
    cache.set(node, rules);
  }
  return rules;
}
