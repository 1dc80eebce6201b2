/** Ordering and equality of CEL values for the list and set libraries (CEL's `<` and `==`). */
import { EvaluationError } from '@marcbachmann/cel-js';

function rank(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return 'number';
  if (v instanceof Date) return 'timestamp';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

/** -1, 0 or 1 for two comparable CEL values; throws `no such overload` for mixed kinds. */
export function compareCel(a: unknown, b: unknown): number {
  const kind = rank(a);
  if (kind !== rank(b)) throw new EvaluationError('no such overload');
  if (kind === 'number') return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (kind === 'timestamp') return Math.sign((a as Date).getTime() - (b as Date).getTime());
  if (kind === 'bytes') return Buffer.compare(a as Uint8Array, b as Uint8Array);
  if (kind === 'string' || kind === 'boolean') return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  throw new EvaluationError('no such overload');
}

/** CEL equality: numbers compare across int and double, lists and maps element-wise. */
export function equalCel(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equalCel(v, b[i]));
  if (a instanceof Map || b instanceof Map) {
    const ea = a instanceof Map ? [...a] : Object.entries(a as object);
    const eb = new Map(b instanceof Map ? [...b] : Object.entries(b as object));
    return ea.length === eb.size && ea.every(([k, v]) => eb.has(k) && equalCel(v, eb.get(k)));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equalCel((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
