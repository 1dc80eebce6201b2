/**
 * authentication.k8s.io/v1 TokenRequest, the body of `serviceaccounts/<name>/token`: a request
 * for a service-account token with an audience, a lifetime and optionally an object it is bound
 * to. Answered, never stored. Defaults and validation are upstream's (`SetDefaults_TokenRequestSpec`,
 * `ValidateTokenRequest`).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { invalidValue } from '../../validation/field-errors.ts';

/** `spec.expirationSeconds` when unset (upstream default: one hour). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
/** The shortest lifetime a TokenRequest may ask for (10 minutes). */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** The longest lifetime a TokenRequest may ask for (2^32 seconds). */
export const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;

export const BoundObjectReferenceSchema = z.object({
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
});
export type BoundObjectReference = z.infer<typeof BoundObjectReferenceSchema>;

export const TokenRequestSchema = kubeObject({
  spec: z
    .object({
      audiences: z.array(z.string()).optional(),
      expirationSeconds: z.number().int().default(DEFAULT_TOKEN_EXPIRATION_SECONDS),
      boundObjectRef: BoundObjectReferenceSchema.optional(),
    })
    .optional()
    .default({ expirationSeconds: DEFAULT_TOKEN_EXPIRATION_SECONDS }),
  status: z.object({ token: z.string().optional(), expirationTimestamp: z.string().optional() }).optional(),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

/** The body type of the `token` subresource (for decoding and type-meta checks). */
export const tokenRequestType = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', schema: TokenRequestSchema };

/** Upstream `ValidateTokenRequest`: a lifetime of at least 10 minutes and at most 2^32 seconds. Pure. */
export function validateTokenRequest(req: TokenRequest): FieldError[] {
  const errors: FieldError[] = [];
  const seconds = req.spec.expirationSeconds;
  if (seconds < MIN_TOKEN_EXPIRATION_SECONDS) errors.push(invalidValue('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  if (seconds > MAX_TOKEN_EXPIRATION_SECONDS) errors.push(invalidValue('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds'));
  return errors;
}
