/**
 * RFC 6902 JSON patch with the semantics of the library upstream uses
 * (gopkg.in/evanphx/json-patch.v4), including its deviations from the RFC that clients can
 * observe: negative array indexes count from the end, `replace` of a missing object key adds
 * it, `copy` from a missing object key copies `null`, a `test` of a missing key against `null`
 * passes, and a path must have at least one `/`.
 *
 * Pure: {@link applyJsonPatch} never modifies its inputs.
 */
import { jsonKindName } from './go-format.ts';
import { getOwn, setOwn, type Json, type JsonObject } from './json-value.ts';
import { MAX_JSON_PATCH_OPERATIONS, patchDecodeError, patchNotApplicable, tooManyOperations } from './errors.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

type Container = JsonObject | Json[];

/** One decoded operation. Fields keep their JSON types; `hasValue` tells a missing `value` from `null`. */
export interface JsonPatchOperation {
  readonly op: Json;
  readonly path: Json;
  readonly from: Json;
  readonly value: Json;
  readonly hasValue: boolean;
}

/** How strictly the patch document is decoded (the request's `fieldValidation`). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const STRING_FIELDS = ['op', 'path', 'from'] as const;

/**
 * Checks a parsed JSON patch document and returns its operations. Throws 400 (not a list of
 * operation objects, or `op`/`path`/`from` not strings when validation is `Strict`/`Warn`) or
 * 413 (more than 10000 operations), with upstream's messages.
 */
export function decodeJsonPatch(document: Json, fieldValidation: FieldValidation = 'Strict'): JsonPatchOperation[] {
  const strict = fieldValidation !== 'Ignore';
  if (document === null) return [];
  if (!Array.isArray(document)) {
    throw patchDecodeError(
      strict
        ? `error decoding patch: json: cannot unmarshal ${jsonKindName(document)} into Go value of type []handlers.jsonPatchOp`
        : `json: cannot unmarshal ${jsonKindName(document)} into Go value of type jsonpatch.Patch`,
    );
  }
  for (const item of document) {
    if (item !== null && (typeof item !== 'object' || Array.isArray(item))) {
      throw patchDecodeError(
        strict
          ? `error decoding patch: json: cannot unmarshal ${jsonKindName(item)} into Go value of type handlers.jsonPatchOp`
          : `json: cannot unmarshal ${jsonKindName(item)} into Go value of type jsonpatch.Operation`,
      );
    }
    if (!strict || item === null) continue;
    for (const [key, value] of Object.entries(item as JsonObject)) {
      if ((STRING_FIELDS as readonly string[]).includes(key) && value !== null && typeof value !== 'string') {
        throw patchDecodeError(`error decoding patch: json: cannot unmarshal ${jsonKindName(value)} into Go struct field jsonPatchOp.${key} of type string`);
      }
    }
  }
  if (document.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyOperations(document.length);
  return document.map((item) => {
    const o = (item ?? {}) as JsonObject;
    return { op: o.op, path: o.path, from: o.from, value: o.value, hasValue: Object.hasOwn(o, 'value') };
  });
}

/**
 * Applies the operations in order to a copy of `doc` and returns it. A failing operation throws
 * upstream's 422 (`the server rejected our request due to an error in our request`).
 */
export function applyJsonPatch(doc: Json, operations: readonly JsonPatchOperation[]): Json {
  const state = { root: copyJson(doc) as Json };
  for (const operation of operations) applyOperation(state, operation);
  return state.root;
}

function applyOperation(state: { root: Json }, operation: JsonPatchOperation): void {
  const kind = typeof operation.op === 'string' ? operation.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = requirePointer(operation.path, 'add operation failed to decode path');
      const { container, key } = locate(state.root, path, `add operation does not apply: doc is missing path: "${path}"`);
      addAt(container, key, cloneValue(operation), path);
      return;
    }
    case 'remove': {
      const path = requirePointer(operation.path, 'remove operation failed to decode path');
      const { container, key } = locate(state.root, path, `remove operation does not apply: doc is missing path: "${path}"`);
      removeAt(container, key, path);
      return;
    }
    case 'replace': {
      const path = requirePointer(operation.path, 'replace operation failed to decode path');
      if (path === '') {
        const value = cloneValue(operation);
        if (value === null || typeof value !== 'object') throw patchNotApplicable('replace operation value must be object or array');
        state.root = value;
        return;
      }
      const { container, key } = locate(state.root, path, `replace operation does not apply: doc is missing path: ${path}`);
      getAt(container, key, `replace operation does not apply: doc is missing key: ${path}`);
      setAt(container, key, cloneValue(operation));
      return;
    }
    case 'move': {
      const from = requirePointer(operation.from, 'move operation failed to decode from');
      const source = locate(state.root, from, `move operation does not apply: doc is missing from path: ${from}`);
      const value = getAt(source.container, source.key, `error in move for path: '${source.key}'`);
      removeAt(source.container, source.key, source.key);
      const path = requirePointer(operation.path, 'move operation failed to decode path');
      const { container, key } = locate(state.root, path, `move operation does not apply: doc is missing destination path: ${path}`);
      addAt(container, key, value ?? null, path);
      return;
    }
    case 'copy': {
      const from = requirePointer(operation.from, 'copy operation failed to decode from');
      const source = locate(state.root, from, `copy operation does not apply: doc is missing from path: ${from}`);
      const value = getAt(source.container, source.key, `error in copy for from: '${from}'`);
      const path = requirePointer(operation.path, 'copy operation failed to decode path');
      const { container, key } = locate(state.root, path, `copy operation does not apply: doc is missing destination path: ${path}`);
      addAt(container, key, copyJson(value ?? null), path);
      return;
    }
    case 'test':
      testAt(state.root, operation);
      return;
    default:
      throw patchNotApplicable(`Unexpected kind: ${kind}`);
  }
}

function cloneValue(operation: JsonPatchOperation): Json {
  return operation.hasValue && operation.value !== undefined ? copyJson(operation.value) : null;
}

function requirePointer(pointer: Json, what: string): string {
  if (pointer === undefined || pointer === null) throw patchNotApplicable(`${what}: missing value`);
  if (typeof pointer !== 'string') throw patchNotApplicable(`${what}: not a string`);
  return pointer;
}

/** RFC 6901 reference-token unescaping (`~1` → `/`, then `~0` → `~`, in one left-to-right pass). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** RFC 6901 reference-token escaping. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isContainer(v: Json): v is Container {
  return v !== null && typeof v === 'object';
}

/** Upstream's `findObject`: the container holding the last token, or a 422. */
function locate(root: Json, pointer: string, failure: string): { container: Container; key: string } {
  const tokens = pointer.split('/');
  if (tokens.length < 2 || !isContainer(root)) throw patchNotApplicable(`${failure}: missing value`);
  let node: Container = root;
  for (const raw of tokens.slice(1, -1)) {
    const key = unescapePointerToken(raw);
    let next: Json;
    if (Array.isArray(node)) {
      const index = arrayIndex(key, node.length);
      next = index === undefined ? undefined : node[index];
    } else next = getOwn(node, key);
    if (!isContainer(next)) throw patchNotApplicable(`${failure}: missing value`);
    node = next;
  }
  return { container: node, key: unescapePointerToken(tokens[tokens.length - 1]) };
}

/** Go's `strconv.Atoi` followed by the library's negative-index rule; undefined when out of range. */
function arrayIndex(key: string, length: number): number | undefined {
  const index = parseAtoi(key);
  if (index === undefined) return undefined;
  if (index < 0) return index < -length ? undefined : index + length;
  return index >= length ? undefined : index;
}

function parseAtoi(key: string): number | undefined {
  return /^[+-]?\d+$/.test(key) ? Number(key) : undefined;
}

function getAt(container: Container, key: string, failure: string): Json {
  if (!Array.isArray(container)) return getOwn(container, key);
  const index = arrayIndex(key, container.length);
  if (index === undefined) throw patchNotApplicable(`${failure}: invalid index referenced`);
  return container[index];
}

function setAt(container: Container, key: string, value: Json): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  container[arrayIndex(key, container.length)!] = value;
}

function addAt(container: Container, key: string, value: Json, path: string): void {
  if (!Array.isArray(container)) {
    setOwn(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let index = parseAtoi(key);
  const size = container.length + 1;
  if (index === undefined) throw patchNotApplicable(`error in add for path: '${path}': value was not a proper array index: '${key}'`);
  if (index >= size || index < -size) throw patchNotApplicable(`error in add for path: '${path}': Unable to access invalid index: ${index}`);
  if (index < 0) index += size;
  container.splice(index, 0, value);
}

function removeAt(container: Container, key: string, path: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) throw patchNotApplicable(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    delete container[key];
    return;
  }
  const index = arrayIndex(key, container.length);
  if (index === undefined) throw patchNotApplicable(`error in remove for path: '${path}': Unable to access invalid index: ${key}`);
  container.splice(index, 1);
}

function testAt(root: Json, operation: JsonPatchOperation): void {
  const path = requirePointer(operation.path, 'test operation failed to decode path');
  const failed = () => patchNotApplicable(`testing value ${path} failed: test failed`);
  if (path === '') {
    if (!deepEqual(root, operation.value)) throw failed();
    return;
  }
  const { container, key } = locate(root, path, `test operation does not apply: is missing path: ${path}`);
  const actual = getAt(container, key, `error in test for path: '${path}'`);
  if (actual === undefined || actual === null) {
    if (!operation.hasValue || operation.value === null) return;
    throw failed();
  }
  if (!operation.hasValue || !deepEqual(actual, operation.value)) throw failed();
}

/** Structural JSON equality (object key order ignored). */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as Json[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}
