/**
 * Evaluating a webhook's `matchConditions` (upstream webhook/matchconditions): CEL expressions
 * over `object`, `oldObject`, `request` (the AdmissionRequest the webhook would get) and
 * `authorizer` (checks as the requesting user, see cel-authorizer.ts). Any
 * condition false → the webhook is skipped; otherwise any evaluation error → skipped under
 * failurePolicy Ignore, refused (403) under Fail; all true → called.
 */
import { WEBHOOK_MATCH_CONDITION_VARIABLES, type MatchCondition } from '../../../pkg/api/admissionregistration/v1/match-conditions.ts';
import { CelEvaluationError, compileCel, jsonToCel, PER_CALL_COST_LIMIT, withCostLimit, type CelCompileResult } from '../../../pkg/cel/index.ts';
import { admissionCelAuthorizer } from '../cel-authorizer.ts';
import { matchConditionsOutcome, type MatchConditionsOutcome } from '../match-condition-outcome.ts';
import type { AdmissionAttributes, AdmissionAuthorizer } from '../types.ts';
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

/** The CEL variables of a request (the AdmissionRequest's `uid` is left empty); `authorizer` only with an authorizer. */
export function matchConditionActivation(attrs: AdmissionAttributes, authorizer?: AdmissionAuthorizer): Record<string, unknown> {
  const request = admissionReviewRequest(attrs, '').request as Record<string, unknown>;
  const activation: Record<string, unknown> = { object: jsonToCel(attrs.object ?? null), oldObject: jsonToCel(attrs.oldObject ?? null), request: jsonToCel(request) };
  const celAuthorizer = admissionCelAuthorizer(authorizer, attrs);
  if (celAuthorizer) activation.authorizer = celAuthorizer;
  return activation;
}

/** Evaluates `conditions` against `activation` (from {@link matchConditionActivation}). Pure but for the authorizer's checks. */
export function evaluateMatchConditions(conditions: readonly MatchCondition[], activation: Record<string, unknown>): Promise<MatchConditionsOutcome> {
  return matchConditionsOutcome(conditions, async (condition) => {
    const program = compile((condition.expression ?? '').trim());
    if (!program.ok) throw new Error(`compilation failed: ${program.message}`);
    let value: unknown;
    try {
      value = await program.program.evaluateAsync(withCostLimit(activation, { remaining: PER_CALL_COST_LIMIT }));
    } catch (err) {
      if (!(err instanceof CelEvaluationError)) throw err;
      throw new Error(`matchCondition "${condition.name}" evaluation failed: ${err.message}`);
    }
    if (value !== true && value !== false) throw new Error(`matchCondition "${condition.name}" did not evaluate to a bool`);
    return value;
  });
}
