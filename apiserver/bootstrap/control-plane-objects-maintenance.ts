/**
 * What the API server keeps re-ensuring after bootstrap, as upstream's kube-apiserver does: the
 * `kubernetes` Service, Endpoints and EndpointSlice every 10 s (upstream's kubernetesservice
 * controller: a deleted Service comes back with its address; Endpoints and slice are pointed back
 * at this server) and the system namespaces every minute (upstream's systemnamespaces controller).
 */
import type { Logger } from 'pino';
import { runEveryAfterOnePeriod } from '../../pkg/util/periodic.ts';
import { realClock } from '../../pkg/workqueue/clock.ts';
import type { ServiceAllocators } from '../admission/service-allocators.ts';
import type { ServerPlugin } from '../server.ts';
import { ensureKubernetesService, ensureSystemNamespaces, type BootstrapOptions } from './bootstrap.ts';

/** Intervals (tests shorten them); 0 turns a loop off. */
export interface ControlPlaneObjectsMaintenanceOptions {
  /** `kubernetes` Service and endpoints sync period (default 10 s, upstream's `EndpointInterval`). */
  kubernetesServiceEveryMs?: number;
  /** System namespaces sync period (default 1 min, upstream's `SystemNamespacesInterval`). */
  systemNamespacesEveryMs?: number;
}

/**
 * Contract: the loops start one period after the server is built (bootstrap has just done both)
 * and stop at its `close()`; a failed pass is logged and tried again a period later. The
 * Service's ports and type are not corrected here (upstream corrects them at start only).
 */
export function controlPlaneObjectsMaintenancePlugin(bootstrap: BootstrapOptions & { allocators: ServiceAllocators; logger: Logger }, options: ControlPlaneObjectsMaintenanceOptions = {}): ServerPlugin {
  return (app) => {
    const abort = new AbortController();
    app.addHook('onClose', async () => abort.abort());
    const log = bootstrap.logger.child({ component: 'bootstrap' });
    const every = (name: string, intervalMs: number, pass: () => Promise<unknown>): void =>
      runEveryAfterOnePeriod({ name, intervalMs, clock: realClock, signal: abort.signal, log }, pass);
    every('kubernetes service sync', options.kubernetesServiceEveryMs ?? 10_000, () => ensureKubernetesService(bootstrap, undefined, { reconcileService: false }));
    every('system namespaces sync', options.systemNamespacesEveryMs ?? 60_000, () => ensureSystemNamespaces(bootstrap));
  };
}
