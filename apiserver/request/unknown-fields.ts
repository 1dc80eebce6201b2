/**
 * Unknown-field detection: the schemas strip keys they do not know, so a key present in the
 * input but absent from the decoded output is an unknown field. Paths use upstream's strict
 * decoding format: `spec.containers[0].foo`.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every input path the decoded output dropped, in input order. */
export function findUnknownFields(input: unknown, output: unknown, path = ''): string[] {
  const found: string[] = [];
  if (isPlainObject(input) && isPlainObject(output)) {
    for (const [k, v] of Object.entries(input)) {
      const child = path ? `${path}.${k}` : k;
      if (!(k in output)) {
        if (v !== null && v !== undefined) found.push(child);
        continue;
      }
      found.push(...findUnknownFields(v, output[k], child));
    }
  } else if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((item, i) => found.push(...findUnknownFields(item, output[i], `${path}[${i}]`)));
  }
  return found;
}

/**
 * Removes `null` members of objects (recursively), as Go's decoder treats `"x": null` as the
 * zero value, i.e. absent. Array items are kept. Returns a new value.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}
