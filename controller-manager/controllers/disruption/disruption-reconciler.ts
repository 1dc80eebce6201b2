/**
 * Reconciles one PodDisruptionBudget (upstream DisruptionController.sync): reads the selected pods
 * and their controllers from the caches, computes the status with `budget.ts` and writes it
 * through `/status` when it changed. A failed computation writes the fail-safe status (no
 * disruptions, condition SyncFailed) instead; a conflict is retried. Evicted pods are rechecked
 * when their disruption entry expires.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../../pkg/api/policy/v1/poddisruptionbudget.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES, type Client } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import type { EventRecorder, ReconcileContext, ReconcileRequest, Reconciler, Result } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { budgetStatus, countHealthy, disruptedPodMap, expectedCounts, failSafeStatus, type ScaleFinder } from './budget.ts';

/** What the reconciler reads (informer caches), writes (the API) and reports (events) through. */
export interface DisruptionDeps {
  client: Client;
  budgets: Lister<PodDisruptionBudget>;
  pods: Lister<Pod>;
  findScale: ScaleFinder;
  recorder: EventRecorder;
  clock: Clock;
}

/** RFC 3339 with seconds, as metav1.Time serialises. */
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The pods of a budget's namespace its selector picks (a nil selector picks none). */
export function podsForBudget(pdb: DeepReadonly<PodDisruptionBudget>, pods: Lister<Pod>): DeepReadonly<Pod>[] {
  return pods.listInNamespace(pdb.metadata.namespace ?? '', fromLabelSelector(pdb.spec?.selector as never));
}

export class DisruptionReconciler implements Reconciler {
  constructor(private readonly deps: DisruptionDeps) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const pdb = this.deps.budgets.get(`${req.namespace}/${req.name}`);
    if (!pdb) return;
    const now = this.deps.clock.now();
    let status: PodDisruptionBudgetStatus | undefined;
    let recheckAtMs: number | undefined;
    try {
      ({ status, recheckAtMs } = this.compute(pdb, now));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.error({ pdb: `${req.namespace}/${req.name}`, err: message }, 'failed to sync pdb');
      status = failSafeStatus(pdb, message, rfc3339(now));
    }
    if (status) await this.write(pdb, status);
    return recheckAtMs !== undefined ? { requeueAfterMs: Math.max(0, recheckAtMs - now) } : undefined;
  }

  private compute(pdb: DeepReadonly<PodDisruptionBudget>, now: number): { status?: PodDisruptionBudgetStatus; recheckAtMs?: number } {
    const { recorder } = this.deps;
    // An unusable selector throws: the sync fails and the fail-safe status says why (as upstream).
    const pods = podsForBudget(pdb, this.deps.pods);
    if (!pods.length) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: ReturnType<typeof expectedCounts>;
    try {
      counts = expectedCounts(pdb, pods, this.deps.findScale);
    } catch (err) {
      recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(err as Error).message}`);
      throw err;
    }
    if (counts.unmanagedPods.length) {
      const selector = Object.entries(pdb.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${selector}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
    }
    const { disrupted, recheckAtMs, overdue } = disruptedPodMap(pdb, pods, now);
    for (const pod of overdue) recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`);
    const currentHealthy = countHealthy(pods, disrupted, now);
    const status = budgetStatus(pdb, { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount, disrupted }, rfc3339(now));
    return { status, recheckAtMs };
  }

  private async write(pdb: DeepReadonly<PodDisruptionBudget>, status: PodDisruptionBudgetStatus): Promise<void> {
    try {
      await this.deps.client.resource<PodDisruptionBudget>(BUILTIN_COORDINATES.podDisruptionBudgets).inNamespace(pdb.metadata.namespace ?? '').updateStatus({ ...copyJson(pdb as PodDisruptionBudget), status });
    } catch (err) {
      // Deleted meanwhile: nothing to do. A conflict (or anything else) is retried with fresh state.
      if (!isNotFound(err)) throw err;
    }
  }
}
