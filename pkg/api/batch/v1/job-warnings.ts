/**
 * Upstream's Job spec warnings (pkg/api/job/warnings.go WarningsForJobSpec, Kubernetes 1.33),
 * shared by Jobs (`spec`) and CronJobs (`spec.jobTemplate.spec`): an Indexed Job past the
 * completions/parallelism soft limits, then the pod template's warnings. Pure.
 */
import { podTemplateWarnings } from '../../core/v1/pod-warnings.ts';
import type { Job } from './job.ts';

type JobSpec = NonNullable<Job['spec']>;

const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_SOFT_LIMIT = 10_000;

/** WarningsForJobSpec for the spec at `path` (`old`: the stored spec on update). */
export function jobSpecWarnings(path: string, spec: JobSpec | undefined, old?: JobSpec): string[] {
  const out: string[] = [];
  if (spec?.completionMode === 'Indexed' && (spec.completions ?? 0) > COMPLETIONS_SOFT_LIMIT && (spec.parallelism ?? 0) > PARALLELISM_SOFT_LIMIT) {
    out.push(`${path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail`);
  }
  out.push(...podTemplateWarnings(`${path}.template`, spec?.template ?? {}, old?.template));
  return out;
}
