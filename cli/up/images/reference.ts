/**
 * Image references as container runtimes read them (the Docker normalisation containerd's CRI
 * applies): `nginx` is `docker.io/library/nginx:latest`, `jwilder/whoami` is
 * `docker.io/jwilder/whoami:latest`, a first component with a dot, a colon or `localhost`
 * names the registry. Pure.
 */

/** A parsed reference. */
export interface ImageReference {
  /** Registry host, e.g. `docker.io`, `registry.k8s.io`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/nginx`, `busybox`. */
  path: string;
  /** Tag (`latest` when neither tag nor digest is given). */
  tag?: string;
  digest?: string;
}

/** Parses `ref`; throws on an empty or malformed one. */
export function parseImageReference(ref: string): ImageReference {
  const trimmed = ref.trim();
  if (!trimmed || /\s/.test(trimmed)) throw new Error(`invalid image reference "${ref}"`);
  const [nameAndTag, digest] = trimmed.split('@') as [string, string | undefined];
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon < 0 ? undefined : nameAndTag.slice(colon + 1);
  if (!name || tag === '' || (digest !== undefined && !/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest))) throw new Error(`invalid image reference "${ref}"`);
  const first = name.split('/')[0];
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? name.slice(first.length + 1) : name;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) throw new Error(`invalid image reference "${ref}"`);
  return { domain, path, ...(tag !== undefined || digest === undefined ? { tag: tag ?? 'latest' } : {}), ...(digest ? { digest } : {}) };
}

/** The fully qualified form, e.g. `docker.io/library/nginx:latest`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
