/**
 * Where a pod's kubelet answers (upstream `GetKubeletLocation`): the node's InternalIP (else its
 * first address) and `status.daemonEndpoints.kubeletEndpoint.Port`, with the scheme of the
 * server's kubelet transport (`http` unless the kubelet TLS flags say otherwise).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError, badRequest } from '../../pkg/errors/index.ts';
import type { RequestScope, ServerContext } from './context.ts';
import { getObject } from './read.ts';
import { joinHostPort } from '../../pkg/net/host-port.ts';

type NodeShape = KubeObject & { status?: { addresses?: Array<{ type: string; address: string }>; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } };

/** Where a node is reached: its InternalIP (else its first address) and its kubelet's port, each undefined when absent. Pure. */
export function nodeEndpoint(node: KubeObject | undefined): { address?: string; kubeletPort?: number } {
  const status = (node as NodeShape | undefined)?.status;
  return {
    address: status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? status?.addresses?.[0]?.address,
    kubeletPort: status?.daemonEndpoints?.kubeletEndpoint?.Port,
  };
}

/** `scheme://address:port` of a node's kubelet ({@link nodeEndpoint}), or undefined when the node has no endpoint. Pure. */
export function kubeletUrlOfNode(node: KubeObject | undefined, scheme: 'http' | 'https'): string | undefined {
  const { address, kubeletPort } = nodeEndpoint(node);
  if (!address || !kubeletPort) return undefined;
  return `${scheme}://${joinHostPort(address, kubeletPort)}`;
}

/** `http(s)://host:port` of the kubelet running `pod` (BadRequest when unscheduled, 503 when the node has no endpoint). */
export async function kubeletBaseUrl(ctx: ServerContext, scope: RequestScope, pod: KubeObject): Promise<string> {
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const nodeInfo = ctx.registry.all().find((i) => i.group === '' && i.kind === 'Node');
  const node = nodeInfo ? await getObject(ctx, { ...scope, info: nodeInfo, namespace: undefined, name: nodeName }).catch(() => undefined) : undefined;
  const url = kubeletUrlOfNode(node, ctx.kubelet?.scheme ?? 'http');
  if (!url) throw new ApiError({ code: 503, reason: 'ServiceUnavailable', message: `no kubelet connection is available for node "${nodeName}"` });
  return url;
}
