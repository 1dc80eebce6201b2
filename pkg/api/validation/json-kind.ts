/**
 * The JSON kind Go's encoding/json names in `cannot unmarshal <kind> into …`: `null`, `array`,
 * `bool`, `object`, `string` or `number`. Pure.
 */
export function jsonKindName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}
