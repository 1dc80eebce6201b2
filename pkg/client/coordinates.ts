/**
 * Where a resource lives on the server, and the URL paths derived from it. Pure.
 */

/** The coordinates of a resource (a subset of `ResourceInfo`; any served kind, no hard-coding). */
export interface ResourceCoordinates {
  /** API group, '' for core. */
  group: string;
  version: string;
  /** Lower-case plural, e.g. `pods`. */
  plural: string;
  namespaced: boolean;
  kind: string;
}

/** `v1` or `apps/v1`. */
export function apiVersionOf(coords: Pick<ResourceCoordinates, 'group' | 'version'>): string {
  return coords.group ? `${coords.group}/${coords.version}` : coords.version;
}

/**
 * The path of a collection, object or subresource:
 * `/api/v1/namespaces/ns/pods/p/status`, `/apis/apps/v1/deployments` (all namespaces),
 * `/api/v1/nodes/n`. `namespace` is ignored for cluster-scoped resources.
 */
export function resourcePath(coords: ResourceCoordinates, target: { namespace?: string; name?: string; subresource?: string } = {}): string {
  const root = coords.group ? `/apis/${coords.group}/${coords.version}` : `/api/${coords.version}`;
  const ns = coords.namespaced && target.namespace ? `/namespaces/${encodeURIComponent(target.namespace)}` : '';
  const name = target.name !== undefined ? `/${encodeURIComponent(target.name)}` : '';
  const sub = target.name !== undefined && target.subresource ? `/${target.subresource}` : '';
  return `${root}${ns}/${coords.plural}${name}${sub}`;
}

/** `ns/name` for namespaced objects, `name` for cluster-scoped ones (the cache key format). */
export function objectKey(meta: { namespace?: string; name?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta.name ?? '');
}

/** Splits a key made by {@link objectKey}. */
export function splitObjectKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
