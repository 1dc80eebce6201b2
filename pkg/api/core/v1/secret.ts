/**
 * core/v1 Secret: `type` defaults to Opaque, `data` values are base64, `stringData` is merged
 * into `data` on write (write-only field), per-type required keys as upstream.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { base64String, decodedLength } from '../../validation/base64.ts';
import { isConfigMapKey } from '../../validation/config-key.ts';
import { deepEqual, validateImmutable } from '../../validation/common-rules.ts';
import { forbidden, invalidValue, key, required, tooLong } from '../../validation/field-errors.ts';
import { isQualifiedName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from './common.ts';
import { MAX_DATA_SIZE } from './configmap.ts';

export const SecretSchema = kubeObject({
  immutable: z.boolean().optional(),
  data: z.record(z.string(), base64String).optional(),
  stringData: z.record(z.string(), z.string()).optional(),
  type: z.string().optional(),
});
export type Secret = z.infer<typeof SecretSchema>;

/** Moves `stringData` into `data` (base64-encoded; stringData wins on conflicts). */
export function mergeStringData(secret: Secret): void {
  if (!secret.stringData) return;
  const data = { ...(secret.data ?? {}) };
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  secret.data = data;
  delete secret.stringData;
}

export function applySecretDefaults(secret: Secret): void {
  secret.type ||= 'Opaque';
}

function validateSecretType(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const has = (k: string) => k in data;
  const dataKey = (k: string) => key('data', k);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata.annotations?.['kubernetes.io/service-account.name'] ? [] : [required(key('metadata.annotations', 'kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
      return has('.dockercfg') ? validateJsonKey(data, '.dockercfg') : [required(dataKey('.dockercfg'))];
    case 'kubernetes.io/dockerconfigjson':
      return has('.dockerconfigjson') ? validateJsonKey(data, '.dockerconfigjson') : [required(dataKey('.dockerconfigjson'))];
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required(dataKey('username')), required(dataKey('password'))];
    case 'kubernetes.io/ssh-auth':
      return has('ssh-privatekey') ? [] : [required(dataKey('ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required(dataKey('tls.crt'))]), ...(has('tls.key') ? [] : [required(dataKey('tls.key'))])];
    default:
      return [];
  }
}

function validateJsonKey(data: Record<string, string>, k: string): FieldError[] {
  try {
    JSON.parse(Buffer.from(data[k], 'base64').toString('utf8'));
    return [];
  } catch (err) {
    return [invalidValue(key('data', k), '<secret contents redacted>', (err as Error).message)];
  }
}

export function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, { namespaced: true });
  let total = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('data', k), k, msg));
    total += decodedLength(v);
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  errs.push(...validateSecretType(secret));
  for (const msg of isQualifiedName(secret.type ?? '')) errs.push(invalidValue('type', secret.type ?? '', msg));
  if (old) {
    errs.push(...validateImmutable('type', secret.type, old.type));
    if (old.immutable) {
      const message = 'field is immutable when `immutable` is set';
      if (!secret.immutable) errs.push(forbidden('immutable', message));
      if (!deepEqual(secret.data, old.data)) errs.push(forbidden('data', message));
    }
  }
  return errs;
}

export const secretResource = defineResource<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  schema: SecretSchema,
  applyDefaults: applySecretDefaults,
  validate: validateSecret,
  prepareForCreate: mergeStringData,
  prepareForUpdate: (secret) => mergeStringData(secret),
  fieldSelectors: { type: (secret) => secret.type ?? '' },
});
