/**
 * Decoding a patched object (PATCH of a resource or its scale) as upstream's patcher reports
 * failures: a 422 on the `patch` field rather than create's 400, its value the strategic merge
 * patch as Go prints the map or the patched object's JSON, and a strategic merge patch's type
 * errors worded by the unstructured converter that decodes it upstream.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { BodyDecodeError } from '../request/body-decode-error.ts';
import { decodeWithSchema, type Decoded } from '../request/decode.ts';
import type { FieldValidation } from '../request/field-validation.ts';
import { patchedObjectInvalid } from '../patch/errors.ts';
import { fromUnstructuredError } from '../patch/from-unstructured-error.ts';
import { goValue } from '../patch/go-format.ts';

const STRATEGIC = 'application/strategic-merge-patch+json';

/** What the patch was: its media type and body, and the patched object to decode. */
export interface PatchedInput {
  media: string;
  patchBody: Buffer | string;
  patched: Record<string, unknown>;
}

/** Decodes the patched object with the type's schema; throws upstream's 422 when it does not decode. */
export function decodePatched(type: Parameters<typeof decodeWithSchema>[0], input: PatchedInput, fieldValidation: FieldValidation): Decoded<KubeObject> {
  try {
    return decodeWithSchema(type, input.patched, { fieldValidation });
  } catch (err) {
    if (!(err instanceof BodyDecodeError)) throw err;
    if (input.media !== STRATEGIC) throw patchedObjectInvalid(JSON.stringify(input.patched), err.message);
    const why = (err.typeError && fromUnstructuredError(err.typeError.value, err.typeError.goType)) ?? err.message;
    throw patchedObjectInvalid(goValue(JSON.parse(input.patchBody.toString())), why);
  }
}
