import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSubPath, resolveSubPathMounts, SubPathError } from './subpath.ts';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'k8ts-subpath-')));
const vol = join(dir, 'vol');
const outside = join(dir, 'outside');
mkdirSync(join(vol, 'data'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(vol, 'data', 'file'), 'x');
symlinkSync(outside, join(vol, 'escape'));
symlinkSync('/', join(vol, 'root'));
symlinkSync('data', join(vol, 'alias'));
symlinkSync('../../outside', join(vol, 'data', 'up'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveSubPath', () => {
  it('resolves paths and symlinks that stay inside the volume', async () => {
    expect(await resolveSubPath(vol, 'data/file')).toBe(join(vol, 'data', 'file'));
    expect(await resolveSubPath(vol, 'alias/file')).toBe(join(vol, 'data', 'file'));
  });

  it('refuses symlinks out of the volume, wherever they are on the path', async () => {
    for (const sub of ['escape', 'root', 'root/etc', 'data/up', 'alias/up/x']) await expect(resolveSubPath(vol, sub)).rejects.toThrow('leaves its volume');
    // Nothing was created outside.
    expect(() => statSync(join(outside, 'x'))).toThrow();
  });

  it('creates a missing subPath as directories inside the volume', async () => {
    expect(await resolveSubPath(vol, 'new/deeper')).toBe(join(vol, 'new', 'deeper'));
    expect(statSync(join(vol, 'new', 'deeper')).isDirectory()).toBe(true);
  });

  it('gives the runtime the resolved path, and upstream\'s error (naming no host path) otherwise', async () => {
    const container = { name: 'c', volumeMounts: [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/b', subPath: 'alias' }, { name: 'v', mountPath: '/c', subPathExpr: 'root' }] };
    const dirs = new Map([['v', vol]]);
    const mounts = container.volumeMounts.map((m) => ({ containerPath: m.mountPath, hostPath: m.subPath ?? m.subPathExpr ? `${vol}/${m.subPath ?? m.subPathExpr}` : vol }));
    await expect(resolveSubPathMounts(container as never, dirs, mounts)).rejects.toThrow(new SubPathError('failed to prepare subPath for volumeMount "v" of container "c"'));
    expect((await resolveSubPathMounts(container as never, dirs, mounts.slice(0, 2).concat({ containerPath: '/c', hostPath: `${vol}/data` }))).map((m) => m.hostPath)).toEqual([vol, join(vol, 'data'), join(vol, 'data')]);
  });
});
