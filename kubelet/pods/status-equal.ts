/**
 * Whether a pod status the kubelet computed is already what the API holds. The API's copy can
 * list keys in another order and lacks fields the kubelet sends as `null` (in a merge patch,
 * null removes the field), so statuses are compared in a canonical form: keys sorted, null and
 * undefined members dropped. Pure.
 */

/** The canonical JSON of a value: object keys sorted, null/undefined object members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && v !== undefined) out[key] = canonical(v);
  }
  return out;
}

/**
 * True when writing `wanted` (a partial status, merge-patched) would not change `current`: every
 * field of `wanted` equals the same field of `current` in canonical form.
 */
export function statusUnchanged(wanted: Record<string, unknown>, current: Record<string, unknown> | undefined): boolean {
  const have = current ?? {};
  return Object.keys(wanted).every((key) => canonicalJson(wanted[key]) === canonicalJson(have[key]));
}
