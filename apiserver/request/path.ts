/**
 * Resource URL parsing (upstream `RequestInfoFactory`): `/api/v1/...` and `/apis/<g>/<v>/...`,
 * namespaced (`namespaces/<ns>/<plural>[/<name>[/<sub>]]`) and cluster paths, and the legacy
 * `/watch/` prefix. Pure: knows nothing about which resources exist.
 */

/** The coordinates a resource URL names. */
export interface ResourcePath {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/api/v1/watch/...` form: a watch regardless of the query. */
  legacyWatch: boolean;
}

/** Subresources of a namespace that do not name a namespaced resource. */
const namespaceSubresources = new Set(['status', 'finalize']);

/** Parses a URL path (no query); undefined when it names no resource. */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(safeDecode);
  if (parts.some((p) => p === undefined)) return undefined;
  const segs = parts as string[];
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [plural, name, subresource] = rest;
  if (plural === 'namespaces' && namespace !== undefined && name === namespace) {
    // `/api/v1/namespaces/<ns>` names the namespace object itself.
    return { group, version, plural, name, subresource, legacyWatch };
  }
  return { group, version, plural, namespace, name, subresource, legacyWatch };
}

function safeDecode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment; // nothing to decode, nothing malformed
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
