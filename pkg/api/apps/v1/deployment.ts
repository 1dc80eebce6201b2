/**
 * apps/v1 Deployment: schema, defaulting (apps/v1 SetDefaults_Deployment), validation
 * (ValidateDeployment / ValidateDeploymentUpdate), scale subresource.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { IntOrStringSchema, kubeObject, LabelSelectorSchema, type IntOrString } from '../../meta.ts';
import { PodTemplateSpecSchema } from '../../core/v1/pod-spec.ts';
import { forbidden, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { namedTemplateCreateWarnings, templateUpdateWarnings } from './workload-warnings.ts';
import { applyTemplateDefaults, nonNegative, validateSelectorAndTemplate, validateSelectorImmutable, workloadPatchMeta } from './workload.ts';

const int = () => z.number().int().optional();

/** apps/v1 RollingUpdateDeployment. */
export const RollingUpdateDeploymentSchema = z.object({ maxUnavailable: IntOrStringSchema.optional(), maxSurge: IntOrStringSchema.optional() });

/** apps/v1 DeploymentStrategy. */
export const DeploymentStrategySchema = z.object({
  type: z.string().optional(),
  rollingUpdate: RollingUpdateDeploymentSchema.optional(),
});

export const DeploymentSpecSchema = z.object({
  replicas: int(),
  selector: LabelSelectorSchema.optional(),
  template: PodTemplateSpecSchema.optional(),
  strategy: DeploymentStrategySchema.optional(),
  minReadySeconds: int(),
  revisionHistoryLimit: int(),
  paused: z.boolean().optional(),
  progressDeadlineSeconds: int(),
});

export const DeploymentConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastUpdateTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const DeploymentStatusSchema = z.object({
  observedGeneration: int(),
  replicas: int(),
  updatedReplicas: int(),
  readyReplicas: int(),
  availableReplicas: int(),
  unavailableReplicas: int(),
  terminatingReplicas: int(),
  conditions: z.array(DeploymentConditionSchema).optional(),
  collisionCount: int(),
});

export const DeploymentSchema = kubeObject({
  spec: DeploymentSpecSchema.optional(),
  status: DeploymentStatusSchema.optional(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** apps/v1 SetDefaults_Deployment. */
export function applyDeploymentDefaults(d: Deployment): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  applyTemplateDefaults(spec);
}

/** Upstream `IsValidPercent`'s message. */
export const PERCENT_MESSAGE = 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')';

function validateIntOrPercent(path: string, value: IntOrString | undefined): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    if (!/^[0-9]+%$/.test(value)) return [invalidValue(path, value, PERCENT_MESSAGE)];
    if (Number(value.slice(0, -1)) > 100) return [invalidValue(path, value, 'must not be greater than 100%')];
    return [];
  }
  return nonNegative(path, value);
}

function isZero(v: IntOrString | undefined): boolean {
  return v === 0 || v === '0%';
}

function validateStrategy(spec: NonNullable<Deployment['spec']>): FieldError[] {
  const errs: FieldError[] = [];
  const strategy = spec.strategy ?? {};
  const ru = strategy.rollingUpdate;
  if (strategy.type === 'Recreate') {
    if (ru) errs.push(forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
  } else if (strategy.type === 'RollingUpdate') {
    if (!ru) errs.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else {
      errs.push(...validateIntOrPercent('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable));
      errs.push(...validateIntOrPercent('spec.strategy.rollingUpdate.maxSurge', ru.maxSurge));
      if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
        errs.push(invalidValue('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
  } else {
    errs.push(notSupported('spec.strategy.type', strategy.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

export function validateDeployment(d: Deployment, old?: Deployment): FieldError[] {
  const errs = validateObjectMeta(d.metadata, { namespaced: true });
  const spec = d.spec ?? {};
  errs.push(...nonNegative('spec.replicas', spec.replicas));
  errs.push(...validateSelectorAndTemplate(spec));
  errs.push(...validateStrategy(spec));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errs.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalidValue('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...validateSelectorImmutable(spec.selector, old.spec?.selector));
  return errs;
}

export const deploymentResource = defineResource<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  schema: DeploymentSchema,
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  patchMeta: workloadPatchMeta({ 'spec.strategy': { strategy: 'retainKeys' } }),
  applyDefaults: applyDeploymentDefaults,
  validate: validateDeployment,
  warningsOnCreate: namedTemplateCreateWarnings,
  warningsOnUpdate: templateUpdateWarnings,
  prepareForCreate(d) {
    d.status = {};
  },
  prepareForUpdate(d, old) {
    if (old.status === undefined) delete d.status;
    else d.status = old.status;
  },
});
