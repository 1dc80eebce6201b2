/**
 * batch/v1 through real kubectl (the oldest and newest installed minor, `KUBECTL_RANGE_ENDS`)
 * against the in-process control plane with the job controller: `kubectl apply` of a typical Job
 * and CronJob, `kubectl get` columns, `kubectl create job` (plain and `--from=cronjob/…`),
 * `kubectl create cronjob`, a 422 with upstream's message for restartPolicy Always, and `kubectl
 * wait --for=condition=complete`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-batch-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
let cp: TestControlPlane;

const MANIFEST = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  backoffLimit: 4
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
          restartPolicy: OnFailure
`;

const BAD_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox
      restartPolicy: Always
`;

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['job', 'garbagecollector'] });
  writeFileSync(join(dir, 'batch.yaml'), MANIFEST);
  writeFileSync(join(dir, 'bad.yaml'), BAD_JOB);
  writeFileSync(join(dir, 'dotted.yaml'), BAD_JOB.replace('name: bad', 'name: v1.2').replace('restartPolicy: Always', 'restartPolicy: Never'));
});

afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const header = (out: string) => out.split('\n')[0]!.split(/\s{2,}/).map((s) => s.trim());
const rowOf = (out: string, name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/).map((s) => s.trim());

describe.skipIf(!minors.length).each(minors)('kubectl %s and batch/v1', (minor) => {
  const ns = `batch-${minor.replace('.', '-')}`;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }), ['-n', ns]);

  beforeAll(async () => {
    await cp.client.namespaces.create({ metadata: { name: ns } });
  });

  it('applies a Job and a CronJob manifest and prints upstream columns', async () => {
    expect(await ok('apply', '-f', join(dir, 'batch.yaml'))).toBe('job.batch/pi created\ncronjob.batch/hello created\n');
    const jobs = await ok('get', 'jobs');
    expect(header(jobs)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(rowOf(jobs, 'pi')?.slice(0, 3)).toEqual(['pi', 'Running', '0/1']);
    const wide = await ok('get', 'jobs', '-o', 'wide');
    expect(header(wide)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const uid = (await cp.client.jobs.inNamespace(ns).get('pi')).metadata.uid;
    expect(rowOf(wide, 'pi')?.slice(5)).toEqual(['pi', 'perl:5.34.0', `batch.kubernetes.io/controller-uid=${uid}`]);
    const cronjobs = await ok('get', 'cj');
    expect(header(cronjobs)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(rowOf(cronjobs, 'hello')?.slice(0, 6)).toEqual(['hello', '* * * * *', '<none>', 'False', '0', '<none>']);
    expect(header(await ok('get', 'cronjobs', '-o', 'wide'))).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const all = await ok('get', 'all');
    expect(all).toContain('job.batch/pi');
    expect(all).toContain('cronjob.batch/hello');
    // A second apply is a no-op.
    expect(await ok('apply', '-f', join(dir, 'batch.yaml'))).toBe('job.batch/pi unchanged\ncronjob.batch/hello unchanged\n');
  });

  it('kubectl create job, create job --from=cronjob, create cronjob', async () => {
    expect(await ok('create', 'job', 'once', '--image=busybox')).toBe('job.batch/once created\n');
    const dotted = await run('create', '-f', join(dir, 'dotted.yaml'));
    expect(dotted.stdout).toBe('job.batch/v1.2 created\n');
    expect(dotted.stderr).toBe(`Warning: metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]\n`);
    expect(await ok('create', 'job', 'manual', '--from=cronjob/hello')).toBe('job.batch/manual created\n');
    const manual = await cp.client.jobs.inNamespace(ns).get('manual');
    const hello = await cp.client.cronJobs.inNamespace(ns).get('hello');
    expect(manual.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    // kubectl's owner reference differs between minors (controller / blockOwnerDeletion flags).
    expect(manual.metadata.ownerReferences).toMatchObject([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: hello.metadata.uid }]);
    expect(manual.spec?.template?.spec?.containers?.[0]?.image).toBe('busybox:1.28');
    expect(await ok('create', 'cronjob', 'every5', '--image=busybox', '--schedule=*/5 * * * *')).toBe('cronjob.batch/every5 created\n');
    expect((await cp.client.cronJobs.inNamespace(ns).get('every5')).spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3 });
  });

  it('refuses restartPolicy Always with 422 and upstream message, and a bad schedule', async () => {
    const bad = await run('create', '-f', join(dir, 'bad.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Job "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    const schedule = await run('create', 'cronjob', 'oops', '--image=busybox', '--schedule=61 * * * *');
    expect(schedule.code).toBe(1);
    expect(schedule.stderr).toContain('error: failed to create cronjob: CronJob.batch "oops" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  });

  it('kubectl wait --for=condition=complete returns once the Job completes', async () => {
    const pod = await waitFor('the pod of once', async () => (await cp.client.pods.inNamespace(ns).list({ labelSelector: 'batch.kubernetes.io/job-name=once' })).items[0]);
    const waiting = run('wait', '--for=condition=complete', 'job/once', '--timeout=30s');
    await cp.client.pods.inNamespace(ns).patch(pod.metadata.name as string, { status: { phase: 'Succeeded' } }, { type: 'merge', subresource: 'status' });
    const res = await waiting;
    expect(res.stdout).toBe('job.batch/once condition met\n');
    expect(res.code).toBe(0);
    expect(rowOf(await ok('get', 'job', 'once'), 'once')?.slice(0, 3)).toEqual(['once', 'Complete', '1/1']);
    expect(await ok('delete', 'job', 'once')).toBe('job.batch "once" deleted\n');
    await waitFor('pods of once gone', async () => (await cp.client.pods.inNamespace(ns).list({ labelSelector: 'batch.kubernetes.io/job-name=once' })).items.length === 0);
  });
});
