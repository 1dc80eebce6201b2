/**
 * The authorization attributes of a request (upstream `RequestInfoFactory` + `authorizer.Attributes`):
 * resource requests get verb/group/version/resource/subresource/namespace/name from the URL,
 * everything else is a non-resource request on its path. Pure: knows nothing about which
 * resources exist, so unknown resources are authorized (and then 404) like upstream.
 */
import { parseResourcePath, type ResourcePath } from '../request/path.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';

/** One `field=value` / `field!=value` term of a field selector. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** What is being done, to what (user added by the caller). */
export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** The URL path (non-resource requests are authorized on it). */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  fieldSelector: FieldRequirement[];
}

const methodVerbs: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Parses a field selector (`a=b,c!=d`, `==` as `=`); unparsable terms are dropped. Pure. */
export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector) return [];
  const out: FieldRequirement[] = [];
  for (const term of selector.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (m) out.push({ field: m[1], operator: m[2] === '!=' ? '!=' : '=', value: m[3] });
  }
  return out;
}

/** The attributes of `method url` by `user`. Pure. */
export function requestAttributes(user: UserInfo, method: string, url: string): RequestAttributes {
  const q = url.indexOf('?');
  return attributesOfParsedPath({ user, method, url, path: parseResourcePath(q < 0 ? url : url.slice(0, q)) });
}

/** What {@link attributesOfParsedPath} needs: the request, and its URL path as `parseResourcePath` parsed it. */
export interface ParsedRequest {
  user: UserInfo;
  method: string;
  /** The request target, query included. */
  url: string;
  /** `parseResourcePath` of the URL's path (undefined: no resource path). */
  path: ResourcePath | undefined;
}

/**
 * {@link requestAttributes} of a request whose path is parsed already (the parse is shared with
 * the resource route). The query is only parsed when it can matter (get/delete with a query). Pure.
 */
export function attributesOfParsedPath({ user, method, url, path: parsed }: ParsedRequest): RequestAttributes {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const verb = methodVerbs[method.toUpperCase()];
  if (!parsed || !verb) return newAttributes(user, pathname, method.toLowerCase(), undefined);
  const attrs = newAttributes(user, pathname, verb, parsed);
  // As before: the query is what lies between the first and a second `?`.
  const query = q >= 0 && (verb === 'get' || verb === 'delete') ? new URLSearchParams(url.split('?', 2)[1]) : undefined;
  if (query) attrs.fieldSelector = parseFieldSelector(query.get('fieldSelector') ?? undefined);
  if (parsed.legacyWatch || (verb === 'get' && queryBool(query?.get('watch')))) attrs.verb = 'watch';
  else if (verb === 'get' && !attrs.name) attrs.verb = 'list';
  else if (verb === 'delete' && !attrs.name) attrs.verb = 'deletecollection';
  // A list/watch of exactly one object by metadata.name is authorized as that object (upstream).
  if ((attrs.verb === 'list' || attrs.verb === 'watch') && !attrs.name) {
    const byName = attrs.fieldSelector.find((r) => r.field === 'metadata.name' && r.operator === '=');
    if (byName) attrs.name = byName.value;
  }
  return attrs;
}

/** One object literal for both kinds of request (no spread copies: they are slow on Node 20). */
function newAttributes(user: UserInfo, path: string, verb: string, parsed: ResourcePath | undefined): RequestAttributes {
  return {
    user,
    verb,
    resourceRequest: parsed !== undefined,
    path,
    apiGroup: parsed?.group ?? '',
    apiVersion: parsed?.version ?? '',
    resource: parsed?.plural ?? '',
    subresource: parsed?.subresource ?? '',
    namespace: parsed === undefined ? '' : (parsed.namespace ?? (parsed.plural === 'namespaces' && parsed.name ? parsed.name : '')),
    name: parsed?.name ?? '',
    fieldSelector: [],
  };
}
