/**
 * Small helpers over decoded JSON values that are safe for any key a client may send
 * (including `__proto__`): reads and writes only touch own properties.
 */

/** A decoded JSON value. */
export type Json = unknown;
/** A decoded JSON object. */
export type JsonObject = Record<string, Json>;

/** True for a JSON object (not an array, not null). */
export function isObject(v: Json): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The own property `key` of `obj`, or undefined. */
export function getOwn(obj: JsonObject, key: string): Json {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Sets the own property `key` (never the prototype, even for `__proto__`). */
export function setOwn(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

