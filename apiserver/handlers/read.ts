/**
 * get and list (upstream `getResourceHandler` / `listResourcesHandler`): resourceVersion
 * semantics, label/field selectors, `limit`/`continue` paging over a consistent snapshot.
 */
import type { KubeObject, KubeList } from '../../pkg/api/meta.ts';
import { groupVersion } from '../../pkg/api/resource.ts';
import { badRequest, expired, notFound } from '../../pkg/errors/index.ts';
import { decodeContinueToken, encodeContinueToken } from '../request/continue-token.ts';
import { parseResourceVersion, type ReadOptions } from '../request/options.ts';
import { compileFieldSelector, compileLabelSelector } from '../request/selectors.ts';
import { keyOf, prefixOf, type RequestScope, type ServerContext } from './context.ts';
import { qualifiedResource, toServed, toServedList } from './objects.ts';
import { storageCall } from './storage-errors.ts';

/**
 * The object named by the scope, as served (404 when absent). A `resourceVersion` of "0" takes any
 * state (from the watch cache as it is, as upstream serves it) and "N" any state not older than N;
 * without one the read is consistent (it sees every write this server made).
 */
export async function getObject(ctx: ServerContext, scope: RequestScope, options: Pick<ReadOptions, 'resourceVersion'> = {}): Promise<KubeObject> {
  const { info } = scope;
  const name = scope.name as string;
  const rv = options.resourceVersion;
  const minRevision = rv === undefined ? undefined : parseResourceVersion(rv);
  const stored = await storageCall(qualifiedResource(info), name, () => ctx.storage.get(keyOf(ctx, info, scope.namespace, name), { minRevision }));
  if (!stored) throw notFound(qualifiedResource(info), name);
  return await toServed(info, stored);
}

/** A matcher combining the request's label and field selectors. */
export function selectorMatcher(scope: RequestScope, options: Pick<ReadOptions, 'labelSelector' | 'fieldSelector'>): (obj: KubeObject) => boolean {
  const labels = compileLabelSelector(options.labelSelector);
  const fields = compileFieldSelector(options.fieldSelector, scope.info);
  return (obj) => labels(obj) && fields(obj);
}

/**
 * Where a list reads, from resourceVersion / resourceVersionMatch: at an exact `revision`, at any
 * state not older than `minRevision` ("0": any; "N" NotOlderThan), or (neither) the latest state.
 */
async function listRevision(ctx: ServerContext, options: ReadOptions): Promise<{ revision?: number; minRevision?: number }> {
  const { resourceVersion: rv, resourceVersionMatch: match } = options;
  if (rv === undefined) return {};
  if (rv === '0') return { minRevision: 0 };
  const revision = parseResourceVersion(rv);
  if (match === 'Exact') return { revision };
  const current = await ctx.storage.currentRevision();
  if (revision > current) return { revision }; // storage answers TooLarge
  return { minRevision: revision };
}

/** The largest page a selective list reads at once (upstream etcd3 store's `maxLimit`). */
const MAX_SELECTIVE_PAGE = 10_000;

/** A list response (`<Kind>List`) honouring selectors, limit/continue and resourceVersion semantics. */
export async function listObjects(ctx: ServerContext, scope: RequestScope, options: ReadOptions): Promise<KubeList> {
  const { info } = scope;
  const qr = qualifiedResource(info);
  const prefix = prefixOf(ctx, info, scope.namespace);
  const matches = selectorMatcher(scope, options);
  const filtering = !!(options.labelSelector || options.fieldSelector);
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  let revision: number | undefined;
  let minRevision: number | undefined;
  let startAfter: string | undefined;
  if (options.continueToken) {
    const token = decodeContinueToken(options.continueToken, prefix);
    if (options.resourceVersion !== undefined && options.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    revision = token.revision;
    startAfter = token.startAfter;
  } else {
    ({ revision, minRevision } = await storageCall(qr, '', () => listRevision(ctx, options)));
  }
  const items: KubeObject[] = [];
  let nextKey: string | undefined;
  let remaining: number | undefined;
  let readAt = revision;
  // With a selector, pages are read larger than what is still wanted, doubling while the selector
  // matches few (upstream's etcd store does the same, up to 10,000): a selective list with a small
  // limit then costs a few reads, not one per object.
  let pageSize = limit ?? 0;
  for (;;) {
    const wanted = limit ? limit - items.length : undefined;
    const pageLimit = wanted !== undefined && filtering ? Math.max(wanted, pageSize) : wanted;
    const page = await storageCall(qr, '', () => ctx.storage.list(prefix, { limit: pageLimit, startAfter, revision: readAt, minRevision }).catch((err) => {
      if (options.continueToken && err?.code === 'Expired') throw continueExpired(encodeContinueToken({ revision: -1, startAfter: startAfter as string, prefix }));
      if (options.resourceVersionMatch === 'Exact' && err?.code === 'Expired') throw expired('The resourceVersion for the provided list is too old.');
      throw err;
    }));
    readAt = page.revision;
    nextKey = page.nextKey;
    remaining = page.remaining;
    const served = await toServedList(info, page.items);
    for (const [i, stored] of page.items.entries()) {
      const obj = served[i]!;
      if (filtering && !matches(obj)) continue;
      items.push(obj);
      // The limit is reached inside a larger page: continue after this object.
      if (items.length === limit && i < page.items.length - 1) {
        nextKey = keyOf(ctx, info, stored.metadata.namespace, stored.metadata.name as string);
        break;
      }
    }
    if (!nextKey || !limit || items.length >= limit) break;
    startAfter = nextKey;
    pageSize = Math.min(pageSize * 2, MAX_SELECTIVE_PAGE);
  }
  const metadata: KubeList['metadata'] = { resourceVersion: String(readAt) };
  if (nextKey && limit) {
    metadata.continue = encodeContinueToken({ revision: readAt as number, startAfter: nextKey, prefix });
    if (!filtering && remaining !== undefined) metadata.remainingItemCount = remaining;
  }
  return { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata, items };
}

/**
 * 410 for a continue token whose snapshot was compacted (upstream's message), carrying in
 * `metadata.continue` a token that continues from the same key in the latest state.
 */
function continueExpired(latestToken: string) {
  return expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    { continue: latestToken },
  );
}
