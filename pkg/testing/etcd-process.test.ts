import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { etcdArgs, startEtcd, unsupportedArchEnv } from './etcd-process.ts';

const root = mkdtempSync(join(tmpdir(), 'k8ts-etcd-process-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startEtcd', () => {
  it('starts a working etcd on loopback and stop() kills it and removes its directory', async () => {
    const etcd = await startEtcd({ tmpRoot: root });
    try {
      expect(etcd.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(etcd.dataDir)).toBe(true);
      const client = new Etcd3({ hosts: etcd.endpoint });
      try {
        await client.put('/probe').value('ok');
        expect(await client.get('/probe').string()).toBe('ok');
      } finally {
        client.close();
      }
    } finally {
      await etcd.stop();
    }
    expect(isRunning(etcd.pid)).toBe(false);
    expect(existsSync(etcd.dataDir)).toBe(false);
    await etcd.stop();
  });

  it('rejects and leaves nothing behind when etcd cannot start', async () => {
    await expect(startEtcd({ tmpRoot: root, extraArgs: ['--no-such-flag'] })).rejects.toThrow(/etcd exited/);
    await expect(startEtcd({ tmpRoot: root, binary: '/nonexistent/etcd' })).rejects.toThrow(/could not run etcd/);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('etcdArgs / unsupportedArchEnv', () => {
  it('binds client and peer URLs to loopback with the given ports', () => {
    const args = etcdArgs({ dataDir: '/d', clientPort: 1, peerPort: 2 });
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--data-dir')).toBe('/d');
    expect(flag('--listen-client-urls')).toBe('http://127.0.0.1:1');
    expect(flag('--advertise-client-urls')).toBe('http://127.0.0.1:1');
    expect(flag('--listen-peer-urls')).toBe('http://127.0.0.1:2');
    expect(flag('--initial-cluster')).toBe('k8ts-test=http://127.0.0.1:2');
  });

  it.each([
    ['x64', {}],
    ['arm64', { ETCD_UNSUPPORTED_ARCH: 'arm64' }],
  ])('arch %s → %j', (arch, env) => {
    expect(unsupportedArchEnv(arch)).toEqual(env);
  });
});
