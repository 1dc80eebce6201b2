/**
 * The density cluster: etcd, `k8ts apiserver`, `k8ts scheduler`, `k8ts controller-manager` and
 * `kubeletProcesses` × `k8ts kubelet --container-runtime fake --hollow-nodes N`, each its own
 * process (logs in a scratch directory named after this process' pid). `stop()` stops them by
 * PID in reverse order and removes the directory unless `keepDir`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../../pkg/testing/etcd-process.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { freePort, startComponent, waitForHttpOk } from '../../e2e/harness/processes.ts';

/** One running process of the cluster. */
export interface ClusterComponent {
  name: string;
  pid: number;
  logFile?: string;
}

/** Options of {@link startDensityCluster}. */
export interface DensityClusterOptions {
  nodes: number;
  /** Hollow nodes are spread over this many kubelet processes. */
  kubeletProcesses: number;
  /** Client QPS/burst of the scheduler and controller-manager (upstream perf clusters raise them too). */
  controlPlaneQps: number;
  /** Node status update frequency of the hollow kubelets (e.g. '10s'). */
  nodeStatusUpdateFrequency?: string;
  /** Where etcd's data directory is created (default the scratch directory; e.g. /dev/shm for tmpfs). */
  etcdRoot?: string;
  keepDir?: boolean;
}

/** A started density cluster. */
export interface DensityCluster {
  server: string;
  kubeconfig: string;
  dir: string;
  etcd: ClusterComponent;
  apiserver: ClusterComponent;
  scheduler: ClusterComponent;
  controllerManager: ClusterComponent;
  kubelets: ClusterComponent[];
  /** Every component, for memory sampling. */
  components(): ClusterComponent[];
  /** Kubelet processes to start the hollow nodes (call after the control plane is ready). */
  startKubelets(): Promise<void>;
  stop(): Promise<void>;
}

/** How many hollow nodes each of `processes` kubelet processes runs (the first ones take the rest); pure. */
export function splitNodes(nodes: number, processes: number): number[] {
  const n = Math.max(1, Math.min(processes, nodes));
  return Array.from({ length: n }, (_, i) => Math.floor(nodes / n) + (i < nodes % n ? 1 : 0));
}

export async function startDensityCluster(options: DensityClusterOptions): Promise<DensityCluster> {
  const dir = mkdtempSync(join(tmpdir(), `k8ts-density-${process.pid}-`));
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
    stops.length = 0;
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcd = await startEtcd({ tmpRoot: options.etcdRoot ?? dir, extraArgs: ['--quota-backend-bytes', String(8 * 1024 ** 3), '--snapshot-count', '10000'] });
    stops.push(() => etcd.stop());
    const port = await freePort();
    const apiserver = startComponent({
      name: 'apiserver',
      args: ['apiserver', '--etcd-servers', etcd.endpoint, '--insecure-http', '--bind-address', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
      logDir: dir,
      env: { NODE_OPTIONS: '--max-old-space-size=16384' },
    });
    stops.push(() => apiserver.stop(20_000));
    const server = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${server}/readyz`, 60_000, apiserver);
    const kubeconfig = writeKubeconfig({ server, path: join(dir, 'kubeconfig') });
    const qps = ['--kube-api-qps', String(options.controlPlaneQps), '--kube-api-burst', String(options.controlPlaneQps)];
    const scheduler = startComponent({
      name: 'scheduler',
      args: ['scheduler', '--kubeconfig', kubeconfig, '--leader-elect=false', '--bind-address', '127.0.0.1', '--secure-port', String(await freePort()), '--log-level', 'warn', ...qps],
      logDir: dir,
    });
    stops.push(() => scheduler.stop());
    const controllerManager = startComponent({
      name: 'controller-manager',
      args: ['controller-manager', '--kubeconfig', kubeconfig, '--leader-elect=false', '--bind-address', '127.0.0.1', '--secure-port', String(await freePort()), '--log-level', 'warn', ...qps],
      logDir: dir,
    });
    stops.push(() => controllerManager.stop());
    const kubelets: ClusterComponent[] = [];
    const startKubelets = async () => {
      for (const [i, count] of splitNodes(options.nodes, options.kubeletProcesses).entries()) {
        // Ports 0: a port picked free beforehand could be taken by one of the thousands of client
        // connections the hollow nodes open before this process listens (it was, and the process
        // with 250 nodes died with EADDRINUSE).
        const kubelet = startComponent({
          name: `kubelet-${i}`,
          args: [
            'kubelet', '--kubeconfig', kubeconfig, '--container-runtime', 'fake', '--hollow-nodes', String(count), '--node-name', `hollow-${i}`,
            '--root-dir', join(dir, `kubelet-${i}`), '--healthz-port', '0', '--address', '127.0.0.1', '--port', '0', '--log-level', 'warn',
            '--node-status-update-frequency', options.nodeStatusUpdateFrequency ?? '10s', '--max-pods', '110',
          ],
          logDir: dir,
          env: { NODE_OPTIONS: '--max-old-space-size=8192' },
        });
        stops.push(() => kubelet.stop(20_000));
        kubelets.push(kubelet);
      }
    };
    const pick = (c: { name: string; pid: number; logFile?: string }): ClusterComponent => ({ name: c.name, pid: c.pid, logFile: c.logFile });
    const result: DensityCluster = {
      server,
      kubeconfig,
      dir,
      etcd: { name: 'etcd', pid: etcd.pid },
      apiserver: pick(apiserver),
      scheduler: pick(scheduler),
      controllerManager: pick(controllerManager),
      kubelets,
      components: () => [result.etcd, result.apiserver, result.scheduler, result.controllerManager, ...kubelets],
      startKubelets,
      stop,
    };
    return result;
  } catch (err) {
    await stop();
    throw err;
  }
}
