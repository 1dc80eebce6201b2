/**
 * Storage keys and the served ⇄ stored object forms of one resource.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import { ApiError, internalError, type QualifiedResource } from '../../pkg/errors/index.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

/** The default storage key prefix, as upstream's `--etcd-prefix`. */
export const DEFAULT_KEY_PREFIX = '/registry';

type KeyInfo = Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'> & { conversion?: ResourceInfo['conversion'] };

/** The group objects of this resource are stored under (legacy versions store under their storage group). */
function storageGroup(info: KeyInfo): string {
  return info.conversion?.storageGroup ?? info.group;
}

/** `/registry/apps/deployments/` (all namespaces) or `/registry/apps/deployments/ns/` (one). */
export function storagePrefix(info: KeyInfo, namespace: string | undefined, prefix = DEFAULT_KEY_PREFIX): string {
  const group = storageGroup(info);
  const base = `${prefix}/${group ? `${group}/` : ''}${info.plural}/`;
  return info.namespaced && namespace ? `${base}${namespace}/` : base;
}

/**
 * The storage key of one object: `${prefix}/${group/}${plural}/${namespace}/${name}`
 * (cluster-scoped kinds have no namespace segment).
 */
export function storageKey(info: KeyInfo, namespace: string | undefined, name: string, prefix = DEFAULT_KEY_PREFIX): string {
  return `${storagePrefix(info, info.namespaced ? namespace : undefined, prefix)}${name}`;
}

/** `{group, resource}` for error messages (`pods/binding` for a subresource). */
export function qualifiedResource(info: Pick<ResourceInfo, 'group' | 'plural'>, subresource?: string): QualifiedResource {
  return { group: info.group, resource: subresource ? `${info.plural}/${subresource}` : info.plural };
}

/**
 * The object as served at this version (converted from storage, apiVersion/kind set). Only a
 * custom resource with a conversion webhook answers with a Promise, which rejects with a 500
 * naming the webhook's failure (upstream's status for a failed read conversion).
 */
export function toServed(info: ResourceInfo, stored: KubeObject): KubeObject | Promise<KubeObject> {
  if (info.convertObjects) return servedByConverter(info, [stored], false).then((objects) => objects[0]!);
  const obj = info.conversion ? info.conversion.fromStorage(copyJson(stored)) : stored;
  return { apiVersion: groupVersion(info), kind: info.kind, ...withoutTypeMeta(obj) };
}

/** {@link toServed} for a list's items: one webhook call for all of them when one is needed. */
export async function toServedList(info: ResourceInfo, stored: readonly KubeObject[]): Promise<KubeObject[]> {
  if (info.convertObjects) return servedByConverter(info, stored, true);
  return stored.map((o) => toServed(info, o) as KubeObject);
}

async function servedByConverter(info: ResourceInfo, stored: readonly KubeObject[], asList: boolean): Promise<KubeObject[]> {
  const apiVersion = groupVersion(info);
  let converted: KubeObject[];
  try {
    converted = await info.convertObjects!(stored, apiVersion, asList);
  } catch (err) {
    throw new ApiError({ code: 500, reason: '', message: err instanceof Error ? err.message : String(err), cause: err });
  }
  return converted.map((o) => ({ apiVersion, kind: info.kind, ...withoutTypeMeta(o) }));
}

/**
 * The object as stored (converted to the storage version, apiVersion/kind set). Only a custom
 * resource with a conversion webhook answers with a Promise, which rejects with an InternalError
 * (upstream's status for a failed write conversion).
 */
export function toStored(info: ResourceInfo, served: KubeObject): KubeObject | Promise<KubeObject> {
  if (info.convertObjects) return storedByConverter(info, served);
  if (info.conversion) {
    const { storageGroup: g, storageVersion: v } = info.conversion;
    const converted = info.conversion.toStorage(served);
    return { ...converted, apiVersion: g ? `${g}/${v}` : v, kind: converted.kind ?? info.kind };
  }
  return { apiVersion: groupVersion(info), kind: info.kind, ...withoutTypeMeta(served) };
}

async function storedByConverter(info: ResourceInfo, served: KubeObject): Promise<KubeObject> {
  const target = info.conversion ? `${info.conversion.storageGroup}/${info.conversion.storageVersion}` : groupVersion(info);
  try {
    const [stored] = await info.convertObjects!([{ ...served, apiVersion: groupVersion(info), kind: info.kind }], target, false);
    return stored!;
  } catch (err) {
    throw internalError(err);
  }
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

/** Whether this resource is served from a CustomResourceDefinition (JSON merge patch only, deletes return the object). */
export function isCustomResource(info: ResourceInfo): boolean {
  return info.customResource === true;
}
