/**
 * Evaluating a webhook's `matchConditions` (upstream webhook/matchconditions): CEL expressions
 * over `object`, `oldObject` and `request` (the AdmissionRequest the webhook would get). Any
 * condition false → the webhook is skipped; otherwise any evaluation error → skipped under
 * failurePolicy Ignore, refused (403) under Fail; all true → called.
 */
import { WEBHOOK_MATCH_CONDITION_VARIABLES, type MatchCondition } from '../../../pkg/api/admissionregistration/v1/match-conditions.ts';
import { CelEvaluationError, compileCel, jsonToCel, withCostLimit, type CelCompileResult } from '../../../pkg/cel/index.ts';
import type { AdmissionAttributes } from '../types.ts';
import { admissionReviewRequest } from './review.ts';

/** Whether to call the webhook, or why its conditions could not be evaluated. */
export type MatchConditionsOutcome = { matches: boolean } | { error: string };

/** Input reads one condition may make (upstream's per-call cost limit). */
const PER_CALL_LIMIT = 1_000_000;
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
  const errors: string[] = [];
  for (const condition of conditions) {
    const program = compile((condition.expression ?? '').trim());
    if (!program.ok) {
      errors.push(`compilation failed: ${program.message}`);
      continue;
    }
    try {
      const value = program.program.evaluate(withCostLimit(activation, { remaining: PER_CALL_LIMIT }));
      if (value === false) return { matches: false };
      if (value !== true) errors.push(`matchCondition "${condition.name}" did not evaluate to a bool`);
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
      errors.push(`matchCondition "${condition.name}" evaluation failed: ${err.message}`);
    }
  }
  return errors.length ? { error: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` } : { matches: true };
}
