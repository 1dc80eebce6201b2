/**
 * batch/v1 Job: schema with upstream field names, defaulting (SetDefaults_Job), the registry
 * strategy (generated selector and labels on create, status reset, status subresource) and
 * validation (pkg/apis/batch/validation, see `job-validation.ts`).
 */
import { z } from 'zod';
import { kubeObject, LabelSelectorSchema } from '../../meta.ts';
import { applyPodSpecDefaults, PodTemplateSpecSchema } from '../../core/v1/pod-spec.ts';
import { workloadPatchMeta } from '../../apps/v1/workload.ts';
import { defineResource } from '../../core/v1/common.ts';
import { jobSpecWarnings } from './job-warnings.ts';
import { whenGenerationChanged } from '../../core/v1/spec-change-warnings.ts';
import { podNameWarnings } from '../../validation/pod-name-warnings.ts';
import { validateJob } from './job-validation.ts';

const int = () => z.number().int().optional();

/** Pod label and annotation keys the Job API and controller use (upstream batch/v1 constants). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
  completionIndex: 'batch.kubernetes.io/job-completion-index',
  trackingFinalizer: 'batch.kubernetes.io/job-tracking',
} as const;

export const PodFailurePolicyRuleSchema = z.object({
  action: z.string().default(''),
  onExitCodes: z.object({
    containerName: z.string().optional(),
    operator: z.string().default(''),
    values: z.array(z.number().int()).default([]),
  }).optional(),
  onPodConditions: z.array(z.object({ type: z.string().default(''), status: z.string().default('') })).optional(),
});

export const JobSpecSchema = z.object({
  parallelism: int(),
  completions: int(),
  activeDeadlineSeconds: int(),
  podFailurePolicy: z.object({ rules: z.array(PodFailurePolicyRuleSchema).default([]) }).optional(),
  successPolicy: z.object({
    rules: z.array(z.object({ succeededIndexes: z.string().optional(), succeededCount: int() })).default([]),
  }).optional(),
  backoffLimit: int(),
  backoffLimitPerIndex: int(),
  maxFailedIndexes: int(),
  selector: LabelSelectorSchema.optional(),
  manualSelector: z.boolean().optional(),
  template: PodTemplateSpecSchema.optional(),
  ttlSecondsAfterFinished: int(),
  completionMode: z.string().optional(),
  suspend: z.boolean().optional(),
  podReplacementPolicy: z.string().optional(),
  managedBy: z.string().optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const JobConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastProbeTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type JobCondition = z.infer<typeof JobConditionSchema>;

export const JobStatusSchema = z.object({
  conditions: z.array(JobConditionSchema).optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  active: int(),
  succeeded: int(),
  failed: int(),
  terminating: int(),
  completedIndexes: z.string().optional(),
  failedIndexes: z.string().optional(),
  uncountedTerminatedPods: z.object({ succeeded: z.array(z.string()).optional(), failed: z.array(z.string()).optional() }).optional(),
  ready: int(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobSchema = kubeObject({
  spec: JobSpecSchema.optional(),
  status: JobStatusSchema.optional(),
});
export type Job = z.infer<typeof JobSchema>;

/** Upstream batch/v1 SetDefaults_Job plus the template's pod defaults. Idempotent. */
export function applyJobSpecDefaults(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  const template = (spec.template ??= {});
  applyPodSpecDefaults((template.spec ??= {}));
}

/** SetDefaults_Job: also, a Job without labels takes its template's labels. */
export function applyJobDefaults(job: Job): void {
  const spec = (job.spec ??= {});
  applyJobSpecDefaults(spec);
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
}

/**
 * Upstream `generateSelector` (jobStrategy.PrepareForCreate unless manualSelector): the template
 * gets the job-name and controller-uid labels (prefixed and legacy) unless set, and the selector
 * matches the prefixed controller-uid label.
 */
export function generateSelector(job: Job): void {
  const spec = (job.spec ??= {});
  if (spec.manualSelector) return;
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const key of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) if (!(key in labels)) labels[key] = name;
  for (const key of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) if (!(key in labels)) labels[key] = uid;
  const matchLabels = ((spec.selector ??= {}).matchLabels ??= {});
  if (!(JOB_LABELS.controllerUid in matchLabels)) matchLabels[JOB_LABELS.controllerUid] = uid;
}

/** Upstream's warning for Job and CronJob names that are not DNS labels (they become pod names and hostnames). */
export const nameWarnings = podNameWarnings;

export const jobResource = defineResource<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  schema: JobSchema,
  subresources: { status: true },
  patchMeta: workloadPatchMeta(),
  applyDefaults: applyJobDefaults,
  warningsOnCreate: (job) => [...nameWarnings(job.metadata.name), ...jobSpecWarnings('spec', job.spec)],
  warningsOnUpdate: (job, old) => whenGenerationChanged(job, old, () => jobSpecWarnings('spec', job.spec, old.spec)),
  validate: validateJob,
  // Upstream's DefaultGarbageCollectionPolicy for batch/v1: a DELETE without a policy orphans the pods.
  defaultPropagationPolicy: 'Orphan',
  fieldSelectors: { 'status.successful': (job) => String(job.status?.succeeded ?? 0) },
  prepareForCreate(job) {
    generateSelector(job);
    job.status = {};
  },
  prepareForUpdate(job, old) {
    if (old.status === undefined) delete job.status;
    else job.status = old.status;
  },
});
