import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { claimVolumePlan, planPodVolumes, UnprocessedVolumesError, type ClaimFetch } from './claims.ts';
import { readOnlyVolumes, type VolumeSources } from './content.ts';
import { containerMounts } from './mounts.ts';
import { VolumeManager } from './volume-manager.ts';

const pod = { metadata: { name: 'web', namespace: 'default', uid: 'pod-uid' }, spec: { containers: [{ name: 'c' }] } } as unknown as Pod;
const vol = { name: 'data', persistentVolumeClaim: { claimName: 'data' } };
const eph = { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } };

function claim(o: { name?: string; phase?: string; volumeName?: string; deleting?: boolean; finalizers?: string[]; owner?: string } = {}): PersistentVolumeClaim {
  return {
    metadata: { name: o.name ?? 'data', namespace: 'default', uid: 'claim-uid', deletionTimestamp: o.deleting ? '2026-01-01T00:00:00Z' : undefined, finalizers: o.finalizers, ownerReferences: o.owner ? [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: o.owner, controller: true }] : undefined },
    spec: { volumeName: o.volumeName },
    status: { phase: o.phase ?? 'Pending' },
  } as unknown as PersistentVolumeClaim;
}
const bound = (o: Parameters<typeof claim>[0] = {}) => claim({ phase: 'Bound', volumeName: 'pv-1', ...o });
function pv(spec: Record<string, unknown>, claimUid: string | null = 'claim-uid'): PersistentVolume {
  return { metadata: { name: 'pv-1' }, spec: { claimRef: claimUid === null ? undefined : { namespace: 'default', name: 'data', uid: claimUid }, ...spec } } as unknown as PersistentVolume;
}

describe('claimVolumePlan', () => {
  it.each<[string, ClaimFetch, string]>([
    ['claim missing', { claimError: 'persistentvolumeclaims "data" not found' }, 'error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found'],
    ['claim Pending', { claim: claim() }, 'error processing PVC default/data: PVC is not bound'],
    ['claim Bound without a volume name', { claim: claim({ phase: 'Bound' }) }, 'error processing PVC default/data: PVC has empty pvc.Spec.VolumeName'],
    ['claim being deleted without protection', { claim: bound({ deleting: true }) }, 'error processing PVC default/data: PVC is being deleted'],
    ['PV missing', { claim: bound(), volumeError: 'persistentvolumes "pv-1" not found' }, 'error processing PVC default/data: failed to fetch PV pv-1 from API server: persistentvolumes "pv-1" not found'],
    ['PV without claimRef', { claim: bound(), volume: pv({ hostPath: { path: '/x' } }, null) }, 'error processing PVC default/data: found PV object pv-1 but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim'],
    ['PV bound to another claim UID', { claim: bound(), volume: pv({ hostPath: { path: '/x' } }, 'other') }, 'error processing PVC default/data: found PV object pv-1 but its pv.Spec.ClaimRef.UID other does not point to claim.UID claim-uid'],
  ])('%s', (_n, fetched, message) => {
    expect(() => claimVolumePlan(pod, vol as never, fetched)).toThrow(message);
  });

  it('a protected claim being deleted still mounts; hostPath, local and unsupported PV sources plan as such', () => {
    expect(claimVolumePlan(pod, vol as never, { claim: bound({ deleting: true, finalizers: ['kubernetes.io/pvc-protection'] }), volume: pv({ hostPath: { path: '/srv/a', type: 'DirectoryOrCreate' } }) })).toEqual({ kind: 'hostPath', name: 'data', path: '/srv/a', type: 'DirectoryOrCreate', readOnly: false, label: 'pv-1' });
    expect(claimVolumePlan(pod, { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } } as never, { claim: bound(), volume: pv({ local: { path: '/mnt/disk' } }) })).toEqual({ kind: 'local', name: 'data', path: '/mnt/disk', readOnly: true, label: 'pv-1' });
    expect(claimVolumePlan(pod, vol as never, { claim: bound(), volume: pv({ nfs: { server: 's', path: '/' } }) })).toEqual({ kind: 'unsupported', name: 'data', plugin: 'nfs', label: 'pv-1' });
  });

  it('generic ephemeral volumes use <pod>-<volume> and must be owned by the pod', () => {
    expect(() => claimVolumePlan(pod, eph as never, { claim: bound({ name: 'web-scratch', owner: 'someone-else' }) })).toThrow('PVC default/web-scratch was not created for pod default/web (pod is not owner)');
    expect(claimVolumePlan(pod, eph as never, { claim: bound({ name: 'web-scratch', owner: 'pod-uid' }), volume: pv({ hostPath: { path: '/srv/e' } }) })).toMatchObject({ kind: 'hostPath', name: 'scratch', path: '/srv/e' });
  });
});

describe('planPodVolumes', () => {
  const sources = { configMap: () => undefined, secret: () => undefined, podIP: '', podIPs: [], hostIP: '', nodeName: 'n', nodeAllocatable: {} } as VolumeSources;
  it('gathers claim errors into upstream\'s FailedMount text', () => {
    const p = { ...pod, spec: { ...pod.spec, volumes: [vol, { name: 'cache', persistentVolumeClaim: { claimName: 'cache' } }, { name: 'tmp', emptyDir: {} }] } } as unknown as Pod;
    const claims = new Map<string, ClaimFetch>([['data', { claim: claim() }], ['cache', { claimError: 'persistentvolumeclaims "cache" not found' }]]);
    let err: unknown;
    try {
      planPodVolumes(p, sources, claims);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessedVolumesError);
    expect((err as Error).message).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[cache data], unattached volumes=[], failed to process volumes=[cache data]: error processing PVC default/data: PVC is not bound; error processing PVC default/cache: failed to fetch PVC from API server: persistentvolumeclaims "cache" not found',
    );
  });
});

describe('setting up claim volumes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-claims-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const manager = new VolumeManager(join(dir, 'root'));

  it('a hostPath PV with DirectoryOrCreate creates its directory; a read-only claim mounts read-only with subPath', async () => {
    const plans = [claimVolumePlan(pod, { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } } as never, { claim: bound(), volume: pv({ hostPath: { path: join(dir, 'pv'), type: 'DirectoryOrCreate' } }) })];
    const dirs = await manager.setUp('u1', plans);
    expect(dirs.get('data')).toBe(join(dir, 'pv'));
    const mounts = containerMounts({ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'sub' }] } as never, dirs, [], readOnlyVolumes(plans));
    expect(mounts).toEqual([expect.objectContaining({ containerPath: '/data', hostPath: `${join(dir, 'pv')}/sub`, readonly: true })]);
  });

  it('a hostPath PV of type Directory that is missing, a local PV whose path is missing or a file, an unsupported source: errors naming the PV', async () => {
    writeFileSync(join(dir, 'file'), '');
    const plan = (spec: Record<string, unknown>) => claimVolumePlan(pod, vol as never, { claim: bound(), volume: pv(spec) });
    await expect(manager.setUp('u2', [plan({ hostPath: { path: join(dir, 'nope'), type: 'Directory' } })])).rejects.toThrow(`MountVolume.SetUp failed for volume "pv-1" : hostPath type check failed: ${join(dir, 'nope')} is not a directory`);
    await expect(manager.setUp('u2', [plan({ local: { path: join(dir, 'nope') } })])).rejects.toThrow(`MountVolume.NewMounter initialization failed for volume "pv-1" : path "${join(dir, 'nope')}" does not exist`);
    await expect(manager.setUp('u2', [plan({ local: { path: join(dir, 'file') } })])).rejects.toThrow('MountVolume.NewMounter initialization failed for volume "pv-1" : only directory and block device are supported');
    expect(await manager.setUp('u2', [plan({ local: { path: dir } })])).toEqual(new Map([['data', dir]]));
    await expect(manager.setUp('u2', [plan({ csi: { driver: 'x', volumeHandle: 'h' } })])).rejects.toThrow('MountVolume.SetUp failed for volume "pv-1" : volume type csi is not supported by this kubelet');
  });
});
