/**
 * The patch engine the PATCH handler calls: `apiserver/patch` (JSON patch, merge patch, strategic
 * merge patch). Until that module is wired this is a small built-in fallback implementing
 * RFC 7386 merge patch, RFC 6902 JSON patch and strategic merge patch (`strategic-merge.ts`).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { ApiError, badRequest, unsupportedMediaType } from '../../pkg/errors/index.ts';
import { jsonDepth, MAX_NESTING_DEPTH } from '../request/body.ts';
import { strategicMerge } from './strategic-merge.ts';

/** One non-apply patch: the patch body in its content type, applied to `original` (served form). */
export interface PatchInput {
  contentType: string;
  original: KubeObject;
  patchBody: Buffer | string;
  patchMeta: PatchMeta;
  isCustomResource: boolean;
}

/** Applies a (non-apply) patch; throws ApiErrors (400 malformed, 415 type, 422 failed test op). */
export type PatchEngine = (input: PatchInput) => KubeObject | Promise<KubeObject>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch; returns a new value. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = structuredClone(doc);
  for (const raw of ops) {
    const op = raw as { op?: string; path?: string; value?: unknown; from?: string };
    const path = decodePointer(op.path ?? '');
    const parentOf = (p: string[]) => {
      let node: unknown = root;
      for (const seg of p.slice(0, -1)) {
        node = Array.isArray(node) ? node[Number(seg)] : isObject(node) ? node[seg] : undefined;
        if (node === undefined) throw new ApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: doc is missing path: "${op.path}": missing value` });
      }
      return node as Record<string, unknown> | unknown[];
    };
    const get = (p: string[]) => {
      let node: unknown = root;
      for (const seg of p) node = Array.isArray(node) ? node[Number(seg)] : isObject(node) ? node[seg] : undefined;
      return node;
    };
    const last = path[path.length - 1];
    switch (op.op) {
      case 'add':
      case 'replace': {
        if (path.length === 0) {
          root = structuredClone(op.value);
          break;
        }
        const parent = parentOf(path);
        if (Array.isArray(parent)) {
          const idx = last === '-' ? parent.length : Number(last);
          if (op.op === 'add') parent.splice(idx, 0, structuredClone(op.value));
          else parent[idx] = structuredClone(op.value);
        } else {
          if (op.op === 'replace' && !(last in parent)) throw new ApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${op.path}: missing value` });
          parent[last] = structuredClone(op.value);
        }
        break;
      }
      case 'remove': {
        const parent = parentOf(path);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else {
          if (!(last in parent)) throw new ApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: "${op.path}": missing value` });
          delete parent[last];
        }
        break;
      }
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new ApiError({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request: testing value failed' });
        break;
      case 'move':
      case 'copy': {
        const from = decodePointer(op.from ?? '');
        const value = structuredClone(get(from));
        if (op.op === 'move') root = jsonPatch(root, [{ op: 'remove', path: op.from }]);
        root = jsonPatch(root, [{ op: 'add', path: op.path, value }]);
        break;
      }
      default:
        throw badRequest(`the server rejected our request due to an error in our request: Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

function parsePatchJson(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (jsonDepth(text) > MAX_NESTING_DEPTH) throw badRequest(`error decoding patch: exceeded max depth of ${MAX_NESTING_DEPTH}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** The fallback engine. */
export const fallbackPatchEngine: PatchEngine = ({ contentType, original, patchBody, patchMeta, isCustomResource }) => {
  const media = contentType.split(';')[0].trim().toLowerCase();
  const patch = parsePatchJson(patchBody);
  switch (media) {
    case 'application/json-patch+json':
      return jsonPatch(original, patch) as KubeObject;
    case 'application/strategic-merge-patch+json':
      if (isCustomResource) throw unsupportedMediaType(media);
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      return strategicMerge(original, patch, patchMeta) as KubeObject;
    case 'application/merge-patch+json':
      return mergePatch(original, patch) as KubeObject;
    default:
      throw unsupportedMediaType(media);
  }
};
