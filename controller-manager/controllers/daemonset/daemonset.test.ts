/**
 * The DaemonSet controller against the in-process control plane with real clients and informers.
 * Nodes are created by the test; there is no kubelet and no scheduler here, so pods stay
 * unbound (pinned to their node by node affinity) and the test marks them ready itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../../pkg/api/apps/v1/controllerrevision.ts';
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { targetNodeName } from './daemon-pod.ts';

let cp: TestControlPlane;
const NS = 'ds-test';

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 50 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pods = () => cp.client.pods.inNamespace(NS);
const dss = () => cp.client.daemonSets.inNamespace(NS);
const revisions = () => cp.client.resource<ControllerRevision>(C.controllerRevisions).inNamespace(NS);

/** Live pods of a DaemonSet (by label `app`). */
const live = async (app: string) => (await pods().list({ labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const byNode = (list: Pod[]) => Object.fromEntries(list.map((p) => [targetNodeName(p), p]));
const nodesOf = (list: Pod[]) => list.map((p) => targetNodeName(p)).sort();
const imageOf = (p: Pod) => p.spec?.containers?.[0]?.image;

function daemonSet(name: string, o: { image?: string; nodeSelector?: Record<string, string>; tolerations?: unknown[]; updateStrategy?: unknown; revisionHistoryLimit?: number } = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: o.image ?? 'fluentd:v1' }], ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}), ...(o.tolerations ? { tolerations: o.tolerations } : {}) },
      },
      ...(o.updateStrategy ? { updateStrategy: o.updateStrategy } : {}),
      ...(o.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: o.revisionHistoryLimit } : {}),
    },
  } as DaemonSet;
}

async function createNode(name: string, o: { labels?: Record<string, string>; taints?: Array<{ key: string; value?: string; effect: string }> } = {}): Promise<void> {
  await cp.client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, spec: { taints: o.taints } } as never);
}

/** What a kubelet would report for a running, ready pod. */
async function markReady(pod: Pod): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await pods().patch(pod.metadata.name as string, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { type: 'merge', subresource: 'status' });
}
const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
async function markAllReady(app: string): Promise<void> {
  for (const p of await live(app)) if (!isReady(p)) await markReady(p);
}

/** Waits until the DaemonSet's status says all `n` pods are updated and available for its current generation. */
async function rolledOut(name: string, n: number): Promise<DaemonSet> {
  return until(`${name} rolled out on ${n} nodes`, async () => {
    await markAllReady(name);
    const ds = await dss().get(name);
    const s = ds.status;
    return (s?.observedGeneration ?? 0) >= (ds.metadata.generation ?? 1) && s?.desiredNumberScheduled === n && s.updatedNumberScheduled === n && s.numberAvailable === n && (await live(name)).length === n && ds;
  });
}

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['daemonset'] });
  await cp.client.namespaces.create({ metadata: { name: NS } });
  await createNode('n1', { labels: { disk: 'ssd' } });
  await createNode('n2', { labels: { disk: 'hdd' } });
  await createNode('gpu', { labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
});
afterAll(() => cp?.stop());

describe('DaemonSet controller', () => {
  it('runs one pod per eligible node, pinned by node affinity, with daemon tolerations, labels, owner, events, status and a first revision', async () => {
    await dss().create(daemonSet('fluentd'));
    const created = await until('2 pods', async () => {
      const items = await live('fluentd');
      return items.length === 2 && items;
    });
    expect(nodesOf(created)).toEqual(['n1', 'n2']);
    const ds = await dss().get('fluentd');
    const [revision] = (await revisions().list({ labelSelector: 'app=fluentd' })).items;
    const hash = revision!.metadata.labels?.['controller-revision-hash'];
    expect(revision).toMatchObject({ metadata: { name: `fluentd-${hash}`, ownerReferences: [{ kind: 'DaemonSet', name: 'fluentd', uid: ds.metadata.uid, controller: true }] }, revision: 1 });
    expect((revision!.data as { spec: { template: { $patch: string } } }).spec.template.$patch).toBe('replace');
    for (const p of created) {
      const node = targetNodeName(p);
      expect(p.metadata.name).toMatch(/^fluentd-[a-z0-9]{5}$/);
      expect(p.spec?.nodeName).toBeUndefined();
      expect(p.metadata.labels).toEqual({ app: 'fluentd', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec?.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } });
      expect(p.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
    }
    await until('status 2 desired, 2 current, 0 ready', async () => {
      const s = (await dss().get('fluentd')).status;
      return s?.desiredNumberScheduled === 2 && s.currentNumberScheduled === 2 && s.numberReady === 0 && s.numberUnavailable === 2 && s.observedGeneration === 1;
    });
    await rolledOut('fluentd', 2);
    const events = (await cp.client.events.inNamespace(NS).list()).items.filter((e) => e.involvedObject?.name === 'fluentd' && e.reason === 'SuccessfulCreate');
    expect(events.map((e) => e.message).sort()).toEqual(created.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(events[0]?.source?.component).toBe('daemonset-controller');
  });

  it('a nodeSelector limits the nodes; a tainted node is used only when tolerated', async () => {
    await dss().create(daemonSet('ssd-only', { nodeSelector: { disk: 'ssd' } }));
    await dss().create(daemonSet('ssd-gpu', { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    await until('ssd-only on n1', async () => JSON.stringify(nodesOf(await live('ssd-only'))) === '["n1"]');
    await until('ssd-gpu on n1 and gpu', async () => JSON.stringify(nodesOf(await live('ssd-gpu'))) === '["gpu","n1"]');
    await until('ssd-only status', async () => (await dss().get('ssd-only')).status?.desiredNumberScheduled === 1);
  });

  it('follows nodes: a pod for a new node, none for a node that no longer qualifies or is gone', async () => {
    await createNode('n3', { labels: { disk: 'ssd' } });
    await until('fluentd and ssd-only on n3', async () => nodesOf(await live('fluentd')).includes('n3') && nodesOf(await live('ssd-only')).includes('n3'));
    await cp.client.nodes.patch('n3', { metadata: { labels: { disk: 'hdd' } } }, { type: 'merge' });
    await until('ssd-only gone from n3', async () => JSON.stringify(nodesOf(await live('ssd-only'))) === '["n1"]');
    expect(nodesOf(await live('fluentd'))).toContain('n3');
    await cp.client.nodes.delete('n3');
    await until('fluentd gone from n3', async () => JSON.stringify(nodesOf(await live('fluentd'))) === '["n1","n2"]');
    await until('fluentd desired back to 2', async () => (await dss().get('fluentd')).status?.desiredNumberScheduled === 2);
    const deleted = (await cp.client.events.inNamespace(NS).list()).items.find((e) => e.involvedObject?.name === 'ssd-only' && e.reason === 'SuccessfulDelete');
    expect(deleted?.message).toMatch(/^Deleted pod: ssd-only-[a-z0-9]{5}$/);
  });

  it('a NoExecute taint the pods do not tolerate removes them; a NoSchedule one does not', async () => {
    await cp.client.nodes.patch('n2', { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }, { type: 'merge' });
    await sleep(300);
    expect(nodesOf(await live('fluentd'))).toEqual(['n1', 'n2']);
    await cp.client.nodes.patch('n2', { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } }, { type: 'merge' });
    await until('fluentd gone from n2', async () => JSON.stringify(nodesOf(await live('fluentd'))) === '["n1"]');
    await cp.client.nodes.patch('n2', { spec: { taints: null } }, { type: 'merge' });
    await until('fluentd back on n2', async () => JSON.stringify(nodesOf(await live('fluentd'))) === '["n1","n2"]');
    await rolledOut('fluentd', 2);
  });

  it('recreates a failed pod and reports it', async () => {
    const [victim] = await live('ssd-only');
    await pods().patch(victim!.metadata.name!, { status: { phase: 'Failed' } }, { type: 'merge', subresource: 'status' });
    const replacement = await until('a new ssd-only pod', async () => {
      const items = await live('ssd-only');
      return items.length === 1 && items[0]!.metadata.uid !== victim!.metadata.uid && items[0];
    });
    expect(targetNodeName(replacement)).toBe('n1');
    const failed = (await cp.client.events.inNamespace(NS).list()).items.find((e) => e.involvedObject?.name === 'ssd-only' && e.reason === 'FailedDaemonPod');
    expect(failed).toMatchObject({ type: 'Warning', message: `Found failed daemon pod ${NS}/${victim!.metadata.name} on node n1, will try to kill it` });
  });

  it('rolls an image change out with maxUnavailable, node by node, and keeps ControllerRevisions', async () => {
    await createNode('n4');
    await dss().create(daemonSet('roll', { image: 'app:v1' }));
    await rolledOut('roll', 3);
    const v1 = await live('roll');
    await dss().patch('roll', { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:v2' }] } } } }, { type: 'strategic' });
    for (let step = 1; step <= 3; step++) {
      // One node at a time: an old pod is replaced, the new one must become ready before the next.
      const current = await until(`step ${step}: ${step} new pod(s)`, async () => {
        const items = await live('roll');
        return items.length === 3 && items.filter((p) => imageOf(p) === 'app:v2').length === step && items;
      });
      await sleep(300);
      expect((await live('roll')).filter((p) => imageOf(p) === 'app:v2')).toHaveLength(step);
      expect((await live('roll')).filter((p) => !isReady(p))).toHaveLength(1);
      for (const p of current) if (!isReady(p)) await markReady(p);
    }
    const ds = await rolledOut('roll', 3);
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
    expect(new Set((await live('roll')).map((p) => p.metadata.labels?.['pod-template-generation']))).toEqual(new Set(['2']));
    expect(v1.every((p) => imageOf(p) === 'app:v1')).toBe(true);
    const history = (await revisions().list({ labelSelector: 'app=roll' })).items.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    expect(history.map((r) => r.revision)).toEqual([1, 2]);
  });

  it('rolls back to an earlier revision with its patch (what kubectl rollout undo sends), renumbering it', async () => {
    const history = (await revisions().list({ labelSelector: 'app=roll' })).items;
    const first = history.find((r) => r.revision === 1)!;
    await dss().patch('roll', first.data, { type: 'strategic' });
    await until('pods back on app:v1', async () => {
      await markAllReady('roll');
      const items = await live('roll');
      return items.length === 3 && items.every((p) => imageOf(p) === 'app:v1' && p.metadata.labels?.['controller-revision-hash'] === first.metadata.labels?.['controller-revision-hash']);
    });
    await rolledOut('roll', 3);
    const after = (await revisions().list({ labelSelector: 'app=roll' })).items;
    expect(after.map((r) => `${r.metadata.name}:${r.revision}`).sort()).toEqual([`${first.metadata.name}:3`, `${history.find((r) => r.revision === 2)!.metadata.name}:2`].sort());
  });

  it('keeps at most revisionHistoryLimit old revisions', async () => {
    await dss().patch('roll', { spec: { revisionHistoryLimit: 1 } }, { type: 'merge' });
    for (const image of ['app:v3', 'app:v4']) {
      await dss().patch('roll', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, { type: 'strategic' });
      await until(`pods on ${image}`, async () => {
        await markAllReady('roll');
        const items = await live('roll');
        return items.length === 3 && items.every((p) => imageOf(p) === image);
      });
    }
    await rolledOut('roll', 3);
    await until('2 revisions left', async () => (await revisions().list({ labelSelector: 'app=roll' })).items.length === 2);
    expect((await revisions().list({ labelSelector: 'app=roll' })).items.map((r) => r.revision).sort()).toEqual([4, 5]);
  });

  it('OnDelete waits for pods to be deleted before they get the new template', async () => {
    await dss().create(daemonSet('ondelete', { image: 'app:v1', updateStrategy: { type: 'OnDelete' } }));
    await rolledOut('ondelete', 3);
    await dss().patch('ondelete', { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:v2' }] } } } }, { type: 'strategic' });
    await until('generation observed', async () => {
      const ds = await dss().get('ondelete');
      return ds.status?.observedGeneration === 2 && ds.status.updatedNumberScheduled === undefined;
    });
    await sleep(300);
    const before = await live('ondelete');
    expect(before.map(imageOf)).toEqual(['app:v1', 'app:v1', 'app:v1']);
    await pods().delete(before[0]!.metadata.name!);
    const replaced = await until('a v2 pod on the same node', async () => (await live('ondelete')).find((p) => targetNodeName(p) === targetNodeName(before[0]!) && imageOf(p) === 'app:v2'));
    await markReady(replaced);
    await until('1 updated', async () => (await dss().get('ondelete')).status?.updatedNumberScheduled === 1);
    expect((await live('ondelete')).filter((p) => imageOf(p) === 'app:v1')).toHaveLength(2);
  });

  it('with maxSurge, starts the new pod beside the old one and removes the old one once the new one is ready', async () => {
    await dss().create(daemonSet('surge', { image: 'app:v1', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await rolledOut('surge', 3);
    await dss().patch('surge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:v2' }] } } } }, { type: 'strategic' });
    const four = await until('a fourth pod (surge)', async () => {
      const items = await live('surge');
      return items.length === 4 && items;
    });
    const added = four.find((p) => imageOf(p) === 'app:v2')!;
    await sleep(300);
    expect(await live('surge')).toHaveLength(4);
    await markReady(added);
    await until('the old pod on that node gone', async () => (await live('surge')).filter((p) => targetNodeName(p) === targetNodeName(added)).length === 1);
    await rolledOut('surge', 3);
    expect((await live('surge')).map(imageOf)).toEqual(['app:v2', 'app:v2', 'app:v2']);
  });

  it('adopts a matching orphan pod on a node instead of creating another (OnDelete keeps it although its template differs)', async () => {
    const orphan = await pods().create({ metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'app:v1' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } } } } as Pod);
    // Let the controller's cache see it first (and make it the older pod of its node).
    await sleep(1100);
    await dss().create(daemonSet('adopt', { image: 'app:v1', updateStrategy: { type: 'OnDelete' } }));
    await until('3 pods', async () => (await live('adopt')).length === 3);
    await sleep(300);
    const items = await live('adopt');
    expect(items).toHaveLength(3);
    expect(byNode(items).n1?.metadata.uid).toBe(orphan.metadata.uid);
    expect(byNode(items).n1?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'adopt', controller: true });
  });
});
