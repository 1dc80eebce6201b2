/**
 * core/v1 ServiceAccount: secrets, imagePullSecrets, automountServiceAccountToken.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource, LocalObjectReferenceSchema, ObjectReferenceSchema } from './common.ts';

export const ServiceAccountSchema = kubeObject({
  secrets: z.array(ObjectReferenceSchema).optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional(),
  automountServiceAccountToken: z.boolean().optional(),
});
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  return validateObjectMeta(sa.metadata, { namespaced: true });
}

export const serviceAccountResource = defineResource<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  schema: ServiceAccountSchema,
  patchMeta: { secrets: { strategy: 'merge', mergeKey: 'name' } },
  applyDefaults: () => {},
  validate: validateServiceAccount,
});
