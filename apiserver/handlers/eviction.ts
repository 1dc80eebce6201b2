/**
 * `pods/<name>/eviction` (policy/v1 Eviction, what `kubectl drain` posts), as upstream's
 * EvictionREST: a pod no budget protects (finished, pending, deleting, or selected by no
 * PodDisruptionBudget) is deleted with the eviction's DeleteOptions. Otherwise the one budget
 * selecting it must allow a disruption: its `/status` is updated first (one disruption taken, the
 * pod recorded in `disruptedPods`, retried on conflict with fresh state), then the pod is
 * deleted (its status first gets the `DisruptionTarget` condition); a budget that allows none answers 429 TooManyRequests with upstream's message and
 * cause. Unready pods may go without taking a disruption when the budget is already met or says
 * `unhealthyPodEvictionPolicy: AlwaysAllow`. Two budgets selecting the pod are a 500, as upstream.
 */
import { z } from 'zod';
import { kubeObject, type KubeObject } from '../../pkg/api/meta.ts';
import { badRequest, internalError } from '../../pkg/errors/index.ts';
import { parseWriteOptions } from '../request/options.ts';
import { parseDeleteOptions } from '../strategies/deletion.ts';
import { rfc3339 } from '../strategies/time.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { decodeBody } from './decode-body.ts';
import { deleteObject } from './delete.ts';
import { budgetsForPod, canIgnoreBudget, checkAndDecrement, unhealthyPodMayGo, type BudgetView } from './eviction-budget.ts';
import { listObjects } from './read.ts';
import type { SubresourceRequest } from './subresources.ts';
import { updateObject } from './write-update.ts';

const EvictionSchema = kubeObject({ deleteOptions: z.record(z.string(), z.unknown()).optional() });
const evictionType = { group: 'policy', version: 'v1', kind: 'Eviction', schema: EvictionSchema };

/** The budgets of the pod's namespace that select it (none when budgets are not served). */
async function protectingBudgets(ctx: ServerContext, scope: RequestScope, pod: KubeObject): Promise<BudgetView[]> {
  const info = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!info) return [];
  const list = await listObjects(ctx, { ...scope, info, name: undefined, subresource: undefined }, { watch: false, allowWatchBookmarks: false, includeObject: 'Object' });
  return budgetsForPod(list.items as BudgetView[], pod);
}

/** Takes one disruption from the budget through its `/status` (fresh state on every attempt). */
async function takeDisruption(ctx: ServerContext, scope: RequestScope, pdb: BudgetView, podName: string, dryRun: boolean): Promise<void> {
  const info = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!info) return;
  const now = rfc3339(ctx.clock.now());
  if (dryRun) {
    checkAndDecrement(pdb, podName, now);
    return;
  }
  await updateObject(ctx, { ...scope, info, name: pdb.metadata.name, subresource: 'status' }, {
    dryRun: false,
    fieldManager: 'kube-apiserver',
    allowCreate: false,
    honourResourceVersion: true,
    alwaysRetryConflicts: true,
    // allowCreate is false: `current` is always the stored budget.
    compute: (current) => ({ object: { ...(current as KubeObject), status: checkAndDecrement(current as BudgetView, podName, now) } }),
  });
}

/**
 * Upstream addConditionAndDeletePod: the pod's status gets the `DisruptionTarget` condition
 * (reason EvictionByEvictionAPI) before it is deleted, so its controllers know why it went.
 */
async function markDisruptionTarget(ctx: ServerContext, scope: RequestScope): Promise<void> {
  const now = rfc3339(ctx.clock.now());
  await updateObject(ctx, { ...scope, subresource: 'status' }, {
    dryRun: false,
    fieldManager: 'kube-apiserver',
    allowCreate: false,
    honourResourceVersion: false,
    compute: (current) => {
      const pod = current as KubeObject & { status?: { conditions?: Array<Record<string, unknown>> } };
      const status = (pod.status ??= {});
      const conditions = (status.conditions ??= []);
      const condition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
      const i = conditions.findIndex((c) => c.type === condition.type);
      if (i < 0) conditions.push({ ...condition, lastTransitionTime: now });
      else conditions[i] = { ...conditions[i], ...condition, lastTransitionTime: conditions[i]!.status === 'True' ? conditions[i]!.lastTransitionTime : now };
      return { object: pod };
    },
  });
}

/** POST pods/<name>/eviction. */
export async function handleEviction(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest, pod: KubeObject): Promise<HandlerResult> {
  const options = parseWriteOptions(req.query, scope.userAgent, 'CreateOptions');
  const { object: eviction, warnings } = decodeBody(evictionType, req.body, req.contentType, options.fieldValidation);
  if (eviction.metadata.name && eviction.metadata.name !== scope.name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const deleteOptions = parseDeleteOptions((eviction as { deleteOptions?: Record<string, unknown> }).deleteOptions, {}, options.dryRun);
  if (!canIgnoreBudget(pod)) {
    const budgets = await protectingBudgets(ctx, scope, pod);
    if (budgets.length > 1) throw internalError(new Error('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
    const pdb = budgets[0];
    if (pdb && !unhealthyPodMayGo(pdb, pod)) await takeDisruption(ctx, scope, pdb, scope.name as string, options.dryRun);
  }
  if (!options.dryRun) await markDisruptionTarget(ctx, scope);
  await deleteObject(ctx, scope, scope.name as string, deleteOptions);
  return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, transformable: false, warnings };
}
