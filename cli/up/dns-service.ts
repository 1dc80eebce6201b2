/**
 * The `kube-dns` Service `k8ts up` clusters get (10.96.0.10, as kubeadm's), with endpoints at the
 * DNS process: DNS over UDP and TCP, and the metrics port 9153 with kubeadm's Prometheus
 * annotations. The DNS process is not a pod, so the Service has no selector and `up` writes its
 * Endpoints and EndpointSlice itself; the Endpoints opt out of mirroring (as the API server's own
 * `default/kubernetes` do), so there is one slice. A cluster brought up again keeps its etcd data
 * while the DNS address may have changed (one node listens on the pod bridge's gateway, several on
 * the node network's): existing endpoints are rewritten when they name another address.
 */
import type { Endpoints } from '../../pkg/api/core/v1/endpoints.ts';
import type { Service } from '../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../pkg/api/discovery/v1/endpointslice.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { Client, ResourceClient } from '../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../pkg/errors/index.ts';
import { jsonEqual } from '../../pkg/util/json-equal.ts';

/** The Service's cluster IP: what every kubelet's `--cluster-dns` names. */
export const KUBE_DNS_IP = '10.96.0.10';

const PORTS = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  { name: 'metrics', port: 9153, protocol: 'TCP' },
];

/** The Endpoints naming the DNS process at `address`. Pure. */
export function dnsEndpoints(address: string): Endpoints {
  return {
    metadata: { name: 'kube-dns', labels: { 'k8s-app': 'kube-dns', 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports: PORTS }],
  } as Endpoints;
}

/** The EndpointSlice naming the DNS process at `address`. Pure. */
export function dnsEndpointSlice(address: string): EndpointSlice {
  return {
    metadata: { name: 'kube-dns-k8ts', labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'k8ts-up' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: PORTS,
  } as EndpointSlice;
}

/** Creates the Service unless it exists, and makes its Endpoints and EndpointSlice name `address`. */
export async function registerDnsService(client: Client, address: string): Promise<void> {
  // Looked up first: creating a Service whose fixed ClusterIP is taken fails as invalid (the IP
  // is allocated) before it could fail as already existing.
  const services = client.services.inNamespace('kube-system');
  if ((await getOrUndefined(services, 'kube-dns')) === undefined) {
    const metadata = { name: 'kube-dns', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } };
    await services.create({ metadata, spec: { clusterIP: KUBE_DNS_IP, ports: PORTS } } as Service).catch(ignoreExists);
  }
  await createOrRewrite(client.endpoints.inNamespace('kube-system'), dnsEndpoints(address));
  await createOrRewrite(client.endpointSlices.inNamespace('kube-system'), dnsEndpointSlice(address));
}

/**
 * Creates `desired`, or rewrites the existing object of its name when its content (every field
 * but metadata) or one of `desired`'s labels differs; the existing metadata is kept otherwise.
 */
async function createOrRewrite<T extends KubeObject>(api: ResourceClient<T>, desired: T): Promise<void> {
  const name = desired.metadata.name as string;
  const existing = await getOrUndefined(api, name);
  if (existing === undefined) return void (await api.create(desired).catch(ignoreExists));
  const { metadata, ...content } = desired as KubeObject;
  const { metadata: current, ...currentContent } = existing as KubeObject;
  const labels = { ...current.labels, ...metadata.labels };
  if (jsonEqual(content, withoutTypeMeta(currentContent)) && jsonEqual(labels, current.labels ?? {})) return;
  await api.update({ ...desired, metadata: { ...current, labels } });
}

function withoutTypeMeta(content: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = content;
  return rest;
}

function getOrUndefined<T extends KubeObject>(api: ResourceClient<T>, name: string): Promise<T | undefined> {
  return api.get(name).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
}

function ignoreExists(err: unknown): undefined {
  if (isAlreadyExists(err)) return undefined;
  throw err;
}
