/**
 * The patch engine the PATCH handler calls. The server's default is `applyPatch` from
 * `apiserver/patch` (JSON patch, merge patch, strategic merge patch); tests may inject another.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PatchMeta } from '../../pkg/api/resource.ts';

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
