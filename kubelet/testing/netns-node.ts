/**
 * The node the kubelet's network-namespace tests (`kubelet/*.netns.test.ts`) run on: a real
 * containerd in a network namespace of its own ({@link startContainerdInNetns}), the in-process
 * control plane ({@link startTestControlPlane}) and, unless the test brings its own kubelet, the
 * in-process kubelet of {@link netnsKubelet} registered against that plane.
 *
 * ```ts
 * const fx = await startNetnsNode({ name: 'k8ts-stats', nodeName: 'node-stats', podCidr: '10.244.33.0/24' });
 * await fx.cp.client.pods.inNamespace('default').create(pod);
 * await fx.stop();
 * ```
 *
 * Contract:
 * - `startNetnsNode` resolves once the kubelet has registered its Node with a kubelet API port
 *   ({@link NetnsNode.kubeletPort}); without a kubelet, once containerd and the plane are up.
 * - If any step fails (namespace, containerd, plane, stream relay, kubelet registration), what
 *   was started is stopped as by `stop()` and the start error is rethrown: nothing is left over.
 * - `stop()` stops, in this order, the kubelet (and waits for its `run` to end), the stream
 *   relay, containerd with every sandbox, its mounts, namespace and directory
 *   ({@link ContainerdInNetns.stop}), then the control plane. Every step runs even if an earlier
 *   one failed; the first failure is rethrown at the end. Calling it again returns the same promise.
 */
import type { Kubelet } from '../kubelet.ts';
import type { KubeletOptions } from '../kubelet-options.ts';
import { startTestControlPlane, type TestControlPlane, type TestControlPlaneOptions } from '../../pkg/testing/control-plane.ts';
import { waitFor } from '../../pkg/testing/wait.ts';
import { CriRuntime } from '../runtime/cri-runtime.ts';
import type { TokenManager } from '../token/token-manager.ts';
import { startContainerdInNetns, type ContainerdInNetns } from './containerd-netns.ts';
import { netnsKubelet } from './netns-kubelet.ts';
import { relayStreamsFromNetns, type RelayedRuntime } from './netns-stream-relay.ts';

/** What differs between the tests' in-process kubelets. */
export interface NetnsNodeKubeletOptions {
  /** Projected service-account tokens: see {@link netnsKubelet} (default its fake token manager; `'api'`: TokenRequest). */
  tokens?: TokenManager | 'api';
  /** Stats sampling period (default the kubelet's). */
  housekeepingMs?: number;
  /** Relay containerd's in-namespace streaming server to the host (exec/attach/port-forward), see {@link relayStreamsFromNetns}. */
  relayStreams?: boolean;
  /** Node-pressure eviction (default none), see {@link KubeletOptions.eviction}. */
  eviction?: KubeletOptions['eviction'];
  /** Container and image garbage collection (default none), see {@link KubeletOptions.gc}. */
  gc?: KubeletOptions['gc'];
}

/** Options of {@link startNetnsNode}. */
export interface NetnsNodeOptions {
  /** Prefix of the network namespace (`<name>-<pid>`) and of the data directory. */
  name: string;
  /** The Node the kubelet registers (and that a test's own kubelet should use). */
  nodeName: string;
  /** The node's pod CIDR: the CNI bridge range written for containerd and given to the kubelet. */
  podCidr?: string;
  /** Extra names the busybox image is imported under (e.g. `k8s.gcr.io/busybox`). */
  busyboxAliases?: readonly string[];
  /**
   * The control plane (default `{ controllers: ['root-ca-cert-publisher'] }`: pods' default
   * `kube-api-access-*` volume needs the `kube-root-ca.crt` ConfigMap). Replaces the default as a whole.
   */
  controlPlane?: TestControlPlaneOptions;
  /** The in-process kubelet's differences (default none), or `false` when the test runs its own kubelet. */
  kubelet?: NetnsNodeKubeletOptions | false;
}

/** A running node; see the module's contract. */
export interface NetnsNode {
  /** containerd, its namespace (`netns`), data directory (`dir`), CRI client and CNI directory. */
  readonly node: ContainerdInNetns;
  readonly cp: TestControlPlane;
  readonly nodeName: string;
  /** The in-process kubelet now running (undefined with `kubelet: false`). */
  readonly kubelet: Kubelet | undefined;
  /** The kubelet API port the Node registered (0 with `kubelet: false`). */
  readonly kubeletPort: number;
  /**
   * Stops the in-process kubelet, waits for its `run` to end (rejecting if it failed) and starts
   * a new one with the same options on the same root directory; does not wait for it to sync.
   */
  restartKubelet(): Promise<void>;
  stop(): Promise<void>;
}

const REGISTRATION_TIMEOUT_MS = 60_000;

/** Starts the node; on failure stops what it started and rejects with the start error. */
export async function startNetnsNode(options: NetnsNodeOptions): Promise<NetnsNode> {
  const { nodeName, podCidr } = options;
  const kubeletOptions = options.kubelet === false ? undefined : (options.kubelet ?? {});
  let node: ContainerdInNetns | undefined;
  let cp: TestControlPlane | undefined;
  let relay: RelayedRuntime | undefined;
  let kubelet: Kubelet | undefined;
  let abort = new AbortController();
  let running: Promise<void> | undefined;
  let kubeletPort = 0;

  const startKubelet = (n: ContainerdInNetns, plane: TestControlPlane) => {
    kubelet = netnsKubelet({ client: plane.client, node: n, nodeName, podCidr: podCidr as string, tokens: kubeletOptions?.tokens, housekeepingMs: kubeletOptions?.housekeepingMs, runtime: relay?.runtime, eviction: kubeletOptions?.eviction, gc: kubeletOptions?.gc });
    abort = new AbortController();
    running = kubelet.run(abort.signal);
  };

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const errors: unknown[] = [];
      const step = async (fn: () => Promise<void> | void) => {
        try {
          await fn();
        } catch (err) {
          errors.push(err);
        }
      };
      await step(async () => {
        abort.abort();
        await running?.catch(() => undefined);
      });
      await step(() => relay?.close());
      await step(() => node?.stop());
      await step(() => cp?.stop());
      if (errors.length) throw errors[0];
    })());

  /** The registered kubelet API port; rejects at once if the kubelet's `run` ends first. */
  const registration = (plane: TestControlPlane, run: Promise<void>): Promise<number> => {
    let ended = false;
    const exited = run.then(
      () => {
        ended = true;
        throw new Error(`kubelet ${nodeName} stopped before registering`);
      },
      (err: unknown) => {
        ended = true;
        throw err;
      },
    );
    const port = waitFor('node registered', async () => (ended ? -1 : (await plane.client.nodes.get(nodeName)).status?.daemonEndpoints?.kubeletEndpoint?.Port), { timeoutMs: REGISTRATION_TIMEOUT_MS, intervalMs: 200, retryErrors: true });
    return Promise.race([port, exited]);
  };

  try {
    if (kubeletOptions && !podCidr) throw new Error('startNetnsNode: the in-process kubelet needs a podCidr');
    node = await startContainerdInNetns({ name: options.name, podCidr, busyboxAliases: options.busyboxAliases });
    cp = await startTestControlPlane(options.controlPlane ?? { controllers: ['root-ca-cert-publisher'] });
    if (kubeletOptions) {
      if (kubeletOptions.relayStreams) relay = relayStreamsFromNetns(new CriRuntime(node.cri), { netns: node.netns, dir: node.dir });
      startKubelet(node, cp);
      kubeletPort = await registration(cp, running as Promise<void>);
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  const started = { node, cp };
  return {
    ...started,
    nodeName,
    get kubelet() {
      return kubelet;
    },
    kubeletPort,
    async restartKubelet() {
      if (!kubeletOptions) throw new Error('startNetnsNode: no in-process kubelet to restart (kubelet: false)');
      abort.abort();
      await running;
      startKubelet(started.node, started.cp);
    },
    stop,
  };
}
