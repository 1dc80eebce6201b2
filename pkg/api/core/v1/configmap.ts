/**
 * core/v1 ConfigMap: data/binaryData keys are config keys, total size ≤ 1 MiB,
 * `immutable: true` freezes data, binaryData and the flag itself.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { isConfigMapKey } from '../../validation/config-key.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { forbidden, invalidValue, key, tooLong } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { base64String, decodedLength } from '../../validation/base64.ts';
import { defineResource } from './common.ts';

export const ConfigMapSchema = kubeObject({
  immutable: z.boolean().optional(),
  data: z.record(z.string(), z.string()).optional(),
  binaryData: z.record(z.string(), base64String).optional(),
});
export type ConfigMap = z.infer<typeof ConfigMapSchema>;

/** Upstream `MaxSecretSize`, shared by ConfigMaps and Secrets. */
export const MAX_DATA_SIZE = 1024 * 1024;

export function validateConfigMap(cm: ConfigMap, old?: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true });
  let total = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('data', k), k, msg));
    if (cm.binaryData && k in cm.binaryData) errs.push(invalidValue(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(invalidValue(key('binaryData', k), k, msg));
    total += decodedLength(v);
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  if (old?.immutable) {
    const message = 'field is immutable when `immutable` is set';
    if (!cm.immutable) errs.push(forbidden('immutable', message));
    if (!deepEqual(cm.data, old.data)) errs.push(forbidden('data', message));
    if (!deepEqual(cm.binaryData, old.binaryData)) errs.push(forbidden('binaryData', message));
  }
  return errs;
}

export const configMapResource = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  schema: ConfigMapSchema,
  applyDefaults: () => {},
  validate: validateConfigMap,
});
