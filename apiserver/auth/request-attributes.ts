/**
 * The authorization attributes of a request (upstream `RequestInfoFactory` + `authorizer.Attributes`):
 * resource requests get verb/group/version/resource/subresource/namespace/name from the URL,
 * everything else is a non-resource request on its path. Pure: knows nothing about which
 * resources exist, so unknown resources are authorized (and then 404) like upstream.
 */
import { parseResourcePath } from '../request/path.ts';
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
  const [pathname, search = ''] = url.split('?', 2);
  const query = new URLSearchParams(search);
  const base = { user, path: pathname, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', fieldSelector: [] as FieldRequirement[] };
  const parsed = parseResourcePath(pathname);
  const verb = methodVerbs[method.toUpperCase()];
  if (!parsed || !verb) return { ...base, verb: method.toLowerCase(), resourceRequest: false };
  const namespace = parsed.namespace ?? (parsed.plural === 'namespaces' && parsed.name ? parsed.name : '');
  const attrs: RequestAttributes = {
    ...base,
    verb,
    resourceRequest: true,
    apiGroup: parsed.group,
    apiVersion: parsed.version,
    resource: parsed.plural,
    subresource: parsed.subresource ?? '',
    namespace,
    name: parsed.name ?? '',
  };
  if (verb === 'get' || verb === 'delete') {
    attrs.fieldSelector = parseFieldSelector(query.get('fieldSelector') ?? undefined);
  }
  const watchParam = query.get('watch');
  if (parsed.legacyWatch || (verb === 'get' && queryBool(watchParam))) attrs.verb = 'watch';
  else if (verb === 'get' && !attrs.name) attrs.verb = 'list';
  else if (verb === 'delete' && !attrs.name) attrs.verb = 'deletecollection';
  // A list/watch of exactly one object by metadata.name is authorized as that object (upstream).
  if ((attrs.verb === 'list' || attrs.verb === 'watch') && !attrs.name) {
    const byName = attrs.fieldSelector.find((r) => r.field === 'metadata.name' && r.operator === '=');
    if (byName) attrs.name = byName.value;
  }
  return attrs;
}
