/**
 * batch/v1 CronJob: schema, defaulting (SetDefaults_CronJob plus the job template's pod
 * defaults), validation (ValidateCronJobCreate / ValidateCronJobUpdate: schedule parsed as the
 * controller does, timeZone rules, the job template validated as a Job spec whose selector is
 * generated, names of at most 52 characters on create), status subresource, short name `cj`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, ObjectMetaSchema } from '../../meta.ts';
import { applyPodSpecDefaults, podSpecPatchMeta } from '../../core/v1/pod-spec.ts';
import { defineResource, ObjectReferenceSchema } from '../../core/v1/common.ts';
import { invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { goLabelSelector, nonNegative } from '../../apps/v1/workload.ts';
import { isKnownTimeZone, parseCronSchedule } from './cron-schedule.ts';
import { JobSpecSchema, nameWarnings } from './job.ts';
import { jobSpecWarnings } from './job-warnings.ts';
import { whenGenerationChanged } from '../../core/v1/spec-change-warnings.ts';
import { validateJobSpecFields } from './job-validation.ts';

/** batch/v1 JobTemplateSpec: the Job a CronJob creates. */
export const JobTemplateSpecSchema = z.object({ metadata: ObjectMetaSchema.optional(), spec: JobSpecSchema.optional() });

export const CronJobSpecSchema = z.object({
  schedule: z.string().optional(),
  timeZone: z.string().optional(),
  startingDeadlineSeconds: z.number().int().optional(),
  concurrencyPolicy: z.string().optional(),
  suspend: z.boolean().optional(),
  jobTemplate: JobTemplateSpecSchema.optional(),
  successfulJobsHistoryLimit: z.number().int().optional(),
  failedJobsHistoryLimit: z.number().int().optional(),
});

export const CronJobStatusSchema = z.object({
  active: z.array(ObjectReferenceSchema).optional(),
  lastScheduleTime: z.string().optional(),
  lastSuccessfulTime: z.string().optional(),
});

export const CronJobSchema = kubeObject({
  spec: CronJobSpecSchema.optional(),
  status: CronJobStatusSchema.optional(),
});
export type CronJob = z.infer<typeof CronJobSchema>;

/** Annotation the cronjob controller puts on the Jobs it creates (RFC 3339, in the CronJob's time zone). */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** SetDefaults_CronJob, plus SetDefaults_PodSpec of the job template's pod template. */
export function applyCronJobDefaults(cj: CronJob): void {
  const spec = (cj.spec ??= {});
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const template = ((spec.jobTemplate ??= {}).spec ??= {}).template ??= {};
  applyPodSpecDefaults((template.spec ??= {}));
}

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** Upstream validateTimeZone. */
function validateTimeZone(timeZone: string | undefined): FieldError[] {
  const path = 'spec.timeZone';
  if (timeZone === undefined) return [];
  if (timeZone === '') return [invalidValue(path, timeZone, 'timeZone must be nil or non-empty string')];
  if (timeZone.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !TZ_PART.test(part))) {
    return [invalidValue(path, timeZone, `unknown time zone ${timeZone}`)];
  }
  if (timeZone.toLowerCase() === 'local') return [invalidValue(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(timeZone) ? [] : [invalidValue(path, timeZone, `unknown time zone ${timeZone}`)];
}

function validateSchedule(schedule: string, allowTZ: boolean, timeZone: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const parsed = parseCronSchedule(schedule);
  if (parsed.error) errs.push(invalidValue('spec.schedule', schedule, parsed.error));
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined) errs.push(invalidValue('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ')) errs.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

/** Upstream validateCronJobSpec (`old` on update). */
function validateCronJobSpec(spec: NonNullable<CronJob['spec']>, old: CronJob['spec'] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else errs.push(...validateSchedule(spec.schedule, old?.schedule?.includes('TZ') ?? false, spec.timeZone));
  errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (!old || old.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  if (!spec.concurrencyPolicy) errs.push(required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  const jobSpec = spec.jobTemplate?.spec ?? {};
  errs.push(...validateJobSpecFields(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector) errs.push({ type: 'FieldValueInvalid', field: 'spec.jobTemplate.spec.selector', detail: `Invalid value: ${goLabelSelector(jobSpec.selector)}: \`selector\` will be auto-generated` });
  if (jobSpec.manualSelector) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errs.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  return errs;
}

/** ValidateCronJobCreate, or ValidateCronJobUpdate when `old` is given. */
export function validateCronJob(cj: CronJob, old?: CronJob): FieldError[] {
  const errs = validateObjectMeta(cj.metadata, { namespaced: true });
  errs.push(...validateCronJobSpec(cj.spec ?? {}, old ? (old.spec ?? {}) : undefined));
  // The controller appends an 11-character suffix to Job names (at most 63 characters).
  if (!old && (cj.metadata.name ?? '').length > 52) errs.push(invalidValue('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  return errs;
}

const JOB_TEMPLATE_SPEC = 'spec.jobTemplate.spec';

export const cronJobResource = defineResource<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  schema: CronJobSchema,
  subresources: { status: true },
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    ...podSpecPatchMeta('spec.jobTemplate.spec.template.spec'),
  },
  applyDefaults: applyCronJobDefaults,
  warningsOnCreate: (cj) => [
    ...nameWarnings(cj.metadata.name),
    ...jobSpecWarnings(JOB_TEMPLATE_SPEC, cj.spec?.jobTemplate?.spec),
    ...(cj.spec?.schedule?.includes('TZ') ? ['CRON_TZ or TZ used in spec.spec.schedule is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details'] : []),
  ],
  warningsOnUpdate: (cj, old) => [
    ...whenGenerationChanged(cj, old, () => jobSpecWarnings(JOB_TEMPLATE_SPEC, cj.spec?.jobTemplate?.spec, old.spec?.jobTemplate?.spec)),
    // Upstream's update message for the same schedule (its path is upstream's, `spec.spec.schedule`).
    ...(cj.spec?.schedule?.includes('TZ') ? ['cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details'] : []),
  ],
  validate: validateCronJob,
  prepareForCreate(cj) {
    cj.status = {};
  },
  prepareForUpdate(cj, old) {
    if (old.status === undefined) delete cj.status;
    else cj.status = old.status;
  },
});
