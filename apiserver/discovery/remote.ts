/**
 * Discovery of aggregated (remote) group versions: what the aggregator learnt from each
 * aggregated API server's `/apis/<group>/<version>` (a legacy APIResourceList), merged into this
 * server's `/apis` and aggregated discovery, as upstream's aggregator does for servers that do
 * not publish aggregated discovery themselves. Unavailable ones are left out. Pure.
 */

/** One available remote group version and the resources its server lists. */
export interface RemoteDiscovery {
  group: string;
  version: string;
  /** The APIResourceList's `resources` (subresources as `plural/sub` entries). */
  resources: ReadonlyArray<Record<string, unknown>>;
  /** Where its OpenAPI v3 document is (the backend's own `serverRelativeURL`, proxied), if it serves one. */
  openApiV3Url?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The aggregated-discovery resources of one remote group version, converted from its legacy list. */
export function remoteAggregatedResources(remote: RemoteDiscovery): Array<Record<string, unknown>> {
  const kindOf = (r: Record<string, unknown>) => ({ group: str(r.group) || remote.group, version: str(r.version) || remote.version, kind: str(r.kind) });
  const out: Array<Record<string, unknown>> = [];
  for (const r of remote.resources) {
    const name = str(r.name);
    if (!name || name.includes('/')) continue;
    const entry: Record<string, unknown> = {
      resource: name,
      responseKind: kindOf(r),
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: str(r.singularName) || name,
      verbs: strings(r.verbs),
    };
    if (strings(r.shortNames).length) entry.shortNames = strings(r.shortNames);
    if (strings(r.categories).length) entry.categories = strings(r.categories);
    const subs = remote.resources
      .filter((s) => str(s.name).startsWith(`${name}/`))
      .map((s) => ({ subresource: str(s.name).slice(name.length + 1), responseKind: kindOf(s), verbs: strings(s.verbs) }));
    if (subs.length) entry.subresources = subs;
    out.push(entry);
  }
  return out;
}

/** Remote versions grouped by group, in the order given. */
export function remoteGroups(remotes: readonly RemoteDiscovery[]): Map<string, RemoteDiscovery[]> {
  const out = new Map<string, RemoteDiscovery[]>();
  for (const r of remotes) out.set(r.group, [...(out.get(r.group) ?? []), r]);
  return out;
}

/** Adds the remote versions to an APIGroupDiscoveryList's items (new groups after the local ones). */
export function mergeAggregated(items: Array<Record<string, unknown>>, remotes: readonly RemoteDiscovery[]): Array<Record<string, unknown>> {
  const out = items.map((i) => ({ ...i }));
  for (const [group, versions] of remoteGroups(remotes)) {
    const entries = versions.map((v) => ({ version: v.version, resources: remoteAggregatedResources(v), freshness: 'Current' }));
    const existing = out.find((i) => (i.metadata as { name?: string }).name === group);
    if (existing) existing.versions = [...(existing.versions as unknown[]), ...entries.filter((e) => !(existing.versions as Array<{ version: string }>).some((x) => x.version === e.version))];
    else out.push({ metadata: { name: group }, versions: entries });
  }
  return out;
}
