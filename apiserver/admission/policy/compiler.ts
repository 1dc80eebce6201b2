/**
 * What the ValidatingAdmissionPolicy plugin needs of CEL: compile an expression for a given set of
 * declared variables, and evaluate the result against an activation of plain JSON values.
 * Implemented over the shared Kubernetes CEL module (pkg/cel) in `cel-compiler.ts`; tests may
 * inject a fake.
 */
import type { ExpressionEnvironment } from '../../../pkg/api/admissionregistration/v1/policy-validation.ts';

/** A compiled expression. */
export interface CompiledExpression {
  /**
   * Evaluates against `activation` (plain JSON: objects, arrays, numbers, strings, booleans,
   * null; `authorizer` and `variables` as CEL values). Returns the result as a JS value (CEL ints
   * as bigint), or a promise of it (authorizer checks are asynchronous); throws or rejects with an
   * Error whose message is the CEL evaluation error (e.g. `no such key: foo`).
   */
  evaluate(activation: Readonly<Record<string, unknown>>): unknown;
}

/** The outcome of compiling one expression. */
export type CompileResult = { ok: true; program: CompiledExpression } | { ok: false; error: string };

/** Compiles expressions for policies. */
export interface PolicyCompiler {
  /** `error` is upstream's text, e.g. `compilation failed: ERROR: <input>:1:6: Syntax error: …`. */
  compile(expression: string, env: ExpressionEnvironment): CompileResult;
}
