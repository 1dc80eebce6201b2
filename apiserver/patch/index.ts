/**
 * The PATCH engine: RFC 6902 JSON patch, RFC 7386 merge patch and Kubernetes strategic merge
 * patch, with upstream's semantics and errors. Pure functions; no I/O.
 */
export { applyPatch, parsePatchBody, patchMediaType, rejectServerSideApply, SERVER_SIDE_APPLY_TYPE, type ApplyPatchInput } from './apply-patch.ts';
export { applyJsonPatch, decodeJsonPatch, deepEqual, escapePointerToken, unescapePointerToken, type FieldValidation, type JsonPatchOperation } from './json-patch.ts';
export { applyMergePatch, validateMergePatchDocument } from './merge-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge-patch.ts';
export { LIST_ITEM, patchMetaFor, patchMetaKey, splitPatchStrategy, type FieldPatchMeta } from './patch-meta.ts';
export { BUILTIN_PATCH_TYPES, CUSTOM_RESOURCE_PATCH_TYPES, MAX_JSON_PATCH_OPERATIONS, unsupportedPatchType } from './errors.ts';
