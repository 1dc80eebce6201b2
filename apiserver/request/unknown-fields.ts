/**
 * Unknown-field detection: the schemas strip keys they do not know, so a key present in the
 * input but absent from the decoded output is an unknown field. Paths use upstream's strict
 * decoding format: `spec.containers[0].foo`.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Where a field is: member names and item indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Every input path the decoded output dropped, in input order, as member names and item indexes. */
export function findUnknownFieldPaths(input: unknown, output: unknown): FieldPath[] {
  const found: FieldPath[] = [];
  collectUnknown(input, output, [], (path, key) => found.push([...path, key]));
  return found;
}

/** Every input path the decoded output dropped, in input order, in upstream's strict decoding format. */
export function findUnknownFields(input: unknown, output: unknown, path = ''): string[] {
  const found: string[] = [];
  collectUnknown(input, output, path === '' ? [] : [path], (at, key) => found.push(formatPath(at, key)));
  return found;
}

/** Formats a path the way strict decoding errors print it: `spec.containers[0].foo`. */
export function formatFieldPath(path: FieldPath): string {
  return formatPath(path.slice(0, -1), String(path[path.length - 1]));
}

/** One walk over input and output together; `report` gets the parent path and the dropped key. */
function collectUnknown(input: unknown, output: unknown, path: Array<string | number>, report: (path: ReadonlyArray<string | number>, key: string) => void): void {
  if (isPlainObject(input) && isPlainObject(output)) {
    for (const k of Object.keys(input)) {
      const v = input[k];
      if (!(k in output)) {
        if (v !== null && v !== undefined) report(path, k);
        continue;
      }
      if (v === null || typeof v !== 'object') continue;
      path.push(k);
      collectUnknown(v, output[k], path, report);
      path.pop();
    }
  } else if (Array.isArray(input) && Array.isArray(output)) {
    for (let i = 0; i < input.length; i++) {
      const item = input[i];
      if (item === null || typeof item !== 'object') continue;
      path.push(i);
      collectUnknown(item, output[i], path, report);
      path.pop();
    }
  }
}

function formatPath(path: ReadonlyArray<string | number>, key: string): string {
  let out = '';
  for (const seg of path) out = typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg;
  return out ? `${out}.${key}` : key;
}

/**
 * Whether an object member anywhere in `value` is `null` (array items do not count) — or is an
 * own `__proto__` member, which the copy turns into a prototype (so it is never decoded), as it
 * always did.
 */
function needsCopy(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object' && needsCopy(item)) return true;
    return false;
  }
  if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v === null || k === '__proto__') return true;
      if (typeof v === 'object' && needsCopy(v)) return true;
    }
  }
  return false;
}

/**
 * Removes `null` members of objects (recursively), as Go's decoder treats `"x": null` as the
 * zero value, i.e. absent. Array items are kept. Returns `value` itself when it has no null
 * member (the common case costs one walk and no copy), otherwise a new value without them.
 */
export function dropNulls(value: unknown): unknown {
  return needsCopy(value) ? copyWithoutNulls(value) : value;
}

function copyWithoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyWithoutNulls);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = copyWithoutNulls(v);
    return out;
  }
  return value;
}
