/**
 * What the API server keeps doing after bootstrap for Service allocation, as upstream's
 * kube-apiserver does: the default ServiceCIDR is re-ensured every 10 s (re-created when a user
 * deleted it, made Ready again) and the ClusterIP/NodePort repair runs every 3 minutes (missing
 * IPAddresses re-created, leaked ones and stale NodePort reservations released).
 */
import { randomUUID } from 'node:crypto';
import { repairServiceAllocations } from '../admission/service-allocation-repair.ts';
import { runEveryAfterOnePeriod } from '../../pkg/util/periodic.ts';
import { realClock } from '../../pkg/workqueue/clock.ts';
import type { ServiceAllocators } from '../admission/service-allocators.ts';
import type { AdmissionContext } from '../admission/types.ts';
import type { ServerPlugin } from '../server.ts';
import { storageKey } from '../handlers/objects.ts';
import { ensureDefaultServiceCIDR } from './default-service-cidr.ts';
import { kubeTimestamp } from './objects.ts';

/** Intervals (tests shorten them); 0 turns a loop off. */
export interface ServiceAllocationMaintenanceOptions {
  /** Default ServiceCIDR sync period (default 10 s, upstream's). */
  defaultServiceCIDREveryMs?: number;
  /** Allocation repair period (default 3 min, upstream's). */
  repairEveryMs?: number;
  /** Minimum age of an allocation before repair may release it (default 60 s). */
  repairGraceMs?: number;
}

/**
 * Contract: the loops start one period after the server is built (bootstrap has just done both)
 * and stop at its `close()`; a failed pass is logged and tried again a period later; an
 * inconsistent default ServiceCIDR is reported once per process, not every pass.
 */
export function serviceAllocationMaintenancePlugin(allocators: ServiceAllocators, options: ServiceAllocationMaintenanceOptions = {}): ServerPlugin {
  return (app, server) => {
    const ctx: AdmissionContext = { storage: server.storage, keyFor: (info, namespace, name) => storageKey(info, namespace, name, server.keyPrefix) };
    const abort = new AbortController();
    app.addHook('onClose', async () => abort.abort());
    const log = allocators.logger;
    const every = (name: string, intervalMs: number, pass: () => Promise<void>): void =>
      runEveryAfterOnePeriod({ name, intervalMs, clock: realClock, signal: abort.signal, log }, pass);

    every('service allocation repair', options.repairEveryMs ?? 180_000, async () => {
      await repairServiceAllocations(ctx, allocators, { graceMs: options.repairGraceMs });
    });

    const silent = log.child({}, { level: 'silent' });
    let reported = false;
    every('default ServiceCIDR sync', options.defaultServiceCIDREveryMs ?? 10_000, async () => {
      const now = kubeTimestamp(server.clock.now().getTime());
      const action = await ensureDefaultServiceCIDR({
        ctx,
        cidrs: [allocators.ips.rangeText],
        meta: () => ({ uid: randomUUID(), creationTimestamp: now }),
        now,
        events: async (event) => {
          if (!reported) await allocators.events(event);
        },
        logger: reported ? silent : log,
      });
      reported = action === 'inconsistent';
    });
  };
}
