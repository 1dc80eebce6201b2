/**
 * The in-process kubelet the containerd network-namespace tests run: one node on `node`'s
 * containerd and CNI config, cluster DNS 10.96.0.10, fast status posts and resyncs. Tokens of
 * projected service-account volumes come from {@link fakeTokenManager} unless `tokens` says
 * otherwise (`'api'`: the API server's TokenRequest, as a real kubelet). `runtime` replaces the
 * plain CRI runtime (e.g. one whose streaming URLs are relayed out of the namespace). No
 * node-pressure eviction unless `eviction` configures it, no garbage collection unless `gc` does.
 */
import { pino } from 'pino';
import type { Client } from '../../pkg/client/index.ts';
import { realClock } from '../../pkg/workqueue/index.ts';
import { Kubelet } from '../kubelet.ts';
import type { KubeletOptions } from '../kubelet-options.ts';
import { readHostFacts } from '../node/host-info.ts';
import { CriRuntime } from '../runtime/cri-runtime.ts';
import type { ContainerdInNetns } from './containerd-netns.ts';
import type { TokenManager } from '../token/token-manager.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { fakeTokenManager } from './fake-tokens.ts';

export function netnsKubelet(options: { client: Client; node: ContainerdInNetns; nodeName: string; podCidr: string; tokens?: TokenManager | 'api'; housekeepingMs?: number; runtime?: ContainerRuntime; eviction?: KubeletOptions['eviction']; gc?: KubeletOptions['gc'] }): Kubelet {
  const { node, nodeName } = options;
  return new Kubelet({
    client: options.client,
    runtime: options.runtime ?? new CriRuntime(node.cri),
    clock: realClock,
    log: pino({ level: 'silent' }),
    nodeName,
    facts: readHostFacts({ rootDir: node.dir, maxPods: 110, nodeIP: '127.0.0.1', hostname: nodeName }),
    rootDir: node.dir,
    dns: { clusterDns: ['10.96.0.10'], clusterDomain: 'cluster.local', host: { servers: ['127.0.0.53'], searches: [], options: [] } },
    cniConfDir: node.cniConfDir,
    podCidr: options.podCidr,
    statusIntervalMs: 500,
    serverAddress: { host: '127.0.0.1', port: 0 },
    resyncMs: 2000,
    housekeepingMs: options.housekeepingMs,
    eviction: options.eviction,
    gc: options.gc,
    tokens: options.tokens === 'api' ? undefined : (options.tokens ?? fakeTokenManager()),
  });
}
