/**
 * Upstream's request-header authenticator (an authenticating proxy, e.g. the aggregation layer
 * of another API server, or a front proxy doing SSO): a client certificate that chains to
 * `--requestheader-client-ca-file` and, when `--requestheader-allowed-names` is set, has one of
 * those CNs, vouches for the user named in the request's headers — `X-Remote-User` (first of the
 * username headers with a value), `X-Remote-Group` (every value), `X-Remote-Extra-<key>` (key
 * lower-cased and path-unescaped) and, with uid headers, the uid. Pure.
 */
import type { UserInfo } from './user.ts';

/** The front proxy the server trusts (`--requestheader-*`). */
export interface RequestHeaderSettings {
  /** PEM of `--requestheader-client-ca-file`. */
  clientCa: string;
  /** CNs a front proxy's certificate may have; empty = any certificate of the CA. */
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
  uidHeaders?: string[];
}

/** A request's headers, each name lower-case with all its values (Node's `headersDistinct`). */
export type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/** Upstream's unescaping of an extra key (url.PathUnescape; kept as is when malformed). */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The user the headers name; undefined when no username header has a value (the authenticator
 * then has no opinion). Pure.
 */
export function userFromRequestHeaders(headers: DistinctHeaders, settings: Pick<RequestHeaderSettings, 'usernameHeaders' | 'groupHeaders' | 'extraHeaderPrefixes' | 'uidHeaders'>): UserInfo | undefined {
  const first = (names: readonly string[] = []) => names.map((n) => headers[n.toLowerCase()]?.[0]).find((v) => v);
  const username = first(settings.usernameHeaders);
  if (!username) return undefined;
  const groups = settings.groupHeaders.flatMap((n) => headers[n.toLowerCase()] ?? []);
  const extra: Record<string, string[]> = {};
  const prefixes = settings.extraHeaderPrefixes.map((p) => p.toLowerCase());
  for (const [name, values] of Object.entries(headers)) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    if (!prefix || !values) continue;
    const key = unescapeExtraKey(name.slice(prefix.length)).toLowerCase();
    (extra[key] ??= []).push(...values);
  }
  const uid = first(settings.uidHeaders);
  return { username, ...(uid ? { uid } : {}), groups, ...(Object.keys(extra).length ? { extra } : {}) };
}

/**
 * Why a certificate that chains to the front-proxy CA may not vouch for users (upstream's
 * message), or undefined when it may. Pure.
 */
export function frontProxyNameError(commonName: string | undefined, allowedNames: readonly string[]): string | undefined {
  if (allowedNames.length === 0 || (commonName !== undefined && allowedNames.includes(commonName))) return undefined;
  return `x509: subject with cn=${commonName ?? ''} is not in the allowed list`;
}
