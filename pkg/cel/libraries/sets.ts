/** CEL's sets extension (cel-go ext.Sets): `sets.contains`, `sets.equivalent`, `sets.intersects`. */
import type { Environment } from '@marcbachmann/cel-js';
import { equalCel } from './compare.ts';

class SetsNamespace {}

const has = (list: unknown[], v: unknown) => list.some((x) => equalCel(x, v));

/** Registers the `sets` namespace on `env`. */
export function registerSetsLibrary(env: Environment): void {
  env
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction('SetsNamespace.contains(list<dyn>, list<dyn>): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((v) => has(a, v)))
    .registerFunction('SetsNamespace.equivalent(list<dyn>, list<dyn>): bool', (_: unknown, a: unknown[], b: unknown[]) => a.every((v) => has(b, v)) && b.every((v) => has(a, v)))
    .registerFunction('SetsNamespace.intersects(list<dyn>, list<dyn>): bool', (_: unknown, a: unknown[], b: unknown[]) => a.some((v) => has(b, v)));
}
