/**
 * The parts of CEL's strings extension (cel-go ext.Strings, version 2 as Kubernetes enables it)
 * the evaluator lacks: `charAt`, `replace`, `reverse` and `strings.quote`.
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';

class StringsNamespace {}

function replace(s: string, from: string, to: string, limit = -1n): string {
  if (limit < 0n) return s.split(from).join(to);
  let out = s;
  let start = 0;
  for (let n = 0n; n < limit; n++) {
    const at = out.indexOf(from, start);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    start = at + to.length;
  }
  return out;
}

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  if (i < 0n || i > BigInt(chars.length)) throw new EvaluationError(`index out of range: ${i}`);
  return chars[Number(i)] ?? '';
}

/** Registers the string functions on `env`. */
export function registerStringsLibrary(env: Environment): void {
  env
    .registerType('StringsNamespace', StringsNamespace)
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerFunction('string.charAt(int): string', charAt)
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b))
    .registerFunction('string.replace(string, string, int): string', replace)
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => JSON.stringify(s));
}
