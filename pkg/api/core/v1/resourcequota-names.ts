/**
 * The resource and scope names ResourceQuota knows (upstream pkg/apis/core/helper): standard
 * quota resources, integer-valued ones, the standard scopes and which resources each scope may
 * constrain. Pure tables shared by validation, the admission plugin and the controller.
 */

/** Upstream standardQuotaResources. */
export const STANDARD_QUOTA_RESOURCES: ReadonlySet<string> = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);

/** Upstream standardResources (IsStandardResourceName). */
const STANDARD_RESOURCES: ReadonlySet<string> = new Set([...STANDARD_QUOTA_RESOURCES, 'storage']);

/** Upstream integerResources. */
const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
]);

/** `requests.hugepages-2Mi` / `limits.hugepages-1Gi` (IsQuotaHugePageResourceName). */
export function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith('requests.hugepages-') || name.startsWith('limits.hugepages-');
}

export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardResourceName(name: string): boolean {
  return STANDARD_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
}

/** IsNativeResource: unqualified, or in the `kubernetes.io/` namespace. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName (without the qualified-name check of `requests.<name>`). */
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** The scopes upstream accepts (standardResourceQuotaScopes plus CrossNamespacePodAffinity). */
export const RESOURCE_QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'] as const;

export function isStandardResourceQuotaScope(scope: string): boolean {
  return (RESOURCE_QUOTA_SCOPES as readonly string[]).includes(scope);
}

const POD_OBJECT_COUNT = new Set(['pods']);
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

/** IsResourceQuotaScopeValidForResource. */
export function isScopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_OBJECT_COUNT.has(resource) || POD_COMPUTE.has(resource);
    case 'BestEffort':
      return POD_OBJECT_COUNT.has(resource);
    default:
      return true;
  }
}
