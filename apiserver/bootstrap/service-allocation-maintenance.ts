/**
 * What the API server keeps doing after bootstrap for Service allocation, as upstream's
 * kube-apiserver does: the default ServiceCIDR is re-ensured every 10 s (re-created when a user
 * deleted it, made Ready again) and the ClusterIP/NodePort repair runs every 3 minutes (missing
 * IPAddresses re-created, leaked ones and stale NodePort reservations released).
 */
import { randomUUID } from 'node:crypto';
import { startServiceAllocationRepair } from '../admission/service-allocation-repair.ts';
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
 * Contract: the loops start when the server is built and stop at its `close()`; a failed pass is
 * logged and tried again at the next tick; an inconsistent default ServiceCIDR is reported once
 * per process, not every tick.
 */
export function serviceAllocationMaintenancePlugin(allocators: ServiceAllocators, options: ServiceAllocationMaintenanceOptions = {}): ServerPlugin {
  return (app, server) => {
    const admissionCtx: AdmissionContext = { storage: server.storage, keyFor: (info, namespace, name) => storageKey(info, namespace, name, server.keyPrefix) };
    const abort = new AbortController();
    app.addHook('onClose', async () => abort.abort());
    const log = allocators.logger;
    const silent = log.child({}, { level: 'silent' });

    const repairEvery = options.repairEveryMs ?? 180_000;
    if (repairEvery > 0) startServiceAllocationRepair(admissionCtx, allocators, { intervalMs: repairEvery, graceMs: options.repairGraceMs, signal: abort.signal });

    const cidrEvery = options.defaultServiceCIDREveryMs ?? 10_000;
    if (cidrEvery <= 0) return;
    let reported = false;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      const now = kubeTimestamp(server.clock.now().getTime());
      ensureDefaultServiceCIDR({
        ctx: admissionCtx,
        cidrs: [allocators.ips.rangeText],
        meta: () => ({ uid: randomUUID(), creationTimestamp: now }),
        now,
        events: async (event) => {
          if (!reported) await allocators.events(event);
        },
        logger: reported ? silent : log,
      })
        .then((action) => (reported = action === 'inconsistent'))
        .catch((err: unknown) => log.warn({ err }, 'default ServiceCIDR sync failed'))
        .finally(() => (running = false));
    }, cidrEvery);
    timer.unref();
    abort.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  };
}
