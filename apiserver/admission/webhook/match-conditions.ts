/**
 * Evaluating a webhook's `matchConditions` (upstream webhook/matchconditions): CEL expressions
 * over `object`, `oldObject` and `request` (the AdmissionRequest the webhook would get). Any
 * condition false → the webhook is skipped; otherwise any evaluation error → skipped under
 * failurePolicy Ignore, refused (403) under Fail; all true → called.
 */
import { WEBHOOK_MATCH_CONDITION_VARIABLES, type MatchCondition } from '../../../pkg/api/admissionregistration/v1/match-conditions.ts';
import { CelEvaluationError, compileCel, jsonToCel, PER_CALL_COST_LIMIT, withCostLimit, type CelCompileResult } from '../../../pkg/cel/index.ts';
import { matchConditionsOutcome, type MatchConditionsOutcome } from '../match-condition-outcome.ts';
import type { AdmissionAttributes } from '../types.ts';
import { admissionReviewRequest } from './review.ts';

const compiled = new Map<string, CelCompileResult>();
const COMPILED_MAX = 1024;

function compile(expression: string): CelCompileResult {
  let result = compiled.get(expression);
  if (!result) {
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    result = compileCel(expression, WEBHOOK_MATCH_CONDITION_VARIABLES);
    compiled.set(expression, result);
  }
  return result;
}

/** The CEL variables of a request (the AdmissionRequest's `uid` is left empty). */
export function matchConditionActivation(attrs: AdmissionAttributes): Record<string, unknown> {
  const request = admissionReviewRequest(attrs, '').request as Record<string, unknown>;
  return { object: jsonToCel(attrs.object ?? null), oldObject: jsonToCel(attrs.oldObject ?? null), request: jsonToCel(request) };
}

/** Evaluates `conditions` against `activation` (from {@link matchConditionActivation}). Pure. */
export function evaluateMatchConditions(conditions: readonly MatchCondition[], activation: Record<string, unknown>): MatchConditionsOutcome {
  return matchConditionsOutcome(conditions, (condition) => {
    const program = compile((condition.expression ?? '').trim());
    if (!program.ok) throw new Error(`compilation failed: ${program.message}`);
    let value: unknown;
    try {
      value = program.program.evaluate(withCostLimit(activation, { remaining: PER_CALL_COST_LIMIT }));
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
      throw new Error(`matchCondition "${condition.name}" evaluation failed: ${err.message}`);
    }
    if (value !== true && value !== false) throw new Error(`matchCondition "${condition.name}" did not evaluate to a bool`);
    return value;
  });
}
