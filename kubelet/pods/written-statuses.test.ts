/**
 * The kubelet does not send a pod status again while its watch has not delivered its own last
 * write: `WrittenStatuses` on its own, and `PodSyncer` syncing a pod object older than its write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Client } from '../../pkg/client/index.ts';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { FakeRuntime } from '../runtime/fake-runtime.ts';
import { PodSyncer } from './pod-sync.ts';
import { WrittenStatuses } from './written-statuses.ts';

describe('WrittenStatuses', () => {
  it('answers the written status while the API copy is older, then the API copy’s own', () => {
    const written = new WrittenStatuses();
    const api = { phase: 'Pending' };
    expect(written.baseline('u', api, '5')).toBe(api);
    written.remember('u', { metadata: { resourceVersion: '7' }, status: { phase: 'Running' } } as Pod);
    expect(written.baseline('u', api, '6')).toEqual({ phase: 'Running' });
    const newer = { phase: 'Failed' };
    expect(written.baseline('u', newer, '9')).toBe(newer);
    expect(written.baseline('u', api, '6')).toBe(api); // dropped once the API copy caught up
    written.remember('u', { metadata: { resourceVersion: '10' }, status: { phase: 'Running' } } as Pod);
    written.forget('u');
    expect(written.baseline('u', api, '6')).toBe(api);
  });
});

describe('PodSyncer status writes', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A syncer whose API client only takes status patches: each is counted and answered with the next resourceVersion. */
  function syncer(clock: FakeClock) {
    const patches: Array<{ status: Record<string, unknown> }> = [];
    let stored: Pod | undefined;
    let rv = 10;
    const client = {
      services: { inNamespace: () => ({ get: async () => Promise.reject(new Error('not found')), list: async () => ({ items: [] }) }) },
      pods: {
        inNamespace: () => ({
          patch: async (_name: string, body: { status: Record<string, unknown> }) => {
            patches.push(body);
            stored = { ...(stored as Pod), metadata: { ...(stored as Pod).metadata, resourceVersion: String(++rv) }, status: { ...(stored as Pod).status, ...body.status } } as Pod;
            return stored;
          },
        }),
      },
    } as unknown as Client;
    const runtime = new FakeRuntime(clock);
    const rootDir = mkdtempSync(join(tmpdir(), 'k8ts-written-status-'));
    dirs.push(rootDir);
    const sync = new PodSyncer({
      runtime,
      client,
      recorder: { event: () => undefined, flush: async () => undefined },
      clock,
      log: pino({ level: 'silent' }),
      nodeName: 'n1',
      hostIP: () => '10.0.0.1',
      logRoot: join(rootDir, 'logs'),
      rootDir,
      dns: { clusterDns: [], clusterDomain: 'cluster.local', host: { servers: [], searches: [], options: [] } },
      nodeAllocatable: () => ({ cpu: '2', memory: '4Gi', pods: '110' }),
      requestSync: () => undefined,
    });
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', resourceVersion: '10' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'pause' }] }, status: { phase: 'Pending' } } as Pod;
    stored = pod;
    const syncPod = async (p: Pod) => sync.sync(structuredClone(p), await runtime.getPod('uid-1'));
    return { syncPod, pod, patches, stored: () => stored as Pod };
  }

  it('writes a status once although the next sync still sees the pod from before the write', async () => {
    const clock = new FakeClock();
    const { syncPod, pod, patches, stored } = syncer(clock);
    await syncPod(pod);
    const afterFirst = patches.length;
    expect(afterFirst).toBeGreaterThan(0);
    expect(stored().status?.phase).toBe('Running');
    clock.step(5_000); // a later second: a status built on the stale copy would carry new times
    await syncPod(pod); // the watch has not delivered the write yet
    expect(patches.length).toBe(afterFirst);
    // Once the kubelet's copy is the written one, that copy is the baseline: still nothing to write.
    await syncPod(stored());
    expect(patches.length).toBe(afterFirst);
  });

  it('writes again when the API copy is newer than its write and differs', async () => {
    const clock = new FakeClock();
    const { syncPod, pod, patches, stored } = syncer(clock);
    await syncPod(pod);
    const afterFirst = patches.length;
    const changed = structuredClone(stored());
    changed.metadata.resourceVersion = String(Number(changed.metadata.resourceVersion) + 5);
    changed.status = { ...changed.status, phase: 'Pending', conditions: [] }; // someone else rewrote it
    await syncPod(changed);
    expect(patches.length).toBe(afterFirst + 1);
    expect(patches.at(-1)?.status.phase).toBe('Running');
  });
});
