/**
 * Canonical JSON renderings for comparing and hashing API objects without caring about key
 * order (Go's `json.Marshal` of a map sorts its keys) or, for {@link semanticJson}, about the
 * difference between an unset field and its zero value (upstream's `equality.Semantic.DeepEqual`
 * treats nil and empty maps and slices alike, and an unset timestamp is `null` on the wire).
 */

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text with every object's keys sorted; `undefined` members are left out (as `JSON.stringify`). */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : sortedJson(v))).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * {@link sortedJson} of the value with `null` and `undefined` members, empty objects and empty
 * arrays left out at every depth: two values with the same rendering are semantically equal.
 */
export function semanticJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => semanticJson(v ?? null)).join(',')}]`;
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const k of Object.keys(value).sort()) {
      const v = value[k];
      if (v === undefined || v === null) continue;
      const text = semanticJson(v);
      if (text === '{}' || text === '[]') continue;
      parts.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Whether `a` and `b` are semantically equal in the sense of {@link semanticJson}. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return semanticJson(a) === semanticJson(b);
}
