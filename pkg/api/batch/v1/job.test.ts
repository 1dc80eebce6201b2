import { describe, expect, it } from 'vitest';
import { type Job, jobResource } from './job.ts';
import { formatIndexes, parseIndexes, validateIndexesFormat } from './indexes.ts';
import { jobCompletions, jobPrinter, jobStatus } from '../../printers/batch.ts';

const UID = '3f2a-uid';

/** A Job as the API server stores it on create: strategy, then defaults. */
function created(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Job {
  const job = jobResource.schema.parse({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: UID, ...meta }, spec }) as Job;
  jobResource.prepareForCreate!(job);
  jobResource.applyDefaults(job);
  return job;
}

const podTemplate = (spec: Record<string, unknown> = {}, labels?: Record<string, string>) => ({
  ...(labels ? { metadata: { labels } } : {}),
  spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never', ...spec },
});

const errors = (job: Job, old?: Job) => jobResource.validate(job, old).map((e) => `${e.field}: ${e.detail}`);

describe('Job defaults and generated selector', () => {
  it('defaults as SetDefaults_Job and generates the selector and template labels', () => {
    const job = created({ template: podTemplate() });
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
    });
    expect(job.spec?.template?.metadata?.labels).toEqual({
      'batch.kubernetes.io/controller-uid': UID,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': UID,
      'job-name': 'pi',
    });
    // As upstream's defaulting of a stored Job: no labels of its own → the template's.
    expect(job.metadata.labels).toEqual(job.spec?.template?.metadata?.labels);
    expect(job.status).toEqual({});
    expect(errors(job)).toEqual([]);
  });

  it.each([
    [{ parallelism: 3 }, { parallelism: 3, backoffLimit: 6 }],
    [{ completions: 5 }, { parallelism: 1, completions: 5 }],
    [{ backoffLimitPerIndex: 1, completionMode: 'Indexed', completions: 2 }, { backoffLimit: 2147483647 }],
    [{ podFailurePolicy: { rules: [] } }, { podReplacementPolicy: 'Failed' }],
    [
      { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
      { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } },
    ],
  ])('%j defaults to %j', (spec, expected) => {
    const job = created({ template: podTemplate(), ...spec });
    expect(job.spec).toMatchObject(expected);
    if (!('completions' in spec) && 'parallelism' in spec) expect(job.spec?.completions).toBeUndefined();
  });

  it('keeps a manual selector and the Job labels, and defaulting is idempotent', () => {
    const job = created({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: podTemplate({}, { app: 'x' }) }, { labels: { team: 'a' } });
    expect(job.spec?.selector).toEqual({ matchLabels: { app: 'x' } });
    expect(job.metadata.labels).toEqual({ team: 'a' });
    const again = structuredClone(job);
    jobResource.applyDefaults(again);
    expect(again).toEqual(job);
    expect(errors(job)).toEqual([]);
  });
});

describe('Job validation', () => {
  it.each([
    ['restartPolicy Always', { template: podTemplate({ restartPolicy: 'Always' }) }, 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['restartPolicy unset (defaulted to Always)', { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } }, 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['negative parallelism', { parallelism: -1, template: podTemplate() }, 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    ['negative backoffLimit', { backoffLimit: -2, template: podTemplate() }, 'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0'],
    ['negative ttl', { ttlSecondsAfterFinished: -1, template: podTemplate() }, 'spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0'],
    ['bad completionMode', { completionMode: 'Sometimes', template: podTemplate() }, 'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
    ['Indexed without completions', { completionMode: 'Indexed', parallelism: 2, template: podTemplate() }, 'spec.completions: Required value: when completion mode is Indexed'],
    ['backoffLimitPerIndex on NonIndexed', { backoffLimitPerIndex: 1, template: podTemplate() }, 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
    ['bad podReplacementPolicy', { podReplacementPolicy: 'Never', template: podTemplate() }, 'spec.podReplacementPolicy: Unsupported value: "Never": supported values: "Failed", "TerminatingOrFailed"'],
    ['podFailurePolicy with OnFailure', { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] }, template: podTemplate({ restartPolicy: 'OnFailure' }) }, 'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'],
    ['exit code 0 with In', { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] }, template: podTemplate() }, 'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator'],
    ['successPolicy on NonIndexed', { successPolicy: { rules: [{ succeededCount: 1 }] }, template: podTemplate() }, 'spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode'],
    ['template labels that do not match a manual selector', { manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: podTemplate({}, { app: 'y' }) }, 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`'],
    ['manual selector without a selector', { manualSelector: true, template: podTemplate() }, 'spec.selector: Required value'],
    ['a wrong generated label', { template: podTemplate({}, { 'controller-uid': 'other' }) }, 'spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"3f2a-uid", "batch.kubernetes.io/job-name":"pi", "controller-uid":"other", "job-name":"pi"}: must be \'3f2a-uid\''],
  ])('%s', (_name, spec, message) => {
    expect(errors(created(spec))).toContain(message);
  });

  it('rejects an Indexed Job whose last hostname is not a DNS label', () => {
    const job = created({ completionMode: 'Indexed', completions: 3, template: podTemplate() }, { name: `${'a'.repeat(62)}` });
    expect(errors(job)).toContain(`metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-2`);
  });

  it.each([
    ['completions', (j: Job) => { j.spec!.completions = 3; }, 'spec.completions: Invalid value: 3: field is immutable'],
    ['completionMode', (j: Job) => { j.spec!.completionMode = 'Indexed'; }, 'spec.completionMode: Invalid value: "Indexed": field is immutable'],
    ['template image', (j: Job) => { j.spec!.template!.spec!.containers![0]!.image = 'perl:2'; }, 'spec.template: Invalid value:'],
    ['selector', (j: Job) => { j.spec!.selector = { matchLabels: { ...j.spec!.selector!.matchLabels, 'job-name': 'pi' } }; }, 'spec.selector: Invalid value: v1.LabelSelector{'],
  ])('%s is immutable', (_name, change, message) => {
    const old = created({ template: podTemplate() });
    old.status = { startTime: '2026-01-01T00:00:00Z' };
    const next = structuredClone(old);
    change(next);
    expect(errors(next, old).some((e) => e.startsWith(message))).toBe(true);
  });

  it('allows parallelism, suspend and ttl changes, and scheduling directives of a suspended Job that never started', () => {
    const old = created({ suspend: true, template: podTemplate() });
    const next = structuredClone(old);
    next.spec!.parallelism = 4;
    next.spec!.suspend = false;
    next.spec!.ttlSecondsAfterFinished = 60;
    next.spec!.template!.spec!.nodeSelector = { disk: 'ssd' };
    expect(errors(next, old)).toEqual([]);
    const started = structuredClone(old);
    started.status = { startTime: '2026-01-01T00:00:00Z' };
    expect(errors(next, started).some((e) => e.startsWith('spec.template: Invalid value:'))).toBe(true);
  });

  it('lets an Indexed Job change completions in tandem with parallelism only', () => {
    const old = created({ completionMode: 'Indexed', completions: 2, parallelism: 2, template: podTemplate() });
    const next = structuredClone(old);
    next.spec!.completions = 4;
    expect(errors(next, old)).toContain('spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism');
    next.spec!.parallelism = 4;
    expect(errors(next, old)).toEqual([]);
  });
});

describe('Job status updates', () => {
  it.each([
    [{ active: -1 }, 'status.active: Invalid value: -1: must be greater than or equal to 0'],
    [{ uncountedTerminatedPods: { succeeded: ['a'], failed: ['a'] } }, 'status.uncountedTerminatedPods.failed[0]: Duplicate value: "a"'],
    [{ conditions: [{ type: 'Complete', status: 'True' }, { type: 'Failed', status: 'True' }] }, 'status.conditions: Invalid value: cannot set Complete=True and Failed=true conditions'],
    [{ conditions: [] }, 'status.conditions: Invalid value: cannot disable the terminal Failed=True condition'],
  ])('%j → %s', (status, message) => {
    const old = created({ template: podTemplate() });
    old.status = { conditions: [{ type: 'Failed', status: 'True' }] };
    const next = structuredClone(old);
    next.status = status as never;
    expect(errors(next, old)).toContain(message);
  });
});

describe('index interval lists', () => {
  it.each([
    ['', 5, 0],
    ['0,2-4', 5, 4],
    ['1-1', 5, 'non-increasing order, previous: 1, current: 1'],
    ['3,1', 5, 'non-increasing order, previous: 3, current: 1'],
    ['7', 5, 'too large index: "7"'],
    ['a', 5, 'cannot convert string to integer for index: "a"'],
    ['1-2-3', 5, 'the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by \'-\''],
  ])('%j with %d completions → %j', (text, completions, expected) => {
    expect(validateIndexesFormat(text, completions)).toEqual(expected);
  });

  it('round-trips', () => {
    expect(formatIndexes([4, 0, 1, 2, 7, 3])).toBe('0-4,7');
    expect(formatIndexes([3, 4])).toBe('3-4');
    expect(parseIndexes('0-2,5', 10)).toEqual([0, 1, 2, 5]);
  });
});

describe('kubectl get jobs columns', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const base = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
    ({ metadata: { name: 'pi', creationTimestamp: '2026-11-22T11:58:00Z', ...meta }, spec, status }) as never;
  const cond = (type: string, status = 'True') => ({ type, status });

  it.each([
    [{ completions: 1 }, {}, 'Running', '0/1'],
    [{ completions: 3 }, { succeeded: 3, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }, 'Complete', '3/3'],
    [{ parallelism: 3 }, { succeeded: 0 }, 'Running', '0/1 of 3'],
    [{ parallelism: 1 }, { succeeded: 1 }, 'Running', '1/1'],
    [{ completions: 2 }, { conditions: [cond('FailureTarget'), cond('Failed')] }, 'Failed', '0/2'],
    [{ completions: 2 }, { conditions: [cond('FailureTarget')] }, 'FailureTarget', '0/2'],
    [{ completions: 2 }, { conditions: [cond('SuccessCriteriaMet')] }, 'SuccessCriteriaMet', '0/2'],
    [{ completions: 2 }, { conditions: [cond('Suspended')] }, 'Suspended', '0/2'],
    [{ completions: 2 }, { conditions: [cond('Suspended', 'False')] }, 'Running', '0/2'],
  ])('%j %j → %s %s', (spec, status, expectedStatus, expectedCompletions) => {
    const job = base(spec, status);
    expect(jobStatus(job)).toBe(expectedStatus);
    expect(jobCompletions(job)).toBe(expectedCompletions);
  });

  it('prints Terminating for a Job being deleted and the durations', () => {
    expect(jobStatus(base({}, {}, { deletionTimestamp: '2026-11-22T11:59:00Z' }))).toBe('Terminating');
    const done = base({ completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } }, { startTime: '2026-11-22T11:58:00Z', completionTime: '2026-11-22T11:58:42Z', succeeded: 1, conditions: [cond('Complete')] });
    expect(jobPrinter.row(done, now)).toEqual(['pi', 'Complete', '1/1', '42s', '2m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u']);
    expect(jobPrinter.row(base({ completions: 1 }, { startTime: '2026-11-22T11:59:30Z' }), now).slice(0, 5)).toEqual(['pi', 'Running', '0/1', '30s', '2m']);
    expect(jobPrinter.row(base({ completions: 1 }, {}), now)[3]).toBe('');
    expect(jobPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  });
});
