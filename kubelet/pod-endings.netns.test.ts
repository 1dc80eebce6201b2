/**
 * How pods end on a real node (the kubelet against the in-process API server and a real
 * containerd in a network namespace this test creates). Termination messages: what a container
 * writes to its `terminationMessagePath` becomes its terminated state's message, at the default
 * path and at a custom one; with `FallbackToLogsOnError` a failed container without one reports
 * the tail of its log, a successful one nothing. Active deadlines: a pod running past its
 * `activeDeadlineSeconds` fails with reason DeadlineExceeded and its container is stopped.
 * Deletion: a deleted pod's final phase (Succeeded when its containers exited 0 on SIGTERM,
 * Failed otherwise, whatever its restart policy) is written before the deletion is confirmed, so
 * a pod a finalizer keeps shows how it ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-tm';
const POD_CIDR = '10.244.57.0/24';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;

beforeAll(async () => {
  fixture = await startNetnsNode({ name: 'k8ts-tm', nodeName: NODE, podCidr: POD_CIDR });
  ({ cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

const container = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra });
const pods = () => cp!.client.pods.inNamespace('default');
/** Creates a pod bound to this node, stopped within a second. */
const createPod = (name: string, spec: Record<string, unknown>) =>
  pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, ...spec } } as Pod);

describe('pod endings with containerd', () => {
  it('reports the termination-log file, a custom path, and the log tail on error with FallbackToLogsOnError', async () => {
    await createPod('term', {
      restartPolicy: 'Never',
      containers: [
        container('file', "echo 'custom message' > /dev/termination-log; exit 2"),
        container('custom', "printf done > /tmp/why; exit 0", { terminationMessagePath: '/tmp/why' }),
        container('logs', 'echo log line 1; echo log line 2; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' }),
        container('quiet', 'echo all good; exit 0', { terminationMessagePolicy: 'FallbackToLogsOnError' }),
      ],
    });
    const statuses = await waitFor('all four terminated', async () => {
      const list = (await pods().get('term')).status?.containerStatuses ?? [];
      return list.length === 4 && list.every((s) => s.state?.terminated) ? list : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    const terminated = Object.fromEntries(statuses.map((s) => [s.name, s.state!.terminated!]));
    expect(terminated.file).toMatchObject({ exitCode: 2, reason: 'Error', message: 'custom message\n' });
    expect(terminated.custom).toMatchObject({ exitCode: 0, reason: 'Completed', message: 'done' });
    expect(terminated.logs).toMatchObject({ exitCode: 3, reason: 'Error', message: 'log line 1\nlog line 2\n' });
    expect(terminated.quiet).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(terminated.quiet!.message).toBeUndefined();
  }, 90_000);

  it.each([
    ['stops on SIGTERM', 'Succeeded', 'trap "exit 0" TERM; sleep 3600 & wait', 0],
    ['fails on SIGTERM', 'Failed', 'trap "exit 3" TERM; sleep 3600 & wait', 3],
  ])('a deleted Always pod that %s, kept by a finalizer, ends %s before the kubelet lets it go', async (_what, phase, script, exitCode) => {
    const name = `fin-${exitCode}`;
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', finalizers: ['example.com/hold'] }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 5, containers: [container('app', script)] } } as Pod);
    await waitFor(`${name} running`, async () => (await pods().get(name)).status?.phase === 'Running', { timeoutMs: 60_000, intervalMs: 200 });
    await pods().delete(name);
    const ended = await waitFor(`${name} ${phase}`, async () => {
      const p = await pods().get(name);
      return p.metadata.deletionGracePeriodSeconds === 0 ? p : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(ended.status?.phase).toBe(phase);
    expect(ended.status?.containerStatuses?.[0]).toMatchObject({ ready: false, state: { terminated: { exitCode } } });
    await pods().patch(name, { metadata: { finalizers: null } }, { type: 'merge' });
  }, 90_000);

  it('fails a pod past its activeDeadlineSeconds with DeadlineExceeded and stops its container', async () => {
    await createPod('deadline', { activeDeadlineSeconds: 2, containers: [container('sleeper', 'sleep 3600')] });
    const failed = await waitFor('deadline pod failed and stopped', async () => {
      const p = await pods().get('deadline');
      return p.status?.phase === 'Failed' && p.status.containerStatuses?.[0]?.state?.terminated ? p : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    expect(failed.status).toMatchObject({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    const started = Date.parse(failed.status!.startTime!);
    expect(Date.parse(failed.status!.containerStatuses![0]!.state!.terminated!.finishedAt!)).toBeGreaterThanOrEqual(started + 2_000);
    const events = (await cp!.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'deadline');
    expect(events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toContain('Normal DeadlineExceeded: Pod was active on the node longer than the specified deadline');
  }, 90_000);
});
