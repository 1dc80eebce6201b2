/**
 * Test-only: a {@link PolicyCompiler} whose "expressions" are keys of a table of JS functions over
 * the activation (unknown keys fail to compile), for testing evaluation without CEL.
 */
import type { PolicyCompiler } from './compiler.ts';

export type FakeProgram = (vars: Record<string, any>) => unknown;

export function fakeCompiler(table: Record<string, FakeProgram>): PolicyCompiler {
  return {
    compile(expression) {
      const fn = table[expression];
      if (!fn) return { ok: false, error: `compilation failed: ERROR: <input>:1:1: undeclared reference to '${expression}'` };
      return { ok: true, program: { evaluate: (activation) => fn(activation as Record<string, any>) } };
    },
  };
}
