/**
 * Evaluates one compiled policy for one (binding, param) against the request's CEL activation
 * (upstream validating.validator and matchconditions.Matcher): match conditions first (any false
 * → nothing to do; errors → the failurePolicy), then each validation. A validation that is not
 * `true` denies with its messageExpression's result, else its message, else
 * `failed expression: <expression>`, and its reason (default Invalid); an expression that fails to
 * compile or evaluate denies under failurePolicy Fail and is ignored under Ignore. `spec.variables`
 * are evaluated lazily: only those an expression names (`variables.x`), each at most once; audit
 * annotations last (a failing one rejects under Fail, as upstream). Asynchronous because
 * `authorizer` checks ask the server's authorizer; expressions run one at a time, in order. Pure
 * but for those checks.
 */
import { matchConditionsOutcome } from '../match-condition-outcome.ts';
import type { CompiledPolicy } from './compile-policy.ts';
import type { CompileResult } from './compiler.ts';

/** The variables every expression sees (`variables` is added here). */
export interface PolicyActivation {
  object: unknown;
  oldObject: unknown;
  request: unknown;
  params: unknown;
  namespaceObject: unknown;
  /** The CEL `authorizer` value (see cel-authorizer.ts); absent when the server gave none. */
  authorizer?: unknown;
}

/** A validation that failed (or could not be evaluated under failurePolicy Fail). */
export interface PolicyDenial {
  message: string;
  /** Status reason; undefined means Invalid. */
  reason?: string;
}

/** Upstream `celconfig.MaxEvaluatedMessageExpressionSizeBytes`. */
const MAX_MESSAGE_BYTES = 5 * 1024;
const VARIABLE_REFERENCE = /\bvariables\s*\.\s*([_a-zA-Z][_a-zA-Z0-9]*)/g;

class EvaluationFailure extends Error {}

/** Evaluates compiled expressions with lazily computed `variables`. */
class Evaluator {
  private readonly values = new Map<string, { ok: true; value: unknown } | { ok: false; error: string }>();
  private readonly variables: Record<string, unknown> = {};

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly activation: PolicyActivation,
  ) {}

  private async variable(name: string, seen: Set<string>): Promise<void> {
    if (this.values.has(name) || seen.has(name)) return;
    const decl = this.policy.variables.find((v) => v.name === name);
    if (!decl) return;
    seen.add(name);
    try {
      this.values.set(name, { ok: true, value: await this.run(decl.expression, decl.program, seen) });
    } catch (err) {
      this.values.set(name, { ok: false, error: (err as Error).message });
    }
    const result = this.values.get(name)!;
    if (result.ok) this.variables[name] = result.value;
  }

  /** Evaluates `program` (throws EvaluationFailure with upstream's text). */
  async run(expression: string, program: CompileResult, seen = new Set<string>()): Promise<unknown> {
    if (!program.ok) throw new EvaluationFailure(`compilation error: ${program.error}`);
    for (const [, name] of expression.matchAll(VARIABLE_REFERENCE)) {
      await this.variable(name, seen);
      const result = this.values.get(name);
      if (result && !result.ok) throw new EvaluationFailure(`expression '${expression}' resulted in error: composited variable "${name}" fails to evaluate: ${result.error}`);
    }
    try {
      return await program.program.evaluate({ ...this.activation, variables: this.variables });
    } catch (err) {
      throw new EvaluationFailure(`expression '${expression}' resulted in error: ${(err as Error).message}`);
    }
  }
}

async function messageOf(evaluator: Evaluator, v: CompiledPolicy['validations'][number]): Promise<string> {
  let message = '';
  if (v.messageProgram) {
    try {
      const result = await evaluator.run(v.messageExpression ?? '', v.messageProgram);
      if (typeof result === 'string') {
        message = result.trim();
        if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES || message.includes('\n')) message = '';
      }
    } catch {
      // upstream logs the messageExpression error and falls back
    }
  }
  if (message === '' && v.message) message = v.message.trim();
  return message || `failed expression: ${v.expression.trim()}`;
}

/** Everything one evaluation produced. */
export interface PolicyEvaluation {
  /** Failed validations, in order (empty: admitted). */
  denials: PolicyDenial[];
  /** Audit annotations with a value (`key` → trimmed value; null and blank results are left out). */
  annotations: Array<{ key: string; value: string }>;
  /** Audit annotations that failed under failurePolicy Fail: they reject whatever the binding's actions. */
  auditErrors: string[];
}

async function auditAnnotations(policy: CompiledPolicy, evaluator: Evaluator, failOnError: boolean, out: PolicyEvaluation): Promise<void> {
  for (const a of policy.auditAnnotations) {
    let value: unknown;
    try {
      value = await evaluator.run(a.expression, a.program);
    } catch (err) {
      if (failOnError) out.auditErrors.push((err as Error).message);
      continue;
    }
    if (value === null) continue;
    if (typeof value !== 'string') {
      // Upstream reports this regardless of the failurePolicy.
      out.auditErrors.push(`valueExpression '${a.expression}' resulted in unsupported return type: ${typeof value === 'bigint' ? 'int' : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'double' : 'map'}. Return type must be either string or null.`);
      continue;
    }
    if (value.trim()) out.annotations.push({ key: a.key, value: value.trim() });
  }
}

/** Evaluates the policy: match conditions, validations, then audit annotations. */
export async function evaluatePolicyFully(policy: CompiledPolicy, activation: PolicyActivation): Promise<PolicyEvaluation> {
  const out: PolicyEvaluation = { denials: [], annotations: [], auditErrors: [] };
  const evaluator = new Evaluator(policy, activation);
  const failOnError = policy.failurePolicy === 'Fail';
  const matched = await matchConditionsOutcome(policy.matchConditions, (cond) => evaluator.run(cond.expression, cond.program));
  if ('error' in matched) {
    if (failOnError) out.denials.push({ message: matched.error });
    return out;
  }
  if (!matched.matches) return out;
  for (const v of policy.validations) {
    let result: unknown;
    try {
      result = await evaluator.run(v.expression, v.program);
    } catch (err) {
      if (failOnError) out.denials.push({ message: (err as Error).message });
      continue;
    }
    if (result !== true) out.denials.push({ message: await messageOf(evaluator, v), reason: v.reason });
  }
  await auditAnnotations(policy, evaluator, failOnError, out);
  return out;
}

/** The denials of one policy evaluation, in validation order (empty: admitted). */
export async function evaluatePolicy(policy: CompiledPolicy, activation: PolicyActivation): Promise<PolicyDenial[]> {
  return (await evaluatePolicyFully(policy, activation)).denials;
}
