/**
 * How objects are stored: JSON text without `metadata.resourceVersion` (the revision is the
 * store's business, never part of the value). Decoding always yields a fresh deep copy with
 * `metadata.resourceVersion` set to the given revision, so callers can never mutate stored state.
 * A write returns the object it just wrote without parsing its own text back: `withRevision`.
 */
import type { KubeObject } from '../api/meta.ts';

/** JSON text of `obj` with `metadata.resourceVersion` left out. Does not mutate `obj`. */
export function encodeObject(obj: KubeObject): string {
  const metadata = obj.metadata ?? {};
  if (metadata.resourceVersion === undefined) return JSON.stringify(obj);
  return JSON.stringify({ ...obj, metadata: { ...metadata, resourceVersion: undefined } });
}

/** A fresh object parsed from `text`, with `metadata.resourceVersion = String(revision)`. */
export function decodeObject(text: string, revision: number): KubeObject {
  const obj = JSON.parse(text) as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null || typeof obj.metadata !== 'object') obj.metadata = {};
  obj.metadata.resourceVersion = String(revision);
  return obj;
}

/**
 * What `decodeObject(encodeObject(obj), revision)` yields, without the JSON round trip: `obj`'s
 * members with `metadata.resourceVersion = String(revision)` as metadata's last member. The top
 * level and metadata are new objects (the input is not mutated); deeper values are shared with
 * `obj`. For objects that are plain JSON data (what requests decode to), the two serialise to
 * the same text.
 */
export function withRevision(obj: KubeObject, revision: number): KubeObject {
  const metadata = obj.metadata !== null && typeof obj.metadata === 'object' ? obj.metadata : {};
  const { resourceVersion: _dropped, ...rest } = metadata;
  (rest as KubeObject['metadata']).resourceVersion = String(revision);
  return { ...obj, metadata: rest };
}

/** The first key after every key that starts with `prefix` (etcd's prefix range end), as a string. */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // no upper bound: etcd's "all keys from start"
}
