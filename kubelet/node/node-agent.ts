/**
 * The node side of the kubelet: registers the Node (labels, taints) and its CSINode, computes its status every
 * `statusIntervalMs` (default 10 s) and sends it when it changed or every
 * `statusReportIntervalMs` (default 5 min, upstream nodeStatusReportFrequency), and renews its Lease in `kube-node-lease` every
 * `leaseIntervalMs` (default 10 s, duration 40 s). Runtime health is checked with a deadline
 * on every post, so a hung or failing runtime turns the node NotReady with the reason instead
 * of leaving it silently Ready.
 */
import type { Logger } from 'pino';
import type { Lease } from '../../pkg/api/coordination/v1/lease.ts';
import type { Node } from '../../pkg/api/core/v1/node.ts';
import type { Client } from '../../pkg/client/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../pkg/errors/index.ts';
import { microTime } from '../../pkg/runtime/index.ts';
import type { Clock } from '../../pkg/workqueue/index.ts';
import { pause, runEvery } from '../../pkg/util/periodic.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { nodeLabels, nodeStatus, pressureEvents, readinessEvents, type EvictionReserve, type HostFacts, type RuntimeHealth } from './node-status.ts';
import { DEFAULT_STATUS_REPORT_INTERVAL_MS, mustReportStatus, statusFingerprint } from './status-report.ts';
import { rfc3339 } from '../../pkg/util/time.ts';
import { ensureCSINode } from './csi-node.ts';

/** How long a node Lease lasts unless renewed (upstream nodeLeaseDurationSeconds). */
export const DEFAULT_LEASE_DURATION_SECONDS = 40;

/** Options of {@link NodeAgent}. */
export interface NodeAgentOptions {
  client: Client;
  /**
   * The client for the node status and Lease heartbeats (upstream's HeartbeatClient: no
   * client-side rate limit, its own connection, a timeout within the lease duration), so that
   * requests queued for pods never hold them up; default `client`.
   */
  heartbeatClient?: Client;
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  nodeName: string;
  facts: HostFacts;
  labels?: Readonly<Record<string, string>>;
  taints?: NonNullable<Node['spec']>['taints'];
  statusIntervalMs?: number;
  /** Send an unchanged status at most this often (default 5 min, upstream nodeStatusReportFrequency); the Lease says the node is alive meanwhile. */
  statusReportIntervalMs?: number;
  leaseIntervalMs?: number;
  leaseDurationSeconds?: number;
  /** How long a runtime health check may take (default 5 s). */
  healthTimeoutMs?: number;
  /** The kubelet API port reported in `daemonEndpoints` (default 10250). */
  kubeletPort?: () => number;
  /** What hard eviction thresholds hold back from allocatable (default upstream's default thresholds'). */
  evictionReserve?: EvictionReserve;
  /** The pressure conditions to report True (the eviction manager's); default none. */
  pressure?: () => readonly string[];
  /** Records an event about the Node (start, the conditions' transitions, cordoning); default none. */
  nodeEvent?(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Called when `spec.podCIDR` is (first) known. */
  onPodCidr?(cidr: string): void | Promise<void>;
}


/** Checks the runtime within `timeoutMs`; pure of API effects. */
export async function checkRuntime(runtime: ContainerRuntime, timeoutMs: number): Promise<RuntimeHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`runtime did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const [version, problem] = await Promise.race([Promise.all([runtime.version(), runtime.health()]), timeout]);
    return { containerRuntimeVersion: version, notReadyReason: problem === null ? null : `container runtime network not ready: ${problem}` };
  } catch (err) {
    return { containerRuntimeVersion: '', notReadyReason: `container runtime is down: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs registration, status and lease loops until the signal aborts. */
export class NodeAgent {
  private podCidr: string | undefined;
  private lastHealth: RuntimeHealth = { containerRuntimeVersion: '', notReadyReason: 'kubelet is starting' };
  private lastReported: { fingerprint: string; atMs: number } | undefined;
  /** The status computed last round, and whether the Node was schedulable then (for the transition events). */
  private lastStatus: Node['status'] | undefined;
  private schedulable = true;
  /** The Lease as last written, renewed with one PUT (a GET only after a failure). */
  private lease: Lease | undefined;
  /** The node status and Lease writes' client: `heartbeatClient`, else the shared one. */
  private readonly heartbeats: Client;

  constructor(private readonly options: NodeAgentOptions) {
    this.heartbeats = options.heartbeatClient ?? options.client;
  }

  /** The last runtime health seen. */
  health(): RuntimeHealth {
    return this.lastHealth;
  }

  /**
   * Creates the Node if missing (then keeps the existing object: labels/taints may have been
   * edited), then the Node's CSINode if missing (owned by the Node, no drivers yet).
   */
  async register(): Promise<void> {
    await this.registerNode();
    await this.registerCSINode();
  }

  private async registerCSINode(): Promise<void> {
    const node = await this.options.client.nodes.get(this.options.nodeName);
    if ((await ensureCSINode(this.options.client, node)) === 'created') this.options.log.info({ node: this.options.nodeName }, 'created CSINode');
  }

  /** Retries the CSINode until it exists, beside the heartbeats (which never wait for it). */
  private async keepTryingCSINode(signal: AbortSignal): Promise<void> {
    const { log, clock } = this.options;
    for (;;) {
      try {
        await this.registerCSINode();
        return;
      } catch (err) {
        log.warn({ err }, 'CSINode initialization failed; retrying');
        if (!(await pause(clock, 2000, signal))) return;
      }
    }
  }

  private async registerNode(): Promise<void> {
    const { client, nodeName, facts } = this.options;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, labels: nodeLabels(facts, nodeName, this.options.labels), annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: { ...(this.options.taints?.length ? { taints: this.options.taints } : {}) },
    } as Node;
    try {
      await client.nodes.create(node);
      this.options.log.info({ node: nodeName }, 'registered node');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      this.options.log.info({ node: nodeName }, 'node already registered');
    }
  }

  /** One status post. */
  async postStatus(): Promise<void> {
    const { nodeName, facts, clock } = this.options;
    const client = this.heartbeats;
    this.lastHealth = await checkRuntime(this.options.runtime, this.options.healthTimeoutMs ?? 5000);
    // resourceVersion 0 ("any version"), as upstream's kubelet asks on a first try, so an API
    // server may answer from its cache instead of reading etcd for every node every 10 s. The
    // status goes out as a merge patch, so a slightly old copy causes no conflict; a node the cache
    // does not have yet (just registered) is read again without it.
    const current = await client.nodes.get(nodeName, { resourceVersion: '0' }).catch((err: unknown) => (isNotFound(err) ? client.nodes.get(nodeName) : Promise.reject(err)));
    const status = nodeStatus(facts, this.lastHealth, rfc3339(clock.now()), current.status, { kubeletPort: this.options.kubeletPort?.() ?? 10250, pressure: this.options.pressure?.() ?? [], reserve: this.options.evictionReserve });
    const reportIntervalMs = this.options.statusReportIntervalMs ?? DEFAULT_STATUS_REPORT_INTERVAL_MS;
    if (mustReportStatus({ status, lastReported: this.lastReported, nowMs: clock.now(), reportIntervalMs })) {
      await client.nodes.patch(nodeName, { status }, { type: 'merge', subresource: 'status' });
      for (const e of pressureEvents(nodeName, current.status, status)) this.options.nodeEvent?.('Normal', e.reason, e.message);
      this.lastReported = { fingerprint: statusFingerprint(status), atMs: clock.now() };
    }
    const schedulable = { last: this.schedulable, now: !current.spec?.unschedulable };
    this.schedulable = schedulable.now;
    for (const e of readinessEvents(nodeName, this.lastStatus ?? current.status, status, schedulable)) this.options.nodeEvent?.('Normal', e.reason, e.message);
    this.lastStatus = status;
    const cidr = current.spec?.podCIDR;
    if (cidr && cidr !== this.podCidr) {
      this.podCidr = cidr;
      await this.options.onPodCidr?.(cidr);
    }
  }

  /** One lease renewal (creating the Lease, owned by the Node, when missing). */
  async renewLease(): Promise<void> {
    const { nodeName, clock } = this.options;
    const client = this.heartbeats;
    const leases = client.leases.inNamespace('kube-node-lease');
    const spec = { holderIdentity: nodeName, leaseDurationSeconds: this.options.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS, renewTime: microTime(clock.now()) };
    try {
      const lease = this.lease ?? (await leases.get(nodeName));
      this.lease = undefined;
      this.lease = await leases.update({ ...lease, spec: { ...lease.spec, ...spec } });
    } catch (err) {
      if (isConflict(err)) return;
      if (!isNotFound(err)) throw err;
      const node = await client.nodes.get(nodeName);
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: nodeName, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid as string }] },
        spec,
      };
      await leases.create(lease).catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
    }
  }

  /** Registers, then loops until `signal` aborts; API errors are logged and retried next round. */
  async run(signal: AbortSignal): Promise<void> {
    const { log, clock } = this.options;
    this.options.nodeEvent?.('Normal', 'Starting', 'Starting kubelet.');
    for (;;) {
      try {
        await this.registerNode();
        break;
      } catch (err) {
        log.warn({ err }, 'node registration failed; retrying');
        if (!(await pause(clock, 2000, signal))) return;
      }
    }
    await Promise.all([
      this.keepTryingCSINode(signal),
      runEvery({ name: 'node status update', intervalMs: this.options.statusIntervalMs ?? 10_000, clock, signal, log }, () => this.postStatus()),
      runEvery({ name: 'lease renewal', intervalMs: this.options.leaseIntervalMs ?? 10_000, clock, signal, log }, () => this.renewLease()),
    ]);
  }
}
