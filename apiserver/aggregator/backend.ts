/**
 * How an aggregated API server is reached (upstream's service resolver and proxy transport): the
 * Service's endpoints give a ready address and the target port of `spec.service.port`; the
 * connection is HTTPS, verified with `caBundle` against the name `<service>.<namespace>.svc`
 * (or not verified with `insecureSkipTLSVerify`), presenting the proxy client certificate when
 * one is configured.
 */
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import { serviceProxyLocation } from '../handlers/proxy-location.ts';

/** The front-proxy client certificate (`--proxy-client-cert-file` / `--proxy-client-key-file`), PEM. */
export interface ProxyClientCertificate {
  cert: string | Buffer;
  key: string | Buffer;
}

/** How an aggregated server's certificate is checked, and the client certificate presented to it. */
export type BackendTlsOptions = Pick<ConnectionOptions, 'servername' | 'rejectUnauthorized' | 'ca' | 'cert' | 'key'>;

/**
 * `https://host:port` of one ready endpoint of the APIService's Service (random among them;
 * `random(n)` in [0, n)); throws a 503 ApiError (`no endpoints available for service …`) when
 * there is none. ExternalName services resolve to their name and the service port.
 */
export function resolveBackend(svc: APIService, service: KubeObject | undefined, endpoints: KubeObject | undefined, random: (n: number) => number): string {
  const ref = svc.spec?.service ?? {};
  const port = ref.port ?? 443;
  const external = (service as { spec?: { type?: string; externalName?: string } } | undefined)?.spec;
  if (external?.type === 'ExternalName' && external.externalName) return `https://${external.externalName}:${port}`;
  const rawId = `${ref.namespace ?? ''}/${ref.name ?? ''}`;
  return serviceProxyLocation(service, endpoints, { scheme: 'https', name: rawId, port: String(port) }, rawId, random).origin;
}

/** The TLS settings of one APIService (its caBundle decoded), for undici's connect options or `tls.connect`. Pure. */
export function tlsOptions(svc: APIService, client: ProxyClientCertificate | undefined): BackendTlsOptions {
  const ref = svc.spec?.service ?? {};
  const ca = svc.spec?.caBundle ? Buffer.from(svc.spec.caBundle, 'base64').toString('utf8') : undefined;
  return {
    servername: `${ref.name ?? ''}.${ref.namespace ?? ''}.svc`,
    rejectUnauthorized: !svc.spec?.insecureSkipTLSVerify,
    ...(ca ? { ca } : {}),
    ...(client ? { cert: client.cert, key: client.key } : {}),
  };
}

/** One undici Agent per APIService spec, replaced (and the old one closed) when the spec changes. */
export class BackendAgents {
  private readonly agents = new Map<string, { key: string; agent: Agent }>();

  constructor(private readonly client: ProxyClientCertificate | undefined) {}

  /** The agent for `svc` as it is now. */
  agentFor(svc: APIService): Agent {
    const name = svc.metadata.name ?? '';
    const key = JSON.stringify(svc.spec ?? {});
    const current = this.agents.get(name);
    if (current?.key === key) return current.agent;
    if (current) void current.agent.close().catch(() => undefined);
    const agent = new Agent({ connect: tlsOptions(svc, this.client), keepAliveTimeout: 30_000 });
    this.agents.set(name, { key, agent });
    return agent;
  }

  /** The TLS settings `svc`'s agent connects with (trust, server name, client certificate), for direct dials such as upgrades. */
  tlsFor(svc: APIService): BackendTlsOptions {
    return tlsOptions(svc, this.client);
  }

  /** Closes the agent of an APIService that went away. */
  drop(name: string): void {
    const current = this.agents.get(name);
    this.agents.delete(name);
    if (current) void current.agent.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.agent.close().catch(() => undefined)));
  }
}
