/**
 * Applying a mutating webhook's allowed response to the request's object: decode the JSON patch,
 * apply it, re-decode the result as the kind and default it (upstream callAttrMutatingHook).
 * The object is replaced in place (the server holds the same reference).
 */
import type { MutatingWebhook } from '../../../pkg/api/admissionregistration/v1/mutatingwebhookconfiguration.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { internalError } from '../../../pkg/errors/index.ts';
import { deepEqual } from '../../../pkg/api/validation/common-rules.ts';
import type { AdmissionAttributes } from '../types.ts';
import { WebhookCallError } from './errors.ts';
import { applyWebhookPatch, decodeWebhookPatch } from './patch.ts';
import type { VerifiedResponse } from './review.ts';

/**
 * Applies the response's patch to `attrs.object`; returns whether the object changed.
 * Throws {@link WebhookCallError} for an undecodable patch or unsupported patch type (subject to
 * failurePolicy) and a 500 when the patch does not apply or the result is not a valid object.
 */
export function applyMutation(hook: MutatingWebhook, attrs: AdmissionAttributes, response: VerifiedResponse): boolean {
  if (!response.patch) return false;
  const decoded = decodeWebhookPatch(response.patch);
  if (!decoded.ok) {
    throw new WebhookCallError(hook.name, decoded.stage === 'base64' ? `failed to call webhook: ${decoded.error}` : `received undecodable patch in webhook response: ${decoded.error}`);
  }
  if (decoded.operations.length === 0) return false;
  const object = attrs.object;
  if (!object) throw internalError(new Error(`admission webhook "${hook.name}" attempted to modify the object, which is not supported for this operation`));
  if (response.patchType !== 'JSONPatch') throw new WebhookCallError(hook.name, `unsupported patch type "${response.patchType}"`);
  let patched: Record<string, unknown>;
  try {
    patched = applyWebhookPatch(object, decoded.operations);
  } catch (err) {
    throw internalError(err);
  }
  const parsed = attrs.info.schema.safeParse(patched);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw internalError(new Error(`admission webhook "${hook.name}" returned a patch that does not decode as ${attrs.info.kind}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid object'}`));
  }
  const next = parsed.data as KubeObject;
  attrs.info.applyDefaults(next);
  next.apiVersion ??= object.apiVersion;
  next.kind ??= object.kind;
  const changed = !deepEqual(object, next);
  replaceInPlace(object, next);
  return changed;
}

function replaceInPlace(target: KubeObject, source: KubeObject): void {
  const t = target as unknown as Record<string, unknown>;
  for (const key of Object.keys(t)) delete t[key];
  Object.assign(t, source);
}
