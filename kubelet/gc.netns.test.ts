/**
 * Garbage collection with a real containerd (in a network namespace this test creates) and the
 * in-process API server, the container collector running every second instead of every minute:
 * a crash-looping pod (busybox `sh -c 'echo …; exit 1'`, restartPolicy Always) keeps at most one
 * dead container in containerd while its restartCount goes on increasing, and the kubelet API's
 * `previous=true` logs still read that dead container; once the pod is deleted its log directory
 * goes. The image collector over the same containerd removes an unused image but neither the
 * busybox image the pod uses nor the sandbox (pause) image containerd names.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { realClock } from '../pkg/workqueue/index.ts';
import { buildBusyboxImage, importImage } from './containerd/images.ts';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from './containerd/process.ts';
import { DEFAULT_CONTAINER_GC_POLICY } from './gc/container-gc.ts';
import { ImageGarbageCollector } from './gc/image-gc-manager.ts';
import { DEFAULT_IMAGE_GC_POLICY } from './gc/image-gc-policy.ts';
import { CriRuntime } from './runtime/cri-runtime.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-gc';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });

beforeAll(async () => {
  fixture = await startNetnsNode({
    name: 'k8ts-gc',
    nodeName: NODE,
    podCidr: '10.244.41.0/24',
    // Image GC off in the kubelet (as `k8ts up`): the test drives its own image collector below.
    kubelet: { gc: { containerPolicy: DEFAULT_CONTAINER_GC_POLICY, imagePolicy: { ...DEFAULT_IMAGE_GC_POLICY, highThresholdPercent: 100 }, containerPeriodMs: 1000, imagePeriodMs: 1000 } },
  });
  ({ cp } = fixture);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

describe('garbage collection with containerd', () => {
  let uid = '';

  it('a crash-looping pod keeps one dead container per container name while restartCount increases; --previous logs still work', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crash', namespace: 'default' },
      spec: { nodeName: NODE, restartPolicy: 'Always', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo attempt-$(date +%s); exit 1'] }] },
    } as Pod);
    uid = created.metadata.uid as string;
    const cri = fixture!.node.cri;
    const containersOfPod = async () => cri.listContainers({ labelSelector: { 'io.kubernetes.pod.uid': uid } });
    let mostDead = 0;
    // Through three attempts, sample containerd: a second dead container lives at most until the next GC round.
    const restarted = await until('restartCount 2', async () => {
      const dead = (await containersOfPod()).filter((c) => c.state === 'CONTAINER_EXITED').length;
      mostDead = Math.max(mostDead, dead);
      const p = await pods.get('crash');
      const status = p.status?.containerStatuses?.[0];
      return (status?.restartCount ?? 0) >= 2 && status;
    });
    expect(restarted.restartCount).toBeGreaterThanOrEqual(2);
    expect(mostDead).toBeLessThanOrEqual(2);
    // After a GC round: exactly one dead container named app, and no more than one other (running or created).
    const settled = await until('one dead container', async () => {
      const all = await containersOfPod();
      const dead = all.filter((c) => c.state === 'CONTAINER_EXITED');
      return dead.length === 1 && all;
    }, 10_000);
    expect(settled.filter((c) => c.metadata.name === 'app').length).toBeLessThanOrEqual(2);
    // The kept dead container is the newest attempt's predecessor: restartCount still climbs past it.
    const later = await until('restartCount 3', async () => {
      const p = await pods.get('crash');
      const n = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
      return n >= 3 && n;
    });
    expect(later).toBeGreaterThanOrEqual(3);
    await until('one dead container again', async () => (await containersOfPod()).filter((c) => c.state === 'CONTAINER_EXITED').length === 1, 10_000);
    // The kubelet API serves the previous attempt's log from the dead container GC kept.
    const res = await fetch(`http://127.0.0.1:${fixture!.kubeletPort}/containerLogs/default/crash/app?previous=true`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^attempt-\d+\n$/);
  }, 150_000);

  it('the image collector removes an unused image, never the one in use nor the sandbox image', async () => {
    const runtime = new CriRuntime(fixture!.node.cri);
    expect(await runtime.sandboxImage()).toBe(PAUSE_IMAGE);
    const archive = await buildBusyboxImage({ tag: 'gc', entrypoint: ['/bin/true'], outputTar: join(fixture!.node.dir, 'unused.tar') });
    await importImage({ socket: fixture!.node.containerd.socket, archive, baseName: 'k8ts.local/unused' });
    const tags = async () => (await runtime.listImages()).flatMap((i) => i.repoTags);
    expect(await tags()).toEqual(expect.arrayContaining(['k8ts.local/unused:gc', PAUSE_IMAGE]));
    const events: string[] = [];
    // A full image filesystem, high threshold 1 %, no minimum age: everything unused must go.
    const gc = new ImageGarbageCollector({
      runtime,
      policy: { highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0, maxAgeMs: 0 },
      imageFs: async () => ({ capacityBytes: 1000, availableBytes: 0 }),
      nodeEvent: (type, reason, message) => events.push(`${type} ${reason}: ${message}`),
      clock: realClock,
      log: pino({ level: 'silent' }),
    });
    await new Promise((r) => setTimeout(r, 5));
    await gc.garbageCollect();
    const left = await tags();
    expect(left).not.toContain('k8ts.local/unused:gc');
    expect(left).toEqual(expect.arrayContaining([PAUSE_IMAGE, BUSYBOX_IMAGE]));
    expect(events).toEqual([]);
  }, 60_000);

  it('a deleted pod loses its containers, sandboxes and log directory', async () => {
    const pods = cp!.client.pods.inNamespace('default');
    const logDir = join(fixture!.node.dir, 'pods-logs', `default_crash_${uid}`);
    expect(existsSync(logDir)).toBe(true);
    await pods.delete('crash');
    await until('pod gone from the API', async () => !(await pods.get('crash').then(() => true, () => false)));
    await until('log directory removed', async () => !existsSync(logDir), 15_000);
    const cri = fixture!.node.cri;
    expect(await cri.listContainers({ labelSelector: { 'io.kubernetes.pod.uid': uid } })).toEqual([]);
    expect(await cri.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': uid } })).toEqual([]);
  }, 60_000);
});
