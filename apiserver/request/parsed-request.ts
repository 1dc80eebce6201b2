/**
 * The parse of a request's URL, done once per request and shared by everyone who asks: the
 * authentication guard and audit (attributes), API priority and fairness (classification) and
 * the resource route (the resource path). Kept on the raw request; a changed `url` is parsed anew.
 */
import type { UserInfo } from '../../pkg/auth/user.ts';
import { attributesOfParsedPath, type RequestAttributes } from '../auth/request-attributes.ts';
import { parseResourcePath, type ResourcePath } from './path.ts';

/** The parts of a request (an `IncomingMessage`, or a test's stand-in) the parse reads. */
export interface RequestLine {
  method?: string;
  url?: string;
}

interface Parsed {
  url: string;
  path: ResourcePath | undefined;
  /** The attributes last asked for, and for whom. */
  attributes?: { user: UserInfo; value: RequestAttributes };
}

/** Where the parse is kept on the request (a symbol property: a WeakMap entry cost ~1.5 µs per request). */
const PARSED = Symbol('k8ts.parsedRequest');

function parsedOf(req: RequestLine): Parsed {
  const holder = req as RequestLine & { [PARSED]?: Parsed };
  const url = req.url ?? '/';
  let parsed = holder[PARSED];
  if (parsed === undefined || parsed.url !== url) {
    const q = url.indexOf('?');
    parsed = { url, path: parseResourcePath(q < 0 ? url : url.slice(0, q)), attributes: undefined };
    holder[PARSED] = parsed;
  }
  return parsed;
}

/** `parseResourcePath` of the request's URL path (undefined: no resource path), parsed once per request. Treat as read-only. */
export function resourcePathOf(req: RequestLine): ResourcePath | undefined {
  return parsedOf(req).path;
}

/** `requestAttributes` of the request by `user`, computed once per request and user. Treat as read-only. */
export function requestAttributesOf(req: RequestLine, user: UserInfo): RequestAttributes {
  const parsed = parsedOf(req);
  if (parsed.attributes?.user !== user) {
    parsed.attributes = { user, value: attributesOfParsedPath({ user, method: req.method ?? 'GET', url: parsed.url, path: parsed.path }) };
  }
  return parsed.attributes.value;
}
