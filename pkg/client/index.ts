/**
 * `k8ts/client`: kubeconfig, a REST client, and typed resource clients with watch.
 *
 * ```ts
 * const client = createClient({ qps: 50, burst: 100 });
 * const pods = await client.pods.list({ namespace: 'default', labelSelector: 'app=web' });
 * for await (const ev of client.pods.watch({ resourceVersion: pods.metadata.resourceVersion, signal })) …
 * const widgets = client.resource<Widget>({ group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true, kind: 'Widget' });
 * ```
 */
import type { Logger } from 'pino';
import type { DaemonSet } from '../api/apps/v1/daemonset.ts';
import type { Deployment } from '../api/apps/v1/deployment.ts';
import type { ReplicaSet } from '../api/apps/v1/replicaset.ts';
import type { ReplicationController } from '../api/core/v1/replicationcontroller.ts';
import type { StatefulSet } from '../api/apps/v1/statefulset.ts';
import type { Job } from '../api/batch/v1/job.ts';
import type { CronJob } from '../api/batch/v1/cronjob.ts';
import type { Lease } from '../api/coordination/v1/lease.ts';
import type { NodeMetrics } from '../api/metrics/v1beta1/nodemetrics.ts';
import type { PodMetrics } from '../api/metrics/v1beta1/podmetrics.ts';
import type { ConfigMap } from '../api/core/v1/configmap.ts';
import type { Endpoints } from '../api/core/v1/endpoints.ts';
import type { Event } from '../api/core/v1/event.ts';
import type { Namespace } from '../api/core/v1/namespace.ts';
import type { Node } from '../api/core/v1/node.ts';
import type { Pod } from '../api/core/v1/pod.ts';
import type { Secret } from '../api/core/v1/secret.ts';
import type { Service } from '../api/core/v1/service.ts';
import type { ServiceAccount } from '../api/core/v1/serviceaccount.ts';
import type { EndpointSlice } from '../api/discovery/v1/endpointslice.ts';
import type { KubeObject } from '../api/meta.ts';
import type { Clock } from '../workqueue/index.ts';
import { BUILTIN_COORDINATES, METRICS_COORDINATES } from './builtin-coordinates.ts';
import type { ResourceCoordinates } from './coordinates.ts';
import { connectionFor, loadKubeConfig, type Connection, type KubeConfig } from './kubeconfig.ts';
import { ResourceClient } from './resource-client.ts';
import { RestClient } from './rest.ts';

export * from './builtin-coordinates.ts';
export * from './coordinates.ts';
export * from './kubeconfig.ts';
export * from './resource-client.ts';
export * from './rest.ts';
export { writeKubeconfig, type KubeconfigOptions } from './write-kubeconfig.ts';
export { errorFromResponse } from './response-errors.ts';
export { parseJsonStream, JsonObjectSplitter } from './json-stream.ts';
export type { WatchEvent } from './watch.ts';

export interface CreateClientOptions {
  /**
   * Where to connect: a kubeconfig file path, an already loaded {@link KubeConfig}, a resolved
   * {@link Connection}, or a bare server URL (no credentials). Default: kubectl's loading rules
   * (`KUBECONFIG`, then `~/.kube/config`).
   */
  kubeconfig?: string | KubeConfig | Connection;
  /** Context name (default: current-context). */
  context?: string;
  /** Client-side rate limit (default 5 qps / burst 10 as client-go; controllers pass more). */
  qps?: number;
  burst?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Connections for ordinary requests (default 32; watches and logs use their own pool). */
  maxConnections?: number;
  userAgent?: string;
  clock?: Clock;
  logger?: Logger;
}

/** The object `createClient` returns: one REST client shared by every resource client. */
export interface Client {
  readonly rest: RestClient;
  readonly connection: Connection;
  /** The kubeconfig context's namespace (`default` when unset). */
  readonly namespace: string;
  /** A typed client for any resource. */
  resource<T extends KubeObject = KubeObject>(coords: ResourceCoordinates): ResourceClient<T>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly nodes: ResourceClient<Node>;
  readonly pods: ResourceClient<Pod>;
  readonly services: ResourceClient<Service>;
  readonly endpoints: ResourceClient<Endpoints>;
  readonly events: ResourceClient<Event>;
  readonly configMaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;
  readonly serviceAccounts: ResourceClient<ServiceAccount>;
  readonly deployments: ResourceClient<Deployment>;
  readonly replicaSets: ResourceClient<ReplicaSet>;
  readonly replicationControllers: ResourceClient<ReplicationController>;
  readonly daemonSets: ResourceClient<DaemonSet>;
  readonly statefulSets: ResourceClient<StatefulSet>;
  readonly jobs: ResourceClient<Job>;
  readonly cronJobs: ResourceClient<CronJob>;
  readonly endpointSlices: ResourceClient<EndpointSlice>;
  readonly leases: ResourceClient<Lease>;
  readonly priorityClasses: ResourceClient;
  /** metrics.k8s.io NodeMetrics: `get` and `list` only (no watch, no writes). */
  readonly nodeMetrics: ResourceClient<NodeMetrics>;
  /** metrics.k8s.io PodMetrics (what the HPA reads): `get` and `list` only. */
  readonly podMetrics: ResourceClient<PodMetrics>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

function isConnection(value: unknown): value is Connection {
  return typeof value === 'object' && value !== null && typeof (value as Connection).server === 'string';
}

function resolveConnection(options: CreateClientOptions): Connection {
  const k = options.kubeconfig;
  if (typeof k === 'string' && /^https?:\/\//.test(k)) return { server: k.replace(/\/+$/, ''), namespace: 'default' };
  if (isConnection(k)) return k;
  const config = typeof k === 'string' ? loadKubeConfig({ path: k }) : (k ?? loadKubeConfig());
  return connectionFor(config, options.context);
}

/** Builds a client (see {@link CreateClientOptions}); throws `KubeConfigError` for a bad config. */
export function createClient(options: CreateClientOptions = {}): Client {
  const connection = resolveConnection(options);
  const rest = new RestClient({
    connection,
    qps: options.qps,
    burst: options.burst,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    maxConnections: options.maxConnections,
    userAgent: options.userAgent,
    clock: options.clock,
    logger: options.logger,
  });
  const resource = <T extends KubeObject = KubeObject>(coords: ResourceCoordinates): ResourceClient<T> =>
    new ResourceClient<T>(rest, coords, { defaultNamespace: connection.namespace });
  const c = BUILTIN_COORDINATES;
  return {
    rest,
    connection,
    namespace: connection.namespace,
    resource,
    namespaces: resource<Namespace>(c.namespaces),
    nodes: resource<Node>(c.nodes),
    pods: resource<Pod>(c.pods),
    services: resource<Service>(c.services),
    endpoints: resource<Endpoints>(c.endpoints),
    events: resource<Event>(c.events),
    configMaps: resource<ConfigMap>(c.configMaps),
    secrets: resource<Secret>(c.secrets),
    serviceAccounts: resource<ServiceAccount>(c.serviceAccounts),
    deployments: resource<Deployment>(c.deployments),
    replicaSets: resource<ReplicaSet>(c.replicaSets),
    replicationControllers: resource<ReplicationController>(c.replicationControllers),
    daemonSets: resource<DaemonSet>(c.daemonSets),
    statefulSets: resource<StatefulSet>(c.statefulSets),
    jobs: resource<Job>(c.jobs),
    cronJobs: resource<CronJob>(c.cronJobs),
    endpointSlices: resource<EndpointSlice>(c.endpointSlices),
    leases: resource<Lease>(c.leases),
    priorityClasses: resource(c.priorityClasses),
    nodeMetrics: resource<NodeMetrics>(METRICS_COORDINATES.nodeMetrics),
    podMetrics: resource<PodMetrics>(METRICS_COORDINATES.podMetrics),
    close: () => rest.close(),
  };
}
