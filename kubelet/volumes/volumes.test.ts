import { mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { planVolume, type VolumeSources } from './content.ts';
import { containerMounts } from './mounts.ts';
import { checkHostPath, setVolumeOwnership, VolumeManager, writeAtomically } from './volume-manager.ts';

const sources: VolumeSources = {
  configMap: (_ns, name) => (name === 'nginx-conf' ? { data: { 'nginx.conf': 'events {}', other: 'x' }, binaryData: {} } : undefined),
  secret: (_ns, name) => (name === 'creds' ? { password: Buffer.from('s3cret') } : undefined),
  podIP: '10.244.0.9',
  podIPs: ['10.244.0.9'],
  hostIP: '10.0.0.2',
  nodeName: 'n1',
  nodeAllocatable: {},
};
const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }] } } as unknown as Pod;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-vol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planVolume', () => {
  it('configMap items with modes, secret, downwardAPI labels and limits, projected', () => {
    expect(planVolume(pod, { name: 'conf', configMap: { name: 'nginx-conf', items: [{ key: 'nginx.conf', path: 'nginx.conf', mode: 0o600 }] } }, sources)).toEqual({ kind: 'files', name: 'conf', plugin: 'configmap', files: [{ path: 'nginx.conf', content: Buffer.from('events {}'), mode: 0o600 }] });
    expect(planVolume(pod, { name: 's', secret: { secretName: 'creds', defaultMode: 0o400 } }, sources)).toMatchObject({ files: [{ path: 'password', content: Buffer.from('s3cret'), mode: 0o400 }] });
    const downward = planVolume(pod, { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } }, sources);
    expect(downward).toMatchObject({ files: [{ path: 'labels', content: Buffer.from('app="web"\ntier="fe"') }, { path: 'mem', content: Buffer.from('64') }] });
    const projected = planVolume(pod, { name: 'all', projected: { sources: [{ configMap: { name: 'nginx-conf', items: [{ key: 'other', path: 'o' }] } }, { secret: { name: 'creds' } }] } }, sources);
    expect(projected).toMatchObject({ plugin: 'projected', files: [{ path: 'o' }, { path: 'password' }] });
  });

  it.each([
    [{ name: 'conf', configMap: { name: 'missing' } }, 'MountVolume.SetUp failed for volume "conf" : configmap "missing" not found'],
    [{ name: 's', secret: { secretName: 'missing' } }, 'MountVolume.SetUp failed for volume "s" : secret "missing" not found'],
    [{ name: 'conf', configMap: { name: 'nginx-conf', items: [{ key: 'nope', path: 'x' }] } }, 'MountVolume.SetUp failed for volume "conf" : configmap references non-existent config key: nope'],
    [{ name: 'conf', configMap: { name: 'nginx-conf', items: [{ key: 'other', path: '../escape' }] } }, 'MountVolume.SetUp failed for volume "conf" : invalid path "../escape"'],
  ])('%j → %s', (volume, message) => expect(() => planVolume(pod, volume as never, sources)).toThrow(message));

  it('optional missing sources give empty volumes', () => {
    expect(planVolume(pod, { name: 'conf', configMap: { name: 'missing', optional: true } }, sources)).toMatchObject({ files: [] });
  });
});

describe('containerMounts', () => {
  const dirs = new Map([['conf', '/v/conf'], ['data', '/v/data']]);
  it('maps mounts, subPath and subPathExpr', () => {
    const mounts = containerMounts({ name: 'c', volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }, { name: 'data', mountPath: '/data', subPathExpr: '$(POD_NAME)' }] } as never, dirs, [{ key: 'POD_NAME', value: 'web-1' }]);
    expect(mounts).toEqual([
      { containerPath: '/etc/nginx/nginx.conf', hostPath: '/v/conf/nginx.conf', readonly: true, propagation: 'PROPAGATION_PRIVATE' },
      { containerPath: '/data', hostPath: '/v/data/web-1', readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    ]);
  });
  it('rejects escaping subPaths', () => {
    expect(() => containerMounts({ name: 'c', volumeMounts: [{ name: 'conf', mountPath: '/x', subPath: '../../etc' }] } as never, dirs, [])).toThrow('must be a relative path');
  });
});

describe('writeAtomically', () => {
  it('writes through ..data, swaps on update and removes stale entries', async () => {
    const vol = join(dir, 'cm');
    await writeAtomically(vol, [{ path: 'a.conf', content: Buffer.from('one'), mode: 0o644 }, { path: 'sub/b', content: Buffer.from('two'), mode: 0o600 }]);
    expect(readFileSync(join(vol, 'a.conf'), 'utf8')).toBe('one');
    expect(readlinkSync(join(vol, 'a.conf'))).toBe('..data/a.conf');
    expect(statSync(join(vol, 'sub/b')).mode & 0o777).toBe(0o600);
    const first = readlinkSync(join(vol, '..data'));
    await writeAtomically(vol, [{ path: 'a.conf', content: Buffer.from('updated'), mode: 0o644 }]);
    expect(readFileSync(join(vol, 'a.conf'), 'utf8')).toBe('updated');
    expect(readlinkSync(join(vol, '..data'))).not.toBe(first);
    expect(readdirSync(vol).sort()).toEqual(['..data', readlinkSync(join(vol, '..data')), 'a.conf'].sort());
  });
});

describe('volume ownership (fsGroup)', () => {
  it('an emptyDir is 0777 whatever the umask; with fsGroup it is setgid and the group\'s, once', async () => {
    const manager = new VolumeManager(join(dir, 'root'));
    const old = process.umask(0o022);
    try {
      const plain = (await manager.setUp('u1', [{ kind: 'emptyDir', name: 'scratch', memory: false }])).get('scratch')!;
      expect(statSync(plain).mode & 0o7777).toBe(0o777);
      const owned = (await manager.setUp('u2', [{ kind: 'emptyDir', name: 'scratch', memory: false }], 2000)).get('scratch')!;
      expect([statSync(owned).mode & 0o7777, statSync(owned).gid]).toEqual([0o2777, 2000]);
      // A later sync leaves what the pod changed alone.
      const { chmodSync } = await import('node:fs');
      chmodSync(owned, 0o2770);
      await manager.setUp('u2', [{ kind: 'emptyDir', name: 'scratch', memory: false }], 2000);
      expect(statSync(owned).mode & 0o7777).toBe(0o2770);
    } finally {
      process.umask(old);
    }
  });

  it('file volumes become group-readable by fsGroup, directories setgid; symlinks are left alone', async () => {
    const vol = join(dir, 'owned-cm');
    await writeAtomically(vol, [{ path: 'a.conf', content: Buffer.from('one'), mode: 0o600 }, { path: 'sub/b', content: Buffer.from('two'), mode: 0o400 }]);
    await setVolumeOwnership(vol, 2000, 0o440);
    const data = join(vol, readlinkSync(join(vol, '..data')));
    expect([statSync(join(data, 'a.conf')).mode & 0o7777, statSync(join(data, 'a.conf')).gid]).toEqual([0o640, 2000]);
    expect([statSync(join(data, 'sub/b')).mode & 0o7777, statSync(join(data, 'sub')).mode & 0o2000]).toEqual([0o440, 0o2000]);
    expect(statSync(vol).gid).toBe(2000);
  });
});

describe('checkHostPath', () => {
  it('creates DirectoryOrCreate and FileOrCreate paths and reports type mismatches', async () => {
    await checkHostPath('h', join(dir, 'made/dir'), 'DirectoryOrCreate');
    expect(statSync(join(dir, 'made/dir')).isDirectory()).toBe(true);
    await checkHostPath('h', join(dir, 'made/file'), 'FileOrCreate');
    expect(statSync(join(dir, 'made/file')).isFile()).toBe(true);
    await expect(checkHostPath('h', join(dir, 'made/file'), 'Directory')).rejects.toThrow(`MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(dir, 'made/file')} is not a directory`);
  });
});
