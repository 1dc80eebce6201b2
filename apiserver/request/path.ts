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
  /**
   * For the `proxy` subresource, the path after `/proxy` (`''` when there is none, else starting
   * with `/` and keeping a trailing slash), still percent-encoded as it came.
   */
  proxyPath?: string;
}

/** Subresources of a namespace that do not name a namespaced resource. */
const namespaceSubresources = new Set(['status', 'finalize']);

/** Parses a URL path (no query); undefined when it names no resource. One split, no intermediate arrays. */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segs: string[] = [];
  for (const part of pathname.split('/')) {
    if (part === '') continue;
    const decoded = safeDecode(part);
    if (decoded === undefined) return undefined;
    segs.push(decoded);
  }
  let group: string;
  let version: string;
  // `i`: where the part after the group/version (the `rest`) starts.
  let i: number;
  if (segs[0] === 'api' && segs.length >= 2) {
    group = '';
    version = segs[1];
    i = 2;
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1];
    version = segs[2];
    i = 3;
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (segs[i] === 'watch') {
    legacyWatch = true;
    i++;
  }
  if (i >= segs.length) return undefined;
  let namespace: string | undefined;
  if (segs[i] === 'namespaces' && segs.length - i > 1) {
    namespace = segs[i + 1];
    if (segs.length - i > 2 && !namespaceSubresources.has(segs[i + 2])) i += 2;
  }
  let proxyPath: string | undefined;
  if (segs.length - i > 3) {
    // Only `…/{name}/proxy/{path}` goes deeper (upstream ignores the parts after the subresource).
    if (segs[i + 2] !== 'proxy') return undefined;
    proxyPath = afterSegment(pathname, i + 2);
  } else if (segs[i + 2] === 'proxy') {
    proxyPath = afterSegment(pathname, i + 2);
  }
  const plural = segs[i];
  const name = segs[i + 1] as string | undefined;
  const subresource = segs[i + 2] as string | undefined;
  if (plural === 'namespaces' && namespace !== undefined && name === namespace) {
    // `/api/v1/namespaces/<ns>` names the namespace object itself.
    return { group, version, plural, name, subresource, legacyWatch };
  }
  return { group, version, plural, namespace, name, subresource, legacyWatch, ...(proxyPath !== undefined ? { proxyPath } : {}) };
}

/** What follows non-empty segment number `index` of an (undecoded) path, from its `/` on (`''` at the end). */
function afterSegment(pathname: string, index: number): string {
  let seen = -1;
  let at = 0;
  while (seen < index) {
    while (pathname[at] === '/') at++;
    const end = pathname.indexOf('/', at);
    at = end < 0 ? pathname.length : end;
    seen++;
  }
  return pathname.slice(at);
}

function safeDecode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment; // nothing to decode, nothing malformed
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
