/**
 * The ServiceCIDRs as stored: what the ClusterIP allocator reads before each allocation (one
 * list, so every API server sees a ServiceCIDR as soon as it is written). While the default
 * `kubernetes` ServiceCIDR does not exist (before bootstrap writes it, or between its removal and
 * its re-creation) the flag's range stands in for it, as upstream's default-ServiceCIDR
 * controller re-creates it.
 */
import { DEFAULT_SERVICE_CIDR_NAME, type ServiceCIDR } from '../../pkg/api/networking/v1/servicecidr.ts';
import type { ServiceCidrSource } from './service-ip-allocator.ts';
import type { AdmissionContext } from './types.ts';

/** Storage coordinates of ServiceCIDR objects. */
export const SERVICE_CIDRS = { group: 'networking.k8s.io', plural: 'servicecidrs', namespaced: false } as const;

/** `stored`, plus a stand-in default ServiceCIDR of `defaultCidrs` when none is stored. Pure. */
export function withDefaultServiceCIDR(stored: readonly ServiceCIDR[], defaultCidrs: readonly string[]): ServiceCIDR[] {
  if (stored.some((sc) => sc.metadata.name === DEFAULT_SERVICE_CIDR_NAME)) return [...stored];
  return [{ metadata: { name: DEFAULT_SERVICE_CIDR_NAME }, spec: { cidrs: [...defaultCidrs] } }, ...stored];
}

export function storageServiceCidrSource(ctx: AdmissionContext, defaultCidrs: readonly string[]): ServiceCidrSource {
  const prefix = ctx.keyFor(SERVICE_CIDRS, undefined, '');
  return {
    async list() {
      return withDefaultServiceCIDR((await ctx.storage.list(prefix)).items as ServiceCIDR[], defaultCidrs);
    },
  };
}
