/**
 * The pod a Job creates (upstream manageJob + CreatePodsWithGenerateName): the template with the
 * job-tracking finalizer and a controller reference; Indexed Jobs add the completion index
 * annotation and label, JOB_COMPLETION_INDEX from that annotation, hostname `<job>-<index>` and
 * generateName `<job>-<index>-`. Pure.
 */
import { JOB_LABELS, type Job } from '../../../pkg/api/batch/v1/job.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

export const JOB_OWNER = { apiVersion: 'batch/v1', kind: 'Job' };

const INDEX_ENV = {
  name: 'JOB_COMPLETION_INDEX',
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${JOB_LABELS.completionIndex}']` } },
};

export function podForJob(job: Job | DeepReadonly<Job>, index?: number, extraAnnotations: Record<string, string> = {}): Pod {
  const template = copyJson(job.spec?.template ?? {}) as NonNullable<Job['spec']>['template'] & object;
  const meta = template.metadata ?? {};
  const spec = template.spec ?? {};
  const labels = { ...(meta.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}), ...extraAnnotations };
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_LABELS.trackingFinalizer)) finalizers.push(JOB_LABELS.trackingFinalizer);
  let generateName = `${job.metadata.name}-`;
  if (index !== undefined) {
    annotations[JOB_LABELS.completionIndex] = String(index);
    labels[JOB_LABELS.completionIndex] = String(index);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if (!(c.env ?? []).some((e) => e.name === INDEX_ENV.name)) c.env = [...(c.env ?? []), copyJson(INDEX_ENV)];
    }
    spec.hostname = `${job.metadata.name}-${index}`;
    // Upstream podGenerateNameWithIndex: the job name is cut so the prefix stays within 58 characters.
    const suffix = `-${index}-`;
    generateName = `${job.metadata.name}${suffix}`;
    if (generateName.length > 58) generateName = `${(job.metadata.name ?? '').slice(0, 58 - suffix.length)}${suffix}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers,
      ownerReferences: [newControllerRef(job, JOB_OWNER)],
    },
    spec,
  } as Pod;
}
