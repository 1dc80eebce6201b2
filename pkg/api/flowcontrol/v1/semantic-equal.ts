/**
 * Equality of two API values as upstream compares a mandatory object with its fixed spec
 * (apimachinery Semantic.DeepEqual): empty lists, empty strings, `false` and absent are the same.
 */
import { deepEqual } from '../../validation/common-rules.ts';

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(normalize) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v);
      if (n !== undefined && n !== false && n !== '') out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** Equality of two specs as upstream compares the mandatory objects (zero values = absent). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return deepEqual(normalize(a), normalize(b));
}
