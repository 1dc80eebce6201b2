/**
 * flowcontrol.apiserver.k8s.io/v1 FlowSchema (cluster-scoped, `status` subresource): upstream
 * defaulting and validation; the mandatory schemas `exempt` and `catch-all` must keep their fixed
 * spec. Status conditions (`Dangling`) are written by the API server, see apiserver/bootstrap.
 */
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { invalidValue } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { mandatoryFlowSchemas } from './bootstrap-objects.ts';
import { applyFlowSchemaDefaults } from './defaults.ts';
import { semanticEqual } from './semantic-equal.ts';
import { FLOWCONTROL_GROUP, FlowSchemaSchema, type FlowSchema } from './types.ts';
import { validateConditions, validateFlowSchemaSpec } from './validation.ts';

const MANDATORY = new Map(mandatoryFlowSchemas().map((fs) => [fs.metadata.name ?? '', fs]));

/** ValidateFlowSchema (the same rules on update; on `status` only the conditions are checked). */
export function validateFlowSchema(fs: FlowSchema, _old?: FlowSchema, context?: { subresource?: string }): FieldError[] {
  if (context?.subresource === 'status') return validateConditions(fs.status?.conditions);
  const name = fs.metadata.name ?? '';
  const errs = validateObjectMeta(fs.metadata, { namespaced: false });
  errs.push(...validateFlowSchemaSpec(name, fs.spec));
  const mandatory = MANDATORY.get(name);
  if (mandatory && !semanticEqual(fs.spec, mandatory.spec)) errs.push(invalidValue('spec', fs.spec, `spec of '${name}' must equal the fixed value`));
  errs.push(...validateConditions(fs.status?.conditions));
  return errs;
}

export const flowSchemaResource = defineResource<FlowSchema>({
  group: FLOWCONTROL_GROUP,
  version: 'v1',
  kind: 'FlowSchema',
  plural: 'flowschemas',
  singular: 'flowschema',
  namespaced: false,
  schema: FlowSchemaSchema,
  subresources: { status: true },
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyFlowSchemaDefaults,
  validate: validateFlowSchema,
});
