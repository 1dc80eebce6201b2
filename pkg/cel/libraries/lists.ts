/**
 * Kubernetes' CEL list library (apiserver/pkg/cel/library/lists.go): `isSorted`, `sum`, `min`,
 * `max`, `indexOf` and `lastIndexOf` on lists.
 */
import { EvaluationError, type Environment } from '@marcbachmann/cel-js';
import { compareCel, equalCel } from './compare.ts';

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  return list.reduce((acc: unknown, v) => {
    if (typeof acc === 'bigint' && typeof v === 'bigint') return acc + v;
    if (typeof acc === 'number' && typeof v === 'number') return acc + v;
    throw new EvaluationError('no such overload');
  });
}

function extreme(list: unknown[], sign: 1 | -1): unknown {
  if (list.length === 0) throw new EvaluationError('min called on empty list'.replace('min', sign < 0 ? 'min' : 'max'));
  return list.reduce((best, v) => (compareCel(v, best) * sign > 0 ? v : best));
}

/** Registers the list functions on `env`. */
export function registerListsLibrary(env: Environment): void {
  env
    .registerFunction('list<dyn>.isSorted(): bool', (list: unknown[]) => list.every((v, i) => i === 0 || compareCel(list[i - 1], v) <= 0))
    .registerFunction('list<dyn>.sum(): dyn', sum)
    .registerFunction('list<dyn>.min(): dyn', (list: unknown[]) => extreme(list, -1))
    .registerFunction('list<dyn>.max(): dyn', (list: unknown[]) => extreme(list, 1))
    .registerFunction('list<dyn>.indexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(list.findIndex((x) => equalCel(x, v))))
    .registerFunction('list<dyn>.lastIndexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(list.findLastIndex((x) => equalCel(x, v))));
}
