/**
 * Storage keys and the served ⇄ stored object forms of one resource.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { groupVersion, type ResourceInfo } from '../../pkg/api/resource.ts';
import type { QualifiedResource } from '../../pkg/errors/index.ts';
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

/** The object as served at this version (converted from storage, apiVersion/kind set). */
export function toServed(info: ResourceInfo, stored: KubeObject): KubeObject {
  const obj = info.conversion ? info.conversion.fromStorage(copyJson(stored)) : stored;
  return { apiVersion: groupVersion(info), kind: info.kind, ...withoutTypeMeta(obj) };
}

/** The object as stored (converted to the storage version, apiVersion/kind set). */
export function toStored(info: ResourceInfo, served: KubeObject): KubeObject {
  if (info.conversion) {
    const { storageGroup: g, storageVersion: v } = info.conversion;
    const converted = info.conversion.toStorage(served);
    return { ...converted, apiVersion: g ? `${g}/${v}` : v, kind: converted.kind ?? info.kind };
  }
  return { apiVersion: groupVersion(info), kind: info.kind, ...withoutTypeMeta(served) };
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

/** Whether this resource is served from a CustomResourceDefinition (JSON merge patch only, deletes return the object). */
export function isCustomResource(info: ResourceInfo): boolean {
  return info.customResource === true;
}
