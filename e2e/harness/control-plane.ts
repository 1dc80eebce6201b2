/**
 * A real control plane for end-to-end tests: etcd (Debian binary) + `k8ts apiserver` as
 * separate processes on free loopback ports, with a kubeconfig and an isolated HOME for kubectl.
 */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../../pkg/testing/etcd-process.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { freePort, startComponent, waitForHttpOk, type ComponentProcess } from './processes.ts';

export interface E2EControlPlane {
  /** `http://127.0.0.1:PORT` */
  server: string;
  kubeconfig: string;
  /** A scratch directory removed by `stop()`. */
  dir: string;
  /** A fresh HOME for one kubectl run series (separate discovery caches). */
  newHome(): string;
  apiserver: ComponentProcess;
  /** The etcd client URL (with the default etcd storage). */
  etcdEndpoint?: string;
  stop(): Promise<void>;
}

export interface StartControlPlaneOptions {
  storage?: 'etcd' | 'memory';
  extraApiserverArgs?: string[];
}

export async function startE2EControlPlane(options: StartControlPlaneOptions = {}): Promise<E2EControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    const storageArgs: string[] = [];
    let etcdEndpoint: string | undefined;
    if ((options.storage ?? 'etcd') === 'etcd') {
      const etcd = await startEtcd();
      cleanups.push(() => etcd.stop());
      etcdEndpoint = etcd.endpoint;
      storageArgs.push('--etcd-servers', etcd.endpoint);
    } else {
      storageArgs.push('--storage', 'memory');
    }
    const port = await freePort();
    const apiserver = startComponent({
      name: 'apiserver',
      args: ['apiserver', ...storageArgs, '--insecure-http', '--bind-address', '127.0.0.1', '--port', String(port), ...(options.extraApiserverArgs ?? [])],
      logDir: dir,
    });
    cleanups.push(() => apiserver.stop());
    const server = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${server}/readyz`, 30_000, apiserver);
    const kubeconfig = writeKubeconfig({ server, path: join(dir, 'kubeconfig') });
    let homes = 0;
    return {
      server,
      kubeconfig,
      dir,
      apiserver,
      etcdEndpoint,
      newHome() {
        const home = join(dir, `home-${homes++}`);
        mkdirSync(home, { recursive: true });
        return home;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
