/**
 * Why a write body did not decode into its kind, in Go's words, and how each handler reports it
 * (upstream reports the same failure differently per verb): create and update bodies as
 * `transformDecodeError`'s 400, patches as a 422 on the `patch` field (see `handlers/patch-decode.ts`).
 */
import { badRequest, type ApiError } from '../../pkg/errors/index.ts';

/** A type error's site: the offending value and the Go type of where it went (`int32`, `[]string`, `v1.Container`). */
export interface GoTypeErrorSite {
  value: unknown;
  goType: string;
}

/**
 * A decode failure: `message` is the decoder's text without a kind prefix (`json: cannot unmarshal
 * string into Go struct field …`, `strict decoding error: unknown field "spec.replica"`).
 */
export class BodyDecodeError extends Error {
  constructor(
    message: string,
    /** Set for a JSON type mismatch the schema found, for callers that word it otherwise. */
    readonly typeError?: GoTypeErrorSite,
  ) {
    super(message);
    this.name = 'BodyDecodeError';
  }
}

/** Upstream `transformDecodeError`: 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: <why>`. */
export function decodeBadRequest(type: { kind: string; version: string }, err: BodyDecodeError): ApiError {
  return badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${err.message}`);
}
