/**
 * The {@link PolicyCompiler} over the shared Kubernetes CEL module (pkg/cel): expressions compile
 * with the variables upstream declares for policies, and run against the request's JSON values
 * converted to CEL values (integers as int64). A JSON value is converted once however many
 * expressions read it; `variables` already holds CEL values and is passed through. Each evaluation
 * may read at most upstream's per-call cost limit of input elements (pkg/cel withCostLimit).
 */
import { compileCel, jsonToCel, PER_CALL_COST_LIMIT, withCostLimit } from '../../../pkg/cel/index.ts';
import { policyVariableNames } from '../../../pkg/api/admissionregistration/v1/policy-expressions.ts';
import type { PolicyCompiler } from './compiler.ts';

const converted = new WeakMap<object, unknown>();


function toCel(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return jsonToCel(value);
  let cel = converted.get(value);
  if (cel === undefined) {
    cel = jsonToCel(value);
    converted.set(value, cel);
  }
  return cel;
}

export const celPolicyCompiler: PolicyCompiler = {
  compile(expression, env) {
    const names = policyVariableNames(env);
    const compiled = compileCel(expression, names);
    if (!compiled.ok) return { ok: false, error: `compilation failed: ${compiled.message}` };
    const { program } = compiled;
    return {
      ok: true,
      program: {
        evaluate(activation) {
          const vars: Record<string, unknown> = {};
          // Only the variables the expression reads are converted; the others are declared as null.
          for (const name of names) vars[name] = !program.references.has(name) ? null : name === 'variables' ? activation.variables : toCel(activation[name]);
          return program.evaluate(withCostLimit(vars, { remaining: PER_CALL_COST_LIMIT }));
        },
      },
    };
  },
};
