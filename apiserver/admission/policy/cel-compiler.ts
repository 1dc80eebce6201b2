/**
 * The {@link PolicyCompiler} over the shared Kubernetes CEL module (pkg/cel): expressions compile
 * with the variables upstream declares for policies, and run against the request's JSON values
 * converted to CEL values (integers as int64). A JSON value is converted once however many
 * expressions read it; `variables` and `authorizer` already hold CEL values and are passed through.
 * Each evaluation may read at most upstream's per-call cost limit of input elements (pkg/cel
 * withCostLimit). Evaluation is asynchronous: authorizer checks ask the server's authorizer.
 */
import { compileCel, jsonToCel, PER_CALL_COST_LIMIT, variableName, withCostLimit } from '../../../pkg/cel/index.ts';
import { policyVariableNames } from '../../../pkg/api/admissionregistration/v1/policy-expressions.ts';
import type { PolicyCompiler } from './compiler.ts';

const converted = new WeakMap<object, unknown>();
/** Activation entries that already hold CEL values. */
const PASSED_THROUGH = new Set(['variables', 'authorizer']);

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
    const names = policyVariableNames(env).map(variableName);
    const compiled = compileCel(expression, names);
    if (!compiled.ok) return { ok: false, error: `compilation failed: ${compiled.message}` };
    const { program } = compiled;
    return {
      ok: true,
      program: {
        evaluate(activation) {
          const vars: Record<string, unknown> = {};
          // Only the variables the expression reads are converted; the others are declared as null
          // (an unbound authorizer is left out, so naming it fails).
          for (const name of names) {
            if (!program.references.has(name)) vars[name] = null;
            else if (!PASSED_THROUGH.has(name)) vars[name] = toCel(activation[name]);
            else if (activation[name] !== undefined) vars[name] = activation[name];
          }
          return program.evaluateAsync(withCostLimit(vars, { remaining: PER_CALL_COST_LIMIT }));
        },
      },
    };
  },
};
