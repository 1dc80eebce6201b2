/**
 * Compiling and running Kubernetes CEL expressions. Compile errors are reported the way cel-go
 * prints them (`ERROR: <input>:1:6: … \n | self.a +\n | .....^`); evaluation errors carry
 * cel-go's lower-case texts (`no such key: foo`, `division by zero`).
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { celEnvironment, variableName, type CelVariable } from './environment.ts';

/** A compiled expression. `evaluate` throws {@link CelEvaluationError} when the expression fails. */
export interface CelProgram {
  readonly expression: string;
  /** The declared variables the expression refers to (e.g. whether a rule uses `oldSelf`). */
  readonly references: ReadonlySet<string>;
  /** The result type the checker infers: `bool`, `string`, … or `dyn` when only known at run time. */
  readonly type: string;
  /** The parsed expression (read-only), for static checks callers add. */
  readonly ast: ASTNode;
  /** Synchronous evaluation; an expression calling an async function (an authorizer check) returns a Promise instead. */
  evaluate(activation: Readonly<Record<string, unknown>>): unknown;
  /** Evaluation that awaits async functions; rejects with {@link CelEvaluationError} when the expression fails. */
  evaluateAsync(activation: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** The outcome of {@link compileCel}: a program, or cel-go style error text. */
export type CelCompileResult = { ok: true; program: CelProgram } | { ok: false; message: string };

/** An expression that failed while running; `message` is cel-go's text for the failure. */
export class CelEvaluationError extends Error {
  override readonly name = 'CelEvaluationError';
}

interface LibraryError {
  message: string;
  summary?: string;
  range?: { start: number; end: number };
}

function location(expression: string, offset: number): { line: number; column: number; text: string } {
  const before = expression.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const text = expression.slice(lineStart).split('\n')[0] ?? '';
  return { line, column: offset - lineStart, text };
}

/** cel-go's rendering of one compile error with its source snippet. */
export function formatCompileError(expression: string, error: LibraryError): string {
  const summary = (error.summary ?? error.message.split('\n')[0] ?? '').trim();
  const at = location(expression, error.range?.start ?? 0);
  return `ERROR: <input>:${at.line}:${at.column + 1}: ${lowerFirst(summary)}\n | ${at.text}\n | ${'.'.repeat(at.column)}^`;
}

function lowerFirst(text: string): string {
  const undeclared = /^Unknown variable: (.*)$/.exec(text);
  if (undeclared) return `undeclared reference to '${undeclared[1]}' (in container '')`;
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function evaluationError(err: unknown): CelEvaluationError {
  if (err instanceof CelEvaluationError) return err;
  return new CelEvaluationError(lowerFirst(((err as LibraryError).summary ?? (err as Error).message).split('\n')[0]!.trim()));
}

function collectReferences(node: ASTNode, declared: ReadonlySet<string>, found: Set<string>): void {
  const n = node as unknown as { op: string; args: unknown };
  if (n.op === 'id' && typeof n.args === 'string') {
    if (declared.has(n.args)) found.add(n.args);
    return;
  }
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object' && 'op' in v) collectReferences(v as ASTNode, declared, found);
  };
  visit(n.args);
}

/**
 * Compiles `expression` in the environment declaring `variables` (`dyn` unless typed): syntax
 * errors, undeclared references and operator misuse the checker can see are compile errors.
 */
export function compileCel(expression: string, variables: readonly CelVariable[]): CelCompileResult {
  const env = celEnvironment(variables);
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(expression);
  } catch (err) {
    return { ok: false, message: formatCompileError(expression, err as LibraryError) };
  }
  let checked: ReturnType<typeof env.check>;
  try {
    checked = env.check(expression);
  } catch (err) {
    return { ok: false, message: formatCompileError(expression, err as LibraryError) };
  }
  if (!checked.valid && checked.error) return { ok: false, message: formatCompileError(expression, checked.error as unknown as LibraryError) };
  const references = new Set<string>();
  collectReferences(parsed.ast, new Set(variables.map(variableName)), references);
  return {
    ok: true,
    program: {
      expression,
      references,
      type: String(checked.type ?? 'dyn'),
      ast: parsed.ast,
      evaluate(activation) {
        try {
          return parsed(activation as Record<string, unknown>);
        } catch (err) {
          throw evaluationError(err);
        }
      },
      async evaluateAsync(activation) {
        try {
          return await parsed(activation as Record<string, unknown>);
        } catch (err) {
          throw evaluationError(err);
        }
      },
    },
  };
}
