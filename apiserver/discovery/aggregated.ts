/**
 * Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): all groups, versions and
 * resources in one response to `GET /api` or `GET /apis`, which kubectl 1.27+ asks for first.
 * The client recognises the format only by the response Content-Type, so `negotiateAggregated`
 * must pick the exact media type it sent.
 */
import type { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';

export type AggregatedVersion = 'v2' | 'v2beta1';

/** The discovery media type for a version, as the response Content-Type. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * The aggregated version an Accept header asks for, in the client's order of preference, or
 * undefined when it only accepts the legacy form.
 */
export function negotiateAggregated(accept: string | undefined): AggregatedVersion | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const v = params.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}

/** A connect or action subresource beyond status/scale, as the legacy list names it. */
export interface ExtraSubresource {
  subresource: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

function resourceEntry(info: ResourceInfo, extra: ExtraSubresource[]): Record<string, unknown> {
  const subresources: Array<Record<string, unknown>> = [];
  if (info.subresources.status) {
    subresources.push({ subresource: 'status', responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: ['get', 'patch', 'update'] });
  }
  if (info.subresources.scale) {
    subresources.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  }
  for (const e of extra) {
    subresources.push({ subresource: e.subresource, responseKind: { group: e.group ?? '', version: e.version ?? 'v1', kind: e.kind }, verbs: e.verbs });
  }
  const entry: Record<string, unknown> = {
    resource: info.plural,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: [...info.verbs],
  };
  if (info.shortNames.length) entry.shortNames = [...info.shortNames];
  if (info.categories.length) entry.categories = [...info.categories];
  if (subresources.length) entry.subresources = subresources;
  return entry;
}

/**
 * The APIGroupDiscoveryList for the core group (`core: true`, served at /api) or for all named
 * groups (/apis). Versions are listed preferred first, as `registry.groups()` orders them.
 */
export function aggregatedDiscovery(options: {
  registry: ResourceRegistry;
  core: boolean;
  version: AggregatedVersion;
  extraSubresources?: (info: ResourceInfo) => ExtraSubresource[];
}): Record<string, unknown> {
  const { registry, core, version } = options;
  const all = registry.all();
  const items: Array<Record<string, unknown>> = [];
  for (const [group, versions] of registry.groups()) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group },
      versions: versions.map((v) => ({
        version: v,
        resources: all.filter((i) => i.group === group && i.version === v).map((i) => resourceEntry(i, options.extraSubresources?.(i) ?? [])),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
