/**
 * PersistentVolumeClaim volumes with a real containerd (in a network namespace this test
 * creates) and the in-process API server; the test plays the PV controller. A pod whose claim is
 * bound to a hostPath PV writes a file that appears in the host directory (DirectoryOrCreate
 * made it); a pod whose claim is still Pending stays ContainerCreating with upstream's
 * FailedMount event until the claim binds, then runs. A generic ephemeral volume mounts the
 * `<pod>-<volume>` claim only once that claim is owned by the pod.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES } from '../pkg/client/index.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';

const NODE = 'node-pvc';
const CIDR = '10.244.27.0/24';
let fixture: NetnsNode | undefined;
let cp: TestControlPlane | undefined;
let hostDir = '';

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 250, retryErrors: true });
const pvcs = () => cp!.client.resource<PersistentVolumeClaim>(BUILTIN_COORDINATES.persistentVolumeClaims).inNamespace('default');
const pvs = () => cp!.client.resource<PersistentVolume>(BUILTIN_COORDINATES.persistentVolumes);
const pods = () => cp!.client.pods.inNamespace('default');

beforeAll(async () => {
  hostDir = await mkdtemp(join(tmpdir(), 'k8ts-pvc-host-'));
  fixture = await startNetnsNode({ name: 'k8ts-pvc', nodeName: NODE, podCidr: CIDR });
  ({ cp } = fixture);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
}, 60_000);

async function createClaim(name: string): Promise<PersistentVolumeClaim> {
  return pvcs().create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as PersistentVolumeClaim);
}

/** What the PV controller does: a hostPath PV bound to the claim, the claim Bound to it. */
async function bindToHostPath(claim: PersistentVolumeClaim, pvName: string, path: string): Promise<void> {
  const pv = await pvs().create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvName },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path, type: 'DirectoryOrCreate' }, claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: claim.metadata.name, uid: claim.metadata.uid } },
  } as PersistentVolume);
  await pvs().updateStatus({ ...pv, status: { phase: 'Bound' } });
  const current = await pvcs().get(claim.metadata.name!);
  const updated = await pvcs().update({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { ...current.spec, volumeName: pvName } });
  await pvcs().updateStatus({ ...updated, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } });
}

function writer(name: string, claimName: string, file: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', `echo written-by-${name} > /data/${file}`], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  } as Pod;
}

const phase = async (name: string) => (await pods().get(name)).status?.phase;

describe('PersistentVolumeClaim volumes (containerd)', () => {
  it('a claim bound to a hostPath PV: what the pod writes appears in the host directory', async () => {
    const claim = await createClaim('data');
    await bindToHostPath(claim, 'pv-data', join(hostDir, 'data'));
    await pods().create(writer('writer', 'data', 'out.txt'));
    await until('writer Succeeded', async () => (await phase('writer')) === 'Succeeded');
    expect(await readFile(join(hostDir, 'data', 'out.txt'), 'utf8')).toBe('written-by-writer\n');
  }, 120_000);

  it('an unbound claim: ContainerCreating with a FailedMount event until the claim binds, then the pod runs', async () => {
    const claim = await createClaim('later');
    await pods().create(writer('waiter', 'later', 'late.txt'));
    const event = await until('FailedMount event', async () => {
      const list = await cp!.client.events.inNamespace('default').list();
      return list.items.find((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'waiter' && (e as { reason?: string }).reason === 'FailedMount') as { type?: string; message?: string } | undefined;
    });
    expect(event.type).toBe('Warning');
    expect(event.message).toBe('Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/later: PVC is not bound');
    const waiting = await until('ContainerCreating', async () => (await pods().get('waiter')).status?.containerStatuses?.[0]?.state?.waiting);
    expect(waiting.reason).toBe('ContainerCreating');
    expect(await phase('waiter')).toBe('Pending');

    await bindToHostPath(claim, 'pv-later', join(hostDir, 'later'));
    await until('waiter Succeeded', async () => (await phase('waiter')) === 'Succeeded');
    expect(await readFile(join(hostDir, 'later', 'late.txt'), 'utf8')).toBe('written-by-waiter\n');
  }, 120_000);

  it('a generic ephemeral volume: a <pod>-<volume> claim the pod does not own is refused; once an owned claim is bound the pod runs', async () => {
    const p = writer('eph', 'unused', 'eph.txt');
    p.spec!.volumes = [{ name: 'data', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }] as never;
    const created = await pods().create(p);
    const stray = await createClaim('eph-data');
    await bindToHostPath(stray, 'pv-eph-stray', join(hostDir, 'stray'));
    const failedMount = (text: string) =>
      until(`FailedMount ${text}`, async () => {
        const list = await cp!.client.events.inNamespace('default').list();
        return list.items.some((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'eph' && (e as { message?: string }).message === text);
      });
    await failedMount('Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: PVC default/eph-data was not created for pod default/eph (pod is not owner)');
    expect(await phase('eph')).toBe('Pending');

    const current = await pvcs().get('eph-data');
    await pvcs().update({ ...current, metadata: { ...current.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'eph', uid: created.metadata.uid!, controller: true, blockOwnerDeletion: true }] } });
    await until('eph Succeeded', async () => (await phase('eph')) === 'Succeeded');
    expect(await readFile(join(hostDir, 'stray', 'eph.txt'), 'utf8')).toBe('written-by-eph\n');
  }, 120_000);
});
