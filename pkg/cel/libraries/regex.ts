/** Kubernetes' CEL regex library (apiserver/pkg/cel/library/regex.go): `find` and `findAll`. */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';

function compile(pattern: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    throw new EvaluationError(`error parsing regexp: ${pattern}`);
  }
}

function findAll(s: string, pattern: string, limit = -1n): string[] {
  if (limit === 0n) return [];
  const matches = [...s.matchAll(compile(pattern, 'g'))].map((m) => m[0]);
  return limit < 0n ? matches : matches.slice(0, Number(limit));
}

/** Registers the regex functions on `env`. */
export function registerRegexLibrary(env: Environment): void {
  env
    .registerFunction('string.find(string): string', (s: string, p: string) => compile(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p))
    .registerFunction('string.findAll(string, int): list<string>', findAll);
}
