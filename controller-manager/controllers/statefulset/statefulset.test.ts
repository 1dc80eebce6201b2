/**
 * The StatefulSet controller against the in-process API server with real clients and informers
 * (no kubelet: the test writes pod phases and readiness as a kubelet would, and finishes graceful
 * deletions of pods bound to a node).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
const NS = 'sts-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50, retryErrors: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pods = () => cp.client.pods.inNamespace(NS);
const sets = () => cp.client.statefulSets.inNamespace(NS);
const revisions = () => cp.client.resource<ControllerRevision>(C.controllerRevisions).inNamespace(NS);
const podsOf = async (app: string) => (await pods().list({ labelSelector: `app=${app}` })).items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
const names = async (app: string) => (await podsOf(app)).map((p) => `${p.metadata.name}${p.metadata.deletionTimestamp ? ' (terminating)' : ''}`);
const events = async (name: string, reason?: string) =>
  (await cp.client.events.inNamespace(NS).list()).items
    .filter((e) => e.involvedObject?.name === name && (!reason || e.reason === reason))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));

function statefulSet(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: 'nginx',
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }], ...podSpec } },
      ...spec,
    },
  } as StatefulSet;
}

/** What a kubelet reports for a running, ready pod. */
async function markReady(name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await pods().patch(name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' });
}

/** Marks every live pod of `app` ready as soon as it appears, until `stop()`. */
function autoReady(app: string): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      for (const p of await podsOf(app).catch(() => [])) {
        if (!p.metadata.deletionTimestamp && p.status?.phase !== 'Running') await markReady(p.metadata.name as string).catch(() => {});
      }
      await sleep(50);
    }
  })();
  return { stop: () => (running = false) };
}

beforeAll(async () => {
  // With the replicaset controller too (both index the shared pods informer by controller uid) and
  // the garbage collector (a deleted StatefulSet's pods and revisions go).
  cp = await startTestControlPlane({ controllers: ['replicaset', 'statefulset', 'garbagecollector'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
});
afterAll(() => cp?.stop());

describe('StatefulSet controller: OrderedReady', () => {
  it('creates web-0, web-1, web-2 in order, each once its predecessors are Running and Ready', async () => {
    await sets().create(statefulSet('web', {}, { nodeName: 'n1' }));
    await until('web-0', async () => (await names('web')).length === 1);
    await sleep(300);
    expect(await names('web')).toEqual(['web-0']);
    await markReady('web-0');
    await until('web-1', async () => (await names('web')).length === 2);
    await sleep(300);
    expect(await names('web')).toEqual(['web-0', 'web-1']);
    await markReady('web-1');
    await until('web-2', async () => (await names('web')).length === 3);
    await markReady('web-2');
    const status = await until('3 ready', async () => {
      const s = (await sets().get('web')).status;
      return s?.readyReplicas === 3 && s.currentRevision === s.updateRevision && s;
    });
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1, collisionCount: 0 });
    expect(status.currentRevision).toMatch(/^web-[a-z0-9]+$/);
    const created = await events('web', 'SuccessfulCreate');
    expect(created.map((e) => e.message)).toEqual(['create Pod web-0 in StatefulSet web successful', 'create Pod web-1 in StatefulSet web successful', 'create Pod web-2 in StatefulSet web successful']);
    expect(created[0].source?.component).toBe('statefulset-controller');
  });

  it('gives each pod its stable identity: hostname, subdomain, labels, controller reference', async () => {
    const set = await sets().get('web');
    const p = await pods().get('web-1');
    expect(p.metadata.generateName).toBe('web-');
    expect(p.metadata.labels).toEqual({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': set.status?.updateRevision });
    expect(p.spec).toMatchObject({ hostname: 'web-1', subdomain: 'nginx' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });

  it('records the template as a ControllerRevision in upstream\'s patch format', async () => {
    const set = await sets().get('web');
    const list = (await revisions().list({ labelSelector: 'app=web' })).items;
    expect(list.map((r) => [r.metadata.name, r.revision])).toEqual([[set.status?.currentRevision, 1]]);
    const data = list[0].data as { spec: { template: Record<string, unknown> } };
    expect(Object.keys(data)).toEqual(['spec']);
    expect(Object.keys(data.spec)).toEqual(['template']);
    expect(data.spec.template).toMatchObject({ $patch: 'replace', metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } });
    expect(list[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
  });

  it('scales down from the highest ordinal, one pod at a time, waiting for each to terminate', async () => {
    await sets().patch('web', { spec: { replicas: 1 } }, { type: 'merge' });
    await until('web-2 terminating', async () => (await pods().get('web-2')).metadata.deletionTimestamp);
    await sleep(300);
    expect(await names('web')).toEqual(['web-0', 'web-1', 'web-2 (terminating)']);
    await pods().delete('web-2', { gracePeriodSeconds: 0 });
    await until('web-1 terminating', async () => (await names('web')).join() === 'web-0,web-1 (terminating)');
    await pods().delete('web-1', { gracePeriodSeconds: 0 });
    await until('status 1 replica', async () => (await sets().get('web')).status?.replicas === 1);
    expect((await events('web', 'SuccessfulDelete')).map((e) => e.message)).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
  });

  it('recreates a pod that failed', async () => {
    const before = await pods().get('web-0');
    await pods().patch('web-0', { status: { phase: 'Failed' } }, { type: 'merge', subresource: 'status' });
    const after = await until('web-0 recreated', async () => {
      const p = (await podsOf('web')).find((x) => x.metadata.name === 'web-0');
      return p && p.metadata.uid !== before.metadata.uid && p;
    });
    expect(after.status?.phase).toBe('Pending');
    expect((await events('web', 'SuccessfulDelete')).map((e) => e.message)).toContain('delete Pod web-0 in StatefulSet web successful');
  });
});

describe('StatefulSet controller: Parallel, ordinals', () => {
  it('Parallel creates every pod at once, without waiting for readiness', async () => {
    await sets().create(statefulSet('par', { podManagementPolicy: 'Parallel' }));
    await until('3 pods', async () => (await names('par')).length === 3);
    expect(await names('par')).toEqual(['par-0', 'par-1', 'par-2']);
    await sets().patch('par', { spec: { replicas: 0 } }, { type: 'merge' });
    await until('no pods', async () => (await names('par')).length === 0);
  });

  it('starts at ordinals.start', async () => {
    await sets().create(statefulSet('ord', { podManagementPolicy: 'Parallel', replicas: 2, ordinals: { start: 5 } }));
    await until('2 pods', async () => (await names('ord')).length === 2);
    expect(await names('ord')).toEqual(['ord-5', 'ord-6']);
    expect((await pods().get('ord-6')).metadata.labels?.['apps.kubernetes.io/pod-index']).toBe('6');
  });
});

describe('StatefulSet controller: updates', () => {
  it('rolls from the highest ordinal down, respecting the partition, then completes', async () => {
    const ready = autoReady('roll');
    try {
      await sets().create(statefulSet('roll'));
      const first = await until('rolled out', async () => {
        const s = (await sets().get('roll')).status;
        return s?.readyReplicas === 3 && s.currentRevision === s.updateRevision && s.currentRevision;
      });
      await sets().patch('roll', { spec: { updateStrategy: { rollingUpdate: { partition: 2 } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'merge' });
      const partial = await until('partition reached', async () => {
        const s = (await sets().get('roll')).status;
        return s?.updatedReplicas === 1 && s.readyReplicas === 3 && s;
      });
      expect(partial.currentRevision).toBe(first);
      expect(partial.updateRevision).not.toBe(first);
      await sleep(300);
      const revs = async () => Object.fromEntries((await podsOf('roll')).map((p) => [p.metadata.name, p.metadata.labels?.['controller-revision-hash']]));
      expect(await revs()).toEqual({ 'roll-0': first, 'roll-1': first, 'roll-2': partial.updateRevision });
      expect((await pods().get('roll-2')).spec?.containers?.[0]?.image).toBe('nginx:1.27');
      await sets().patch('roll', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, { type: 'merge' });
      const done = await until('rolled out again', async () => {
        const s = (await sets().get('roll')).status;
        return s && s.currentRevision === partial.updateRevision && s.updatedReplicas === 3 && s.readyReplicas === 3 && s;
      });
      expect(done).toMatchObject({ replicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 3 });
      expect((await events('roll', 'SuccessfulDelete')).map((e) => e.message)).toEqual(['roll-2', 'roll-1', 'roll-0'].map((p) => `delete Pod ${p} in StatefulSet roll successful`));
      const history = (await revisions().list({ labelSelector: 'app=roll' })).items.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
      expect(history.map((r) => [r.metadata.name, r.revision])).toEqual([[first, 1], [partial.updateRevision, 2]]);
    } finally {
      ready.stop();
    }
  });

  it('rolls back to an earlier revision by renumbering it, and keeps revisionHistoryLimit', async () => {
    const ready = autoReady('hist');
    try {
      await sets().create(statefulSet('hist', { revisionHistoryLimit: 1 }));
      const rev = async () => until('settled', async () => {
        const s = (await sets().get('hist')).status;
        return s?.readyReplicas === 3 && s.updatedReplicas === 3 && s.currentRevision === s.updateRevision && s.updateRevision;
      });
      const r1 = await rev();
      for (const image of ['nginx:1.26', 'nginx:1.27']) await sets().patch('hist', { spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } } }, { type: 'merge' }).then(() => sleep(100)).then(rev);
      await sets().patch('hist', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } } }, { type: 'merge' });
      const back = await until('back at revision 1\'s template', async () => {
        const s = (await sets().get('hist')).status;
        return s?.updateRevision === r1 && s.currentRevision === r1 && s.readyReplicas === 3 && s;
      });
      expect(back.updateRevision).toBe(r1);
      const history = await until('history truncated', async () => {
        const items = (await revisions().list({ labelSelector: 'app=hist' })).items;
        return items.length === 2 && items;
      });
      expect(history.find((r) => r.metadata.name === r1)?.revision).toBe(4);
      expect(history.map((r) => r.revision).sort()).toEqual([3, 4]);
    } finally {
      ready.stop();
    }
  });

  it('OnDelete leaves pods alone until they are deleted, then recreates them at the new revision', async () => {
    const ready = autoReady('ondel');
    try {
      await sets().create(statefulSet('ondel', { replicas: 2, updateStrategy: { type: 'OnDelete' } }));
      const first = await until('ready', async () => {
        const s = (await sets().get('ondel')).status;
        return s?.readyReplicas === 2 && s.currentRevision;
      });
      await sets().patch('ondel', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, { type: 'merge' });
      const next = await until('new update revision', async () => {
        const s = (await sets().get('ondel')).status;
        return s?.updateRevision !== first && s?.updateRevision;
      });
      await sleep(500);
      expect((await podsOf('ondel')).map((p) => p.metadata.labels?.['controller-revision-hash'])).toEqual([first, first]);
      await pods().delete('ondel-1');
      await until('ondel-1 recreated at the new revision', async () => (await pods().get('ondel-1')).metadata.labels?.['controller-revision-hash'] === next);
      const s = await until('counts', async () => {
        const st = (await sets().get('ondel')).status;
        return st?.updatedReplicas === 1 && st.readyReplicas === 2 && st;
      });
      expect(s).toMatchObject({ currentRevision: first, updateRevision: next, currentReplicas: 1, updatedReplicas: 1 });
    } finally {
      ready.stop();
    }
  });
});

describe('StatefulSet controller: ownership and claims', () => {
  it('adopts a matching orphan named after the set and restores its identity labels; releases a pod whose labels stop matching', async () => {
    await pods().create({ metadata: { name: 'adopt-0', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    // Identity is restored only on a Running and Ready pod (OrderedReady waits for it first).
    await markReady('adopt-0');
    await pods().create({ metadata: { name: 'stranger', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as Pod);
    // OnDelete: the adopted pod has no revision label, so a rolling update would replace it (as
    // upstream's would) and race the release below.
    await sets().create(statefulSet('adopt', { replicas: 1, updateStrategy: { type: 'OnDelete' } }));
    const adopted = await until('adopted and relabelled', async () => {
      const p = await pods().get('adopt-0');
      return p.metadata.ownerReferences?.[0]?.name === 'adopt' && p.metadata.labels?.['statefulset.kubernetes.io/pod-name'] === 'adopt-0' && p;
    });
    expect(adopted.metadata.labels?.['apps.kubernetes.io/pod-index']).toBe('0');
    expect((await pods().get('stranger')).metadata.ownerReferences).toBeUndefined();
    await pods().patch('adopt-0', { metadata: { labels: { app: 'elsewhere' } } }, { type: 'merge' });
    await until('released', async () => (await pods().get('adopt-0')).metadata.ownerReferences === undefined);
  });

});

describe('StatefulSet controller: volumeClaimTemplates', () => {
  const claims = () => cp.client.resource<PersistentVolumeClaim>(C.persistentVolumeClaims).inNamespace(NS);
  const template = (labels?: Record<string, string>) => [{ metadata: { name: 'www', ...(labels ? { labels } : {}) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  const claimNames = async (prefix: string) => (await claims().list()).items.filter((c) => c.metadata.name?.startsWith(prefix) && !c.metadata.deletionTimestamp).map((c) => c.metadata.name).sort();

  it('creates each claim before its pod, reuses an existing claim, and records upstream events', async () => {
    await claims().create({ metadata: { name: 'www-vol-1', labels: { keep: 'me' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } as PersistentVolumeClaim);
    await sets().create(statefulSet('vol', { replicas: 2, podManagementPolicy: 'Parallel', volumeClaimTemplates: template({ tier: 'data' }) }));
    await until('2 pods', async () => (await names('vol')).length === 2);
    expect(await claimNames('www-vol-')).toEqual(['www-vol-0', 'www-vol-1']);
    const c0 = await claims().get('www-vol-0');
    const p0 = await pods().get('vol-0');
    expect(Date.parse(c0.metadata.creationTimestamp as string)).toBeLessThanOrEqual(Date.parse(p0.metadata.creationTimestamp as string));
    expect(c0.metadata.labels).toEqual({ tier: 'data', app: 'vol' });
    expect(c0.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(c0.metadata.ownerReferences).toBeUndefined();
    expect((await claims().get('www-vol-1')).spec?.resources?.requests?.storage).toBe('5Gi');
    expect(p0.spec?.volumes).toContainEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-vol-0', readOnly: false } });
    const messages = (await events('vol', 'SuccessfulCreate')).map((e) => e.message);
    expect(messages).toContain('create Claim www-vol-0 Pod vol-0 in StatefulSet vol success');
    expect(messages).not.toContain('create Claim www-vol-1 Pod vol-1 in StatefulSet vol success');
    expect(messages).toContain('create Pod vol-0 in StatefulSet vol successful');
    expect(await events('vol', 'FailedCreate')).toEqual([]);
  });

  it('whenDeleted: Delete makes the set the claims\' controller, so deleting the set collects them', async () => {
    await sets().create(statefulSet('owned', { replicas: 1, volumeClaimTemplates: template(), persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }));
    const set = await sets().get('owned');
    const claim = await until('claim owned by the set', async () => {
      const c = await claims().get('www-owned-0');
      return (c.metadata.ownerReferences?.length ?? 0) > 0 && c;
    });
    expect(claim.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'owned', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await sets().delete('owned');
    await until('claim collected', async () => (await claimNames('www-owned-')).length === 0);
  });

  it('whenScaled: Delete hands a condemned pod its claims, so scaling down removes them; Retain keeps them', async () => {
    await sets().create(statefulSet('shrink', { replicas: 2, podManagementPolicy: 'Parallel', volumeClaimTemplates: template(), persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
    await until('2 pods', async () => (await names('shrink')).length === 2);
    expect((await claims().get('www-shrink-1')).metadata.ownerReferences).toBeUndefined();
    const pod1 = await pods().get('shrink-1');
    await sets().patch('shrink', { spec: { replicas: 1 } }, { type: 'merge' });
    await until('pod shrink-1 gone', async () => !(await names('shrink')).includes('shrink-1'));
    await until('claim www-shrink-1 collected', async () => !(await claimNames('www-shrink-')).includes('www-shrink-1'));
    expect(await claimNames('www-shrink-')).toEqual(['www-shrink-0']);
    expect(pod1.metadata.uid).toBeDefined();

    await sets().create(statefulSet('keep', { replicas: 2, podManagementPolicy: 'Parallel', volumeClaimTemplates: template() }));
    await until('2 pods', async () => (await names('keep')).length === 2);
    await sets().patch('keep', { spec: { replicas: 1 } }, { type: 'merge' });
    await until('pod keep-1 gone', async () => !(await names('keep')).includes('keep-1'));
    await sleep(300);
    expect(await claimNames('www-keep-')).toEqual(['www-keep-0', 'www-keep-1']);
    expect((await claims().get('www-keep-1')).metadata.ownerReferences).toBeUndefined();
  });
});

describe('StatefulSet controller: deletion', () => {
  it('deleting the StatefulSet lets the garbage collector remove its pods and ControllerRevisions', async () => {
    await sets().create(statefulSet('gone', { podManagementPolicy: 'Parallel', replicas: 2 }));
    await until('2 pods and a revision', async () => (await names('gone')).length === 2 && (await revisions().list({ labelSelector: 'app=gone' })).items.length === 1);
    await sets().delete('gone');
    await until('pods and revisions collected', async () => (await names('gone')).length === 0 && (await revisions().list({ labelSelector: 'app=gone' })).items.length === 0);
  });
});
