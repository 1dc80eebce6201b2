/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition — stored and validated only.
 *
 * kubectl lists CRDs whenever it meets a kind it cannot find (to tell "unknown kind" from
 * "custom resource"), so the resource must exist for kubectl's default validation to work.
 * Serving the custom resources a CRD defines is not implemented yet: a stored CRD gets no
 * `Established` condition, and its kinds are not served.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from '../../core/v1/common.ts';

const NamesSchema = z.object({
  plural: z.string().optional(),
  singular: z.string().optional(),
  kind: z.string().optional(),
  listKind: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});

export const CustomResourceDefinitionSchema = kubeObject({
  spec: z
    .object({
      group: z.string().optional(),
      names: NamesSchema.optional(),
      scope: z.string().optional(),
      versions: z.array(z.looseObject({ name: z.string().optional() })).optional(),
      conversion: z.looseObject({}).optional(),
      preserveUnknownFields: z.boolean().optional(),
    })
    .optional(),
  status: z.looseObject({}).optional(),
});
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionSchema>;

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const errs = validateObjectMeta(crd.metadata, { namespaced: false });
  const spec = crd.spec ?? {};
  if (!spec.group) errs.push(required('spec.group'));
  if (!spec.names?.plural) errs.push(required('spec.names.plural'));
  if (!spec.names?.kind) errs.push(required('spec.names.kind'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push({ type: 'FieldValueNotSupported', field: 'spec.scope', detail: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"` });
  if (!spec.versions?.length) errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata.name && spec.group && spec.names?.plural && crd.metadata.name !== expected) {
    errs.push(invalidValue('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  return errs;
}

export const customResourceDefinitionResource = defineResource<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  schema: CustomResourceDefinitionSchema,
  subresources: { status: true },
  applyDefaults: () => {},
  validate: validateCustomResourceDefinition,
});
