/** Job and CronJob printers (upstream printJob / printCronJob columns and cells). */
import { ageColumn, col, nameColumn, templateColumns } from './columns.ts';
import { age, arr, containersAndImages, formatLabelSelector, get, humanDuration, num, since, str } from './format.ts';
import type { Printer } from './printer.ts';

const selectorDoc = 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';
const wide = [
  ...templateColumns,
  col('Selector', 'string', 1, selectorDoc),
];

function hasTrueCondition(obj: unknown, type: string): boolean {
  return arr(get(obj, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

/** The STATUS column of `kubectl get jobs` (upstream printJob's order of checks). */
export function jobStatus(job: { metadata: { deletionTimestamp?: unknown } }): string {
  if (hasTrueCondition(job, 'Complete')) return 'Complete';
  if (hasTrueCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasTrueCondition(job, 'Suspended')) return 'Suspended';
  if (hasTrueCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasTrueCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** COMPLETIONS: `1/3`, or `0/1 of 3` for a work-queue Job (no completions, parallelism > 1). */
export function jobCompletions(job: unknown): string {
  const succeeded = num(get(job, 'status', 'succeeded'));
  const completions = get(job, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(get(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: unknown, now: Date): string {
  const start = Date.parse(str(get(job, 'status', 'startTime')));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(get(job, 'status', 'completionTime')));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'Status of the job.'),
    col('Completions', 'string', 0, 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
    col('Duration', 'string', 0, 'Time required to complete the job.'),
    ageColumn,
    ...wide,
  ],
  row(job, now) {
    const [containers, images] = containersAndImages(get(job, 'spec', 'template', 'spec'));
    return [job.metadata.name ?? '', jobStatus(job), jobCompletions(job), jobDuration(job, now), age(job, now), containers, images, formatLabelSelector(get(job, 'spec', 'selector'))];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Schedule', 'string', 0, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 0, 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
    col('Suspend', 'boolean', 0, 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.'),
    col('Active', 'integer', 0, 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 0, 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wide,
  ],
  row(cj, now) {
    const suspend = get(cj, 'spec', 'suspend');
    const timeZone = get(cj, 'spec', 'timeZone');
    const last = get(cj, 'status', 'lastScheduleTime');
    const [containers, images] = containersAndImages(get(cj, 'spec', 'jobTemplate', 'spec', 'template', 'spec'));
    return [
      cj.metadata.name ?? '',
      str(get(cj, 'spec', 'schedule')),
      typeof timeZone === 'string' ? timeZone : '<none>',
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      arr(get(cj, 'status', 'active')).length,
      typeof last === 'string' ? since(last, now) : '<none>',
      age(cj, now),
      containers,
      images,
      formatLabelSelector(get(cj, 'spec', 'jobTemplate', 'spec', 'selector')),
    ];
  },
};
