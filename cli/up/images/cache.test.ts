import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { imageCacheDir, withCacheLock } from './cache.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'k8ts-cache-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('image cache', () => {
  it.each([
    ['explicit wins', '/x', '/env', '/x'],
    ['environment next', undefined, '/env', '/env'],
    ['default', undefined, undefined, '/var/cache/k8ts'],
  ])('%s', (_name, explicit, env, want) => {
    const saved = process.env.K8TS_CACHE_DIR;
    if (env === undefined) delete process.env.K8TS_CACHE_DIR;
    else process.env.K8TS_CACHE_DIR = env;
    try {
      expect(imageCacheDir(explicit)).toBe(want);
    } finally {
      if (saved === undefined) delete process.env.K8TS_CACHE_DIR;
      else process.env.K8TS_CACHE_DIR = saved;
    }
  });

  it('runs holders one at a time and removes the lock afterwards', async () => {
    const dir = tempDir();
    const order: string[] = [];
    const hold = (name: string) => withCacheLock(dir, 'build', async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 50));
      order.push(`${name} out`);
    });
    await Promise.all([hold('a'), hold('b')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(join(dir, 'build.lock'))).toBe(false);
  });

  it('takes over a lock whose holder is dead, and times out on a live one', async () => {
    const dir = tempDir();
    const dead = spawnSync('true').pid as number;
    mkdirSync(join(dir, 'build.lock'));
    writeFileSync(join(dir, 'build.lock', 'pid'), String(dead));
    expect(await withCacheLock(dir, 'build', async () => 'ran', 2000)).toBe('ran');
    mkdirSync(join(dir, 'build.lock'));
    writeFileSync(join(dir, 'build.lock', 'pid'), String(process.ppid));
    await expect(withCacheLock(dir, 'build', async () => 'ran', 300)).rejects.toThrow(/timed out waiting for .*build\.lock/);
  });
});
