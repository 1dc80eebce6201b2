/**
 * Hashes of pod templates and ControllerRevisions, as upstream's `controller.ComputeHash`
 * (DaemonSet pods' `controller-revision-hash` and the revision names `<name>-<hash>`) and
 * `history.HashControllerRevision` (StatefulSet revisions). Upstream hashes Go's in-memory
 * rendering of the template; here the template's semantic JSON is hashed instead, so equal
 * templates (however their keys are ordered, with or without `creationTimestamp: null`) get
 * equal hashes, but the values differ from upstream's. Pure.
 */
import { semanticJson, sortedJson } from '../util/semantic-json.ts';

/** Upstream `rand.SafeEncodeString`'s alphabet: no vowels, no 0/1/3 (no words, no look-alikes). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream `rand.SafeEncodeString`: each character mapped into {@link SAFE_ALPHABET}. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text)) out += SAFE_ALPHABET[byte % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a (32-bit) over `bytes`, continuing from `hash`. */
export function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** FNV-1 (32-bit, multiply then xor) over `bytes`, continuing from `hash` (Go's `fnv.New32`). */
export function fnv32(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const byte of bytes) h = (Math.imul(h, 0x01000193) ^ byte) >>> 0;
  return h;
}

/**
 * The hash of a pod template with the owner's `status.collisionCount` (upstream
 * `controller.ComputeHash`: a present count, even 0, feeds 8 little-endian bytes).
 */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(Buffer.from(semanticJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/**
 * The hash of a ControllerRevision's `data` with an optional collision probe (upstream
 * `history.HashControllerRevision`: FNV-1 of the data's JSON bytes, then the probe in decimal).
 * `dataJson` is the data as serialized; default the sorted-key JSON of `data`.
 */
export function hashControllerRevision(data: unknown, probe?: number | null, dataJson = sortedJson(data ?? null)): string {
  let h = fnv32(Buffer.from(dataJson));
  if (probe !== undefined && probe !== null) h = fnv32(Buffer.from(String(probe)), h);
  return safeEncodeString(String(h));
}
