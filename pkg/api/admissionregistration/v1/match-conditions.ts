/**
 * `matchConditions` (webhooks, ValidatingAdmissionPolicy): validation as upstream's
 * `validateMatchConditions` — at most 64, each with a qualified, unique name and a CEL
 * expression that compiles to a bool over the declared variables.
 */
import { AUTHORIZER_VARIABLE, compileCel, type CelVariable } from '../../../cel/index.ts';
import type { FieldError } from '../../../errors/index.ts';
import { duplicate, invalidValue, required, tooMany } from '../../validation/field-errors.ts';
import { isQualifiedName } from '../../validation/names.ts';

/** One condition as stored. */
export interface MatchCondition {
  name?: string;
  expression?: string;
}

/** The variables a webhook's match conditions may use (upstream's, with `authorizer` and `authorizer.requestResource`). */
export const WEBHOOK_MATCH_CONDITION_VARIABLES: readonly CelVariable[] = ['object', 'oldObject', 'request', AUTHORIZER_VARIABLE];

/** Field errors of a `matchConditions` list at `path`, compiled against `variables`. */
export function validateMatchConditions(conditions: readonly MatchCondition[] | undefined, path: string, variables: readonly CelVariable[]): FieldError[] {
  const errs: FieldError[] = [];
  const list = conditions ?? [];
  if (list.length > 64) errs.push(tooMany(path, list.length, 64));
  const names = new Set<string>();
  list.forEach((condition, i) => {
    const at = `${path}[${i}]`;
    const expression = (condition.expression ?? '').trim();
    if (!expression) errs.push(required(`${at}.expression`));
    else {
      const compiled = compileCel(expression, variables);
      if (!compiled.ok) errs.push(invalidValue(`${at}.expression`, expression, `compilation failed: ${compiled.message}`));
      else if (compiled.program.type !== 'bool' && compiled.program.type !== 'dyn') errs.push(invalidValue(`${at}.expression`, expression, 'must evaluate to bool'));
    }
    const name = condition.name ?? '';
    if (!name) errs.push(required(`${at}.name`));
    else errs.push(...isQualifiedName(name).map((m) => invalidValue(`${at}.name`, name, m)));
    if (name) {
      if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
  });
  return errs;
}
