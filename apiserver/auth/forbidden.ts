/**
 * The 401 and 403 bodies upstream writes (`responsewriters.Forbidden`, `Unauthorized`):
 * `pods "p" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`,
 * `... at the cluster scope`, `forbidden: User "u" cannot get path "/metrics"`, with the
 * authorizer's reason appended after `: `.
 */
import { ApiError, forbidden, unauthorized } from '../../pkg/errors/index.ts';
import type { RequestAttributes } from './request-attributes.ts';

/** The `User ... cannot ...` sentence. Pure. */
export function forbiddenMessage(attrs: RequestAttributes): string {
  const user = attrs.user.username;
  if (!attrs.resourceRequest) return `User "${user}" cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${where}`;
}

/** The 403 error for a denied request. Pure. */
export function forbiddenError(attrs: RequestAttributes, reason: string): ApiError {
  const message = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
  if (!attrs.resourceRequest) return new ApiError({ code: 403, reason: 'Forbidden', message: `forbidden: ${message}`, details: {} });
  return forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, message);
}

/** The 401 error for a request without acceptable credentials. */
export function unauthorizedError(): ApiError {
  return unauthorized('Unauthorized');
}
