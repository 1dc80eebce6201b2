/**
 * core/v1 Binding: `POST .../pods/{name}/binding` or `.../bindings` assigns a pod to a node.
 * Create-only; the API server applies it to the pod (sets `spec.nodeName`).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource, ObjectReferenceSchema } from './common.ts';

export const BindingSchema = kubeObject({ target: ObjectReferenceSchema.optional().default({}) });
export type Binding = z.infer<typeof BindingSchema>;

/** Upstream ValidateBinding. */
export function validateBinding(b: Binding): FieldError[] {
  const errs = validateObjectMeta(b.metadata, { namespaced: true });
  const target = b.target ?? {};
  if (target.kind && target.kind !== 'Node') errs.push(invalidValue('target.kind', target.kind, 'must be empty or \'Node\''));
  if (!target.name) errs.push(required('target.name'));
  return errs;
}

export const bindingResource = defineResource<Binding>({
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  namespaced: true,
  verbs: ['create'],
  schema: BindingSchema,
  applyDefaults: () => {},
  validate: validateBinding,
});
