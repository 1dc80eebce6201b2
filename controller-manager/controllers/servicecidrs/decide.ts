/**
 * The servicecidrs controller's decisions (upstream pkg/controller/servicecidrs), pure:
 * whether a deleting ServiceCIDR may lose its finalizer without orphaning IPAddresses, and which
 * Ready condition a ServiceCIDR should carry.
 */
import type { Condition } from '../../../pkg/api/meta.ts';
import { IP_ALLOCATOR_MANAGER, LABEL_IP_ADDRESS_FAMILY, LABEL_MANAGED_BY, type IPAddress } from '../../../pkg/api/networking/v1/ipaddress.ts';
import {
  SERVICE_CIDR_CONDITION_READY, SERVICE_CIDR_REASON_TERMINATING, serviceCIDRReadyCondition, type ServiceCIDR,
} from '../../../pkg/api/networking/v1/servicecidr.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { cidrContains, parseCidr, parseIP, type Cidr } from '../../../pkg/net/index.ts';

type SC = DeepReadonly<ServiceCIDR>;
type IP = DeepReadonly<IPAddress>;

/** Upstream's Ready message of a usable ServiceCIDR. */
export const READY_MESSAGE = 'Kubernetes Service CIDR is ready';
/** Upstream's message while IPAddresses still need a deleting ServiceCIDR. */
export const TERMINATING_MESSAGE = 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR';
/** How long a deleting ServiceCIDR keeps its finalizer after it could go (allocators see the deletion first). */
export const DELETION_GRACE_MS = 10_000;

function cidrsOf(sc: SC): Cidr[] {
  return (sc.spec?.cidrs ?? []).map((text) => parseCidr(text)).filter((c): c is Cidr => !!c);
}

/** `outer` contains the whole of `inner` (same family, no longer prefix). */
function containsPrefix(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefixLength <= inner.prefixLength && cidrContains(outer, { family: inner.family, value: inner.base });
}

/** Names of ServiceCIDRs with a CIDR containing `prefix` (upstream servicecidr.ContainsPrefix). */
function containingPrefix(all: readonly SC[], prefix: Cidr): string[] {
  return all.filter((sc) => cidrsOf(sc).some((c) => containsPrefix(c, prefix))).map((sc) => sc.metadata.name ?? '');
}

/** Names of ServiceCIDRs with a CIDR containing the address (upstream servicecidr.ContainsAddress). */
export function containingAddress(all: readonly SC[], ipText: string): string[] {
  const ip = parseIP(ipText);
  if (!ip) return [];
  return all.filter((sc) => cidrsOf(sc).some((c) => cidrContains(c, ip))).map((sc) => sc.metadata.name ?? '');
}

/** Whether an IPAddress was made by the API server's ClusterIP allocator. */
export function managedByAllocator(ip: IP): boolean {
  return ip.metadata.labels?.[LABEL_MANAGED_BY] === IP_ALLOCATOR_MANAGER;
}

/**
 * Upstream canDeleteCIDR: yes when every CIDR of `sc` lies inside another ServiceCIDR, else yes
 * only when no allocator-managed IPAddress of its families is covered by `sc` alone.
 */
export function canDeleteServiceCIDR(sc: SC, all: readonly SC[], ipAddresses: readonly IP[]): boolean {
  const name = sc.metadata.name ?? '';
  const cidrs = cidrsOf(sc);
  const hasParent = cidrs.every((prefix) => containingPrefix(all, prefix).some((other) => other !== name));
  if (hasParent) return true;
  for (const cidr of cidrs) {
    for (const ip of ipAddresses) {
      if (!managedByAllocator(ip) || ip.metadata.labels?.[LABEL_IP_ADDRESS_FAMILY] !== cidr.family) continue;
      const holders = containingAddress(all, ip.metadata.name ?? '');
      if (holders.length === 1 && holders[0] === name) return false;
    }
  }
  return true;
}

/** The Ready condition `sc` should have (undefined: leave it), given whether it could be deleted. */
export function desiredReadyCondition(sc: SC, canDelete: boolean): Omit<Condition, 'lastTransitionTime'> | undefined {
  if (!sc.metadata.deletionTimestamp) return { type: SERVICE_CIDR_CONDITION_READY, status: 'True', reason: '', message: READY_MESSAGE };
  if (canDelete) return undefined;
  return { type: SERVICE_CIDR_CONDITION_READY, status: 'False', reason: SERVICE_CIDR_REASON_TERMINATING, message: TERMINATING_MESSAGE };
}

/** Whether the current Ready condition already says what `desired` says. */
export function sameReady(sc: SC, desired: Omit<Condition, 'lastTransitionTime'>): boolean {
  const current = serviceCIDRReadyCondition(sc as ServiceCIDR);
  return !!current && current.status === desired.status && (current.reason ?? '') === (desired.reason ?? '') && (current.message ?? '') === (desired.message ?? '');
}

/** Deleting ServiceCIDRs whose state may change when `changed` (a ServiceCIDR or IPAddress) does. */
export function deletingServiceCIDRs(all: readonly SC[]): string[] {
  return all.filter((sc) => !!sc.metadata.deletionTimestamp).map((sc) => sc.metadata.name ?? '');
}
