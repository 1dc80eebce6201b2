/**
 * flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration (cluster-scoped, `status`
 * subresource): upstream defaulting and validation. `type` is `Exempt` exactly for the level
 * named `exempt`, whose spec may differ from the fixed one only in `spec.exempt`; `catch-all`
 * must keep its fixed spec.
 */
import type { FieldError } from '../../../errors/index.ts';
import { defineResource } from '../../core/v1/common.ts';
import { child, forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { mandatoryPriorityLevels } from './bootstrap-objects.ts';
import { applyPriorityLevelConfigurationDefaults } from './defaults.ts';
import { semanticEqual } from './semantic-equal.ts';
import { FLOWCONTROL_GROUP, PriorityLevelConfigurationSchema, type ExemptPriorityLevelConfiguration, type PriorityLevelConfiguration, type PriorityLevelConfigurationSpec } from './types.ts';
import { validateConditions, validateLimited } from './validation.ts';

const MANDATORY = new Map(mandatoryPriorityLevels().map((pl) => [pl.metadata.name ?? '', pl]));

function validateExempt(exempt: ExemptPriorityLevelConfiguration, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ncs = exempt.nominalConcurrencyShares;
  if (ncs !== undefined && ncs < 0) errs.push(invalidValue(child(path, 'nominalConcurrencyShares'), ncs, 'must be a non-negative integer'));
  const lp = exempt.lendablePercent;
  if (lp !== undefined && (lp < 0 || lp > 100)) errs.push(invalidValue(child(path, 'lendablePercent'), lp, 'must be between 0 and 100, inclusive'));
  return errs;
}

/** ValidatePriorityLevelConfigurationSpec. */
export function validatePriorityLevelSpec(spec: PriorityLevelConfigurationSpec, name: string, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if ((name === 'exempt') !== (spec.type === 'Exempt')) errs.push(invalidValue(child(path, 'type'), spec.type, "type must be 'Exempt' if and only if name is 'exempt'"));
  switch (spec.type) {
    case 'Exempt':
      if (spec.limited) errs.push(forbidden(child(path, 'limited'), 'must be nil if the type is not Limited'));
      if (spec.exempt) errs.push(...validateExempt(spec.exempt, child(path, 'exempt')));
      break;
    case 'Limited':
      if (spec.exempt) errs.push(forbidden(child(path, 'exempt'), 'must be nil if the type is Limited'));
      if (spec.limited) errs.push(...validateLimited(spec.limited, child(path, 'limited')));
      else errs.push(required(child(path, 'limited'), 'must not be empty when type is Limited'));
      break;
    default:
      errs.push(notSupported(child(path, 'type'), spec.type, ['Exempt', 'Limited']));
  }
  return errs;
}

/** ValidateIfMandatoryPriorityLevelConfigurationObject. */
function validateMandatory(pl: PriorityLevelConfiguration): FieldError[] {
  const name = pl.metadata.name ?? '';
  const mandatory = MANDATORY.get(name);
  if (!mandatory) return [];
  if (name === 'exempt') {
    return semanticEqual({ ...pl.spec, exempt: mandatory.spec.exempt }, mandatory.spec) ? [] : [invalidValue('spec', pl.spec, `spec of '${name}' except the 'spec.exempt' field must equal the fixed value`)];
  }
  return semanticEqual(pl.spec, mandatory.spec) ? [] : [invalidValue('spec', pl.spec, `spec of '${name}' must equal the fixed value`)];
}

/** ValidatePriorityLevelConfiguration (the same rules on update; on `status` only the conditions). */
export function validatePriorityLevelConfiguration(pl: PriorityLevelConfiguration, _old?: PriorityLevelConfiguration, context?: { subresource?: string }): FieldError[] {
  if (context?.subresource === 'status') return validateConditions(pl.status?.conditions);
  const errs = validateObjectMeta(pl.metadata, { namespaced: false });
  errs.push(...validatePriorityLevelSpec(pl.spec, pl.metadata.name ?? ''));
  errs.push(...validateMandatory(pl));
  errs.push(...validateConditions(pl.status?.conditions));
  return errs;
}

export const priorityLevelConfigurationResource = defineResource<PriorityLevelConfiguration>({
  group: FLOWCONTROL_GROUP,
  version: 'v1',
  kind: 'PriorityLevelConfiguration',
  plural: 'prioritylevelconfigurations',
  singular: 'prioritylevelconfiguration',
  namespaced: false,
  schema: PriorityLevelConfigurationSchema,
  subresources: { status: true },
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyPriorityLevelConfigurationDefaults,
  validate: validatePriorityLevelConfiguration,
});
