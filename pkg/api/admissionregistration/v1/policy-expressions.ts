/**
 * ValidatingAdmissionPolicy expressions in the Kubernetes CEL environment (pkg/cel): the variables
 * each kind of expression may use, and the compile check validation applies at create/update —
 * syntax errors, undeclared references and results of the wrong type are rejected with upstream's
 * `compilation failed: ERROR: <input>:…` / `must evaluate to bool` details. `authorizer` is
 * declared where upstream declares it (every expression but messageExpression).
 */
import { compileCel, type CelCompileResult } from '../../../cel/index.ts';
import { policyVariableNames, type ExpressionChecker, type ExpressionEnvironment } from './policy-validation.ts';
import { defineValidatingAdmissionPolicyResource } from './validatingadmissionpolicy.ts';

export { policyVariableNames };

/** Compiles `expression` for a policy; `expect` is the result type upstream requires, when it can be seen. */
export function compilePolicyExpression(expression: string, env: ExpressionEnvironment, expect?: 'bool' | 'string'): { ok: true; compiled: Extract<CelCompileResult, { ok: true }> } | { ok: false; detail: string } {
  const compiled = compileCel(expression, policyVariableNames(env));
  if (!compiled.ok) return { ok: false, detail: `compilation failed: ${compiled.message}` };
  const type = compiled.program.type;
  if (expect && type !== expect && type !== 'dyn') return { ok: false, detail: `must evaluate to ${expect}` };
  return { ok: true, compiled };
}

/** The validation-time checker (expressions must compile; validations must be bool). */
export const celExpressionChecker: ExpressionChecker = (expression, env, expect) => {
  const result = compilePolicyExpression(expression, env, expect);
  return result.ok ? undefined : { type: 'Invalid', detail: result.detail };
};

/** The served ValidatingAdmissionPolicy resource, its expressions compiled with pkg/cel. */
export const validatingAdmissionPolicyResource = defineValidatingAdmissionPolicyResource(celExpressionChecker);
