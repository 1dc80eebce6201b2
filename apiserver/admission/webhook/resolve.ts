/**
 * Where a webhook is called: `clientConfig.url` as is, or `clientConfig.service` resolved to one
 * ready endpoint of the Service (EndpointSlices, else the Endpoints object) — this server has no
 * in-process kube-proxy, so it dials the endpoint address directly, presenting and verifying the
 * TLS server name `<service>.<namespace>.svc` as upstream does.
 */
import type { WebhookClientConfig } from '../../../pkg/api/admissionregistration/v1/webhook-types.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { AdmissionContext } from '../types.ts';
import { joinHostPort } from '../../../pkg/net/host-port.ts';

/** A resolved call target. */
export interface WebhookTarget {
  /** `https://host:port/path` (without the `timeout` query). */
  url: string;
  /** TLS server name to verify when dialing an IP for a Service. */
  servername?: string;
  /** PEM CA bundle (decoded `caBundle`); undefined = system roots. */
  ca?: string;
}

interface ServicePort { name?: string; port: number; targetPort?: number | string }
interface EndpointSlicePort { name?: string; port?: number }
interface SliceEndpoint { addresses: string[]; conditions?: { ready?: boolean } }
interface EndpointsSubset { addresses?: Array<{ ip: string }>; ports?: EndpointSlicePort[] }

/** Picks `ip:port` for the service port from EndpointSlices, then Endpoints (pure). */
export function pickEndpoint(servicePort: ServicePort, slices: readonly KubeObject[], endpoints: KubeObject | undefined): string | undefined {
  const portName = servicePort.name ?? '';
  for (const slice of slices) {
    const port = ((slice.ports ?? []) as EndpointSlicePort[]).find((p) => (p.name ?? '') === portName)?.port;
    if (port === undefined) continue;
    const ready = ((slice.endpoints ?? []) as SliceEndpoint[]).find((e) => e.conditions?.ready !== false && e.addresses.length > 0);
    if (ready) return joinHostPort(ready.addresses[0], port);
  }
  for (const subset of ((endpoints as { subsets?: EndpointsSubset[] } | undefined)?.subsets ?? [])) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
    const ip = subset.addresses?.[0]?.ip;
    if (port !== undefined && ip) return joinHostPort(ip, port);
  }
  return undefined;
}

/** What resolving a Service reference reads: the server's storage and its key scheme. */
export type WebhookResolveContext = Pick<AdmissionContext, 'storage' | 'keyFor'>;

/** Resolves the client config; throws an Error with the reason when the Service cannot be reached. */
export async function resolveWebhookTarget(ctx: WebhookResolveContext, cc: WebhookClientConfig): Promise<WebhookTarget> {
  const ca = cc.caBundle ? Buffer.from(cc.caBundle, 'base64').toString('utf8') : undefined;
  if (cc.url !== undefined) return { url: cc.url, ca };
  const ref = cc.service!;
  const service = await ctx.storage.get(ctx.keyFor({ group: '', plural: 'services', namespaced: true }, ref.namespace, ref.name));
  if (!service) throw new Error(`service "${ref.name}" not found`);
  const wanted = ref.port ?? 443;
  const servicePort = ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).find((p) => p.port === wanted);
  if (!servicePort) throw new Error(`no service port ${wanted} found for service "${ref.name}"`);
  const prefix = ctx.keyFor({ group: 'discovery.k8s.io', plural: 'endpointslices', namespaced: true }, ref.namespace, '');
  const slices = (await ctx.storage.list(prefix)).items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === ref.name);
  const endpoints = await ctx.storage.get(ctx.keyFor({ group: '', plural: 'endpoints', namespaced: true }, ref.namespace, ref.name));
  const address = pickEndpoint(servicePort, slices, endpoints);
  if (!address) throw new Error(`no endpoints available for service "${ref.name}"`);
  return { url: `https://${address}${ref.path ?? ''}`, servername: `${ref.name}.${ref.namespace}.svc`, ca };
}
