/**
 * VolumeBinding in the real scheduler against the in-process API server. No PV controller runs:
 * the test plays it (and the provisioner) through the API, as the controller-manager would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES, type Client } from '../../../pkg/client/index.ts';
import { startTestControlPlane, waitFor, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { runScheduler } from '../../testing/run-scheduler.ts';
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from '../../../pkg/volume/claims.ts';

const NS = 'default';
const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 25, retryErrors: true });

function nodeObject(name: string) {
  const resources = { cpu: '4', memory: '8Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function podObject(name: string, claimName: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

const claimObject = (name: string, storageClassName?: string): PersistentVolumeClaim =>
  ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: NS }, spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }) as PersistentVolumeClaim;

describe('VolumeBinding through the scheduler', () => {
  let cp: TestControlPlane;
  let client: Client;
  const pvs = () => client.resource<PersistentVolume>(BUILTIN_COORDINATES.persistentVolumes);
  const pvcs = () => client.resource<PersistentVolumeClaim>(BUILTIN_COORDINATES.persistentVolumeClaims).inNamespace(NS);
  const nodeName = async (pod: string) => ((await client.pods.inNamespace(NS).get(pod)) as { spec?: { nodeName?: string } }).spec?.nodeName;
  const failedScheduling = async (pod: string) => {
    const list = await client.events.inNamespace(NS).list();
    return list.items.filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === pod && (e as { reason?: string }).reason === 'FailedScheduling').map((e) => (e as { message?: string }).message ?? '');
  };

  /** What the PV controller does: PV Available, then (once claimRef'd or pre-bound) claim and PV Bound. */
  async function createPV(name: string, o: { node: string; storageClassName: string; claim?: { name: string; uid: string } }): Promise<void> {
    const created = await pvs().create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: o.storageClassName,
        hostPath: { path: `/tmp/${name}`, type: 'DirectoryOrCreate' },
        claimRef: o.claim ? { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: NS, name: o.claim.name, uid: o.claim.uid } : undefined,
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } },
      },
    } as PersistentVolume);
    await pvs().updateStatus({ ...created, status: { phase: o.claim ? 'Bound' : 'Available' } });
  }

  async function bindClaim(claimName: string, pvName: string): Promise<void> {
    const c = await pvcs().get(claimName);
    const updated = await pvcs().update({ ...c, metadata: { ...c.metadata, annotations: { ...c.metadata.annotations, [ANN_BIND_COMPLETED]: 'yes' } }, spec: { ...c.spec, volumeName: pvName } });
    await pvcs().updateStatus({ ...updated, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } });
  }

  beforeAll(async () => {
    cp = await startTestControlPlane();
    client = cp.client;
    for (const n of ['node-a', 'node-b', 'node-c']) {
      const created = await client.nodes.create(nodeObject(n) as never);
      await client.nodes.updateStatus({ ...(created as object), status: nodeObject(n).status } as never);
    }
    const classes = client.resource<StorageClass>(BUILTIN_COORDINATES.storageClasses);
    await classes.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' } as StorageClass);
    await classes.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'hostpath' }, provisioner: 'k8ts.io/hostpath', volumeBindingMode: 'WaitForFirstConsumer' } as StorageClass);
    await runScheduler(cp);
  }, 30_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('a missing claim: FailedScheduling with the upstream message; once the claim and a static PV on node-b exist, the PV is bound to it and the pod lands on node-b', async () => {
    await client.pods.inNamespace(NS).create(podObject('needs-data', 'data') as never);
    const [message] = await until('FailedScheduling', async () => {
      const m = await failedScheduling('needs-data');
      return m.length > 0 && m;
    });
    expect(message).toBe('0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');

    await createPV('pv-data', { node: 'node-b', storageClassName: 'local' });
    const claim = await pvcs().create(claimObject('data', 'local'));
    // The scheduler binds the PV to the claim (claimRef with the claim's UID, bound-by-controller)…
    const pv = await until('PV bound to the claim by the scheduler', async () => {
      const got = await pvs().get('pv-data');
      return got.spec?.claimRef?.uid === claim.metadata.uid && got;
    });
    expect(pv.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: NS, name: 'data' });
    expect(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    // …and the pod waits in PreBind until the PV controller finishes the binding.
    expect(await nodeName('needs-data')).toBeFalsy();
    await bindClaim('data', 'pv-data');
    expect(await until('pod bound', () => nodeName('needs-data'))).toBe('node-b');
  });

  it('a WaitForFirstConsumer claim to provision gets the selected-node annotation of the pod\'s node; the pod is bound only after the claim is Bound', async () => {
    const claim = await pvcs().create(claimObject('scratch', 'hostpath'));
    await client.pods.inNamespace(NS).create(podObject('provisioned', 'scratch') as never);
    const selected = await until('selected-node annotation', async () => (await pvcs().get('scratch')).metadata.annotations?.[ANN_SELECTED_NODE]);
    expect(['node-a', 'node-b', 'node-c']).toContain(selected);
    await new Promise((r) => setTimeout(r, 300));
    expect(await nodeName('provisioned')).toBeFalsy();
    // Play the provisioner and the binder.
    await createPV(`pvc-${claim.metadata.uid}`, { node: selected, storageClassName: 'hostpath', claim: { name: 'scratch', uid: claim.metadata.uid! } });
    await bindClaim('scratch', `pvc-${claim.metadata.uid}`);
    expect(await until('pod bound', () => nodeName('provisioned'))).toBe(selected);
  });

  it('a WaitForFirstConsumer claim of a class that cannot provision and no matching PV: every node reports it; a PV added on node-c lets the pod in', async () => {
    const claim = await pvcs().create(claimObject('no-pv', 'local'));
    await client.pods.inNamespace(NS).create(podObject('no-pv-pod', 'no-pv') as never);
    const [message] = await until('FailedScheduling', async () => {
      const m = await failedScheduling('no-pv-pod');
      return m.length > 0 && m;
    });
    expect(message).toBe("0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    await createPV('pv-late', { node: 'node-c', storageClassName: 'local' });
    await until('PV bound to the claim by the scheduler', async () => (await pvs().get('pv-late')).spec?.claimRef?.uid === claim.metadata.uid);
    await bindClaim('no-pv', 'pv-late');
    expect(await until('pod bound', () => nodeName('no-pv-pod'))).toBe('node-c');
  });

  it('a provisioner that gives up (drops selected-node) fails PreBind; the pod goes back to the queue and is tried again', async () => {
    await pvcs().create(claimObject('flaky', 'hostpath'));
    await client.pods.inNamespace(NS).create(podObject('flaky-pod', 'flaky') as never);
    await until('selected-node annotation', async () => (await pvcs().get('flaky')).metadata.annotations?.[ANN_SELECTED_NODE]);
    const c = await pvcs().get('flaky');
    const { [ANN_SELECTED_NODE]: _dropped, ...rest } = c.metadata.annotations ?? {};
    await pvcs().update({ ...c, metadata: { ...c.metadata, annotations: rest } });
    const [message] = await until('FailedScheduling', async () => {
      const m = await failedScheduling('flaky-pod');
      return m.length > 0 && m;
    });
    expect(message).toBe('running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "flaky"');
    expect(await until('selected-node set again by the retry', async () => (await pvcs().get('flaky')).metadata.annotations?.[ANN_SELECTED_NODE])).toBeTruthy();
    expect(await nodeName('flaky-pod')).toBeFalsy();
  });

  it('an unbound claim without a WaitForFirstConsumer class keeps the pod Pending with the immediate-claims message', async () => {
    await pvcs().create(claimObject('immediate'));
    await client.pods.inNamespace(NS).create(podObject('waits-for-immediate', 'immediate') as never);
    const [message] = await until('FailedScheduling', async () => {
      const m = await failedScheduling('waits-for-immediate');
      return m.length > 0 && m;
    });
    expect(message).toMatch(/^0\/3 nodes are available: pod has unbound immediate PersistentVolumeClaims\. preemption: /);
  });

  it('a bound claim whose PV is pinned to another node: PreFilter narrows the nodes to the PV\'s', async () => {
    await createPV('pv-pinned', { node: 'node-c', storageClassName: 'local', claim: { name: 'pinned', uid: 'placeholder' } });
    const claim = await pvcs().create(claimObject('pinned', 'local'));
    const pv = await pvs().get('pv-pinned');
    await pvs().update({ ...pv, spec: { ...pv.spec, claimRef: { ...pv.spec!.claimRef, uid: claim.metadata.uid } } });
    await bindClaim('pinned', 'pv-pinned');
    await client.pods.inNamespace(NS).create({ ...podObject('pinned-pod', 'pinned'), spec: { ...podObject('pinned-pod', 'pinned').spec, nodeSelector: { 'kubernetes.io/hostname': 'node-a' } } } as never);
    const [message] = await until('FailedScheduling', async () => {
      const m = await failedScheduling('pinned-pod');
      return m.length > 0 && m;
    });
    // PreFilter narrows the nodes to node-c (the PV's hostname), where the pod's own selector fails.
    expect(message).toMatch(/^0\/3 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector, 2 node\(s\) didn't satisfy plugin\(s\) \[VolumeBinding\]\. preemption: /);
  });
});
