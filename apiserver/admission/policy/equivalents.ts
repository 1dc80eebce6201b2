/**
 * matchPolicy `Equivalent` (upstream policy/matching with the equivalent resource mapper): the
 * other group/versions a request's resource is served as (the same stored resource, e.g.
 * autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers), and the request's object converted
 * to the version a policy matched, so its expressions see the version they were written for.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { ResourceRegistry } from '../../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../../pkg/api/resource.ts';
import type { RuleRequest } from '../webhook/rules.ts';

const storedAs = (info: ResourceInfo) => `${info.conversion?.storageGroup ?? info.group}/${info.plural}`;

/** The rule requests of the other versions serving the request's resource (none without a registry). */
export function equivalentRequests(registry: ResourceRegistry | undefined, info: ResourceInfo, req: RuleRequest): RuleRequest[] {
  if (!registry) return [];
  const stored = storedAs(info);
  return registry
    .all()
    .filter((other) => storedAs(other) === stored && !(other.group === info.group && other.version === info.version) && !other.customResource)
    .map((other) => ({ ...req, group: other.group, version: other.version, resource: other.plural }));
}

/** `obj` (served as `from`) as the version `to` serves it. */
export function convertObject(obj: KubeObject, from: ResourceInfo, to: ResourceInfo): KubeObject {
  if (from === to) return obj;
  const stored = from.conversion ? from.conversion.toStorage(structuredClone(obj)) : structuredClone(obj);
  return to.conversion ? to.conversion.fromStorage(stored) : stored;
}
