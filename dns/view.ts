/**
 * The cluster view the DNS server answers from: shared informers on Services, EndpointSlices and
 * Namespaces (read-only caches), indexed by service for endpoint lookups.
 */
import type { Namespace } from '../pkg/api/core/v1/namespace.ts';
import type { Service } from '../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../pkg/api/discovery/v1/endpointslice.ts';
import { LABEL_SERVICE_NAME } from '../pkg/api/discovery/v1/well-known-labels.ts';
import { BUILTIN_COORDINATES, type Client } from '../pkg/client/index.ts';
import { SharedInformerFactory } from '../pkg/informer/index.ts';
import type { DnsEndpoint, DnsService, DnsView } from './records.ts';

const BY_SERVICE = 'service';
const BY_CLUSTER_IP = 'clusterIP';
const BY_ADDRESS = 'address';

/** Informer-backed {@link DnsView}; `start` resolves once every cache has synced. */
export class InformerDnsView implements DnsView {
  private readonly factory: SharedInformerFactory;
  private readonly services;
  private readonly slices;
  private readonly namespaces;

  constructor(
    client: Client,
    readonly domain: string,
  ) {
    this.factory = new SharedInformerFactory(client);
    this.services = this.factory.forResource<Service>(BUILTIN_COORDINATES.services);
    this.slices = this.factory.forResource<EndpointSlice>(BUILTIN_COORDINATES.endpointSlices);
    this.namespaces = this.factory.forResource<Namespace>(BUILTIN_COORDINATES.namespaces);
    this.slices.addIndexers({
      [BY_SERVICE]: (s) => [`${s.metadata.namespace}/${s.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`],
      [BY_ADDRESS]: (s) => (s.endpoints ?? []).flatMap((e) => e.addresses ?? []),
    });
    this.services.addIndexers({ [BY_CLUSTER_IP]: (s) => (s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])).filter((ip) => ip !== 'None') });
  }

  async start(signal: AbortSignal): Promise<void> {
    this.factory.start(signal);
    await this.factory.waitForCacheSync(signal);
  }

  stop(): Promise<void> {
    return this.factory.shutdown();
  }

  service(namespace: string, name: string): DnsService | undefined {
    const s = this.services.store().get(`${namespace}/${name}`);
    if (!s) return undefined;
    return {
      namespace,
      name,
      type: s.spec?.type ?? 'ClusterIP',
      clusterIP: s.spec?.clusterIP,
      externalName: s.spec?.externalName,
      ports: (s.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    };
  }

  endpoints(namespace: string, name: string): DnsEndpoint[] {
    return this.slices.store().byIndex(BY_SERVICE, `${namespace}/${name}`).flatMap((slice) =>
      (slice.endpoints ?? []).map((e) => ({
        addresses: [...(e.addresses ?? [])],
        ready: e.conditions?.ready !== false,
        hostname: e.hostname,
        ports: (slice.ports ?? []).map((p) => ({ name: p.name, port: p.port ?? 0, protocol: p.protocol })),
      })),
    );
  }

  serviceByClusterIP(ip: string): Pick<DnsService, 'namespace' | 'name'> | undefined {
    const s = this.services.store().byIndex(BY_CLUSTER_IP, ip)[0];
    return s && { namespace: s.metadata.namespace ?? '', name: s.metadata.name ?? '' };
  }

  endpointsByAddress(ip: string): Array<{ namespace: string; service: string; hostname?: string }> {
    return this.slices.store().byIndex(BY_ADDRESS, ip).flatMap((slice) => {
      const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
      if (!service) return [];
      return (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.addresses?.includes(ip))
        .map((e) => ({ namespace: slice.metadata.namespace ?? '', service, hostname: e.hostname }));
    });
  }

  namespaceExists(namespace: string): boolean {
    return this.namespaces.store().get(namespace) !== undefined;
  }
}
