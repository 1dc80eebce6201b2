/**
 * `pods/<name>/eviction` (policy/v1 Eviction, what `kubectl drain` posts): deletes the pod with
 * the eviction's DeleteOptions unless a PodDisruptionBudget selecting it allows no disruption
 * (429 TooManyRequests with upstream's message). The budget's `status.disruptionsAllowed` is
 * maintained by the disruption controller; without one, budgets are not consulted.
 */
import { z } from 'zod';
import { kubeObject, type KubeObject, type LabelSelector } from '../../pkg/api/meta.ts';
import { ApiError, badRequest } from '../../pkg/errors/index.ts';
import { parseWriteOptions } from '../request/options.ts';
import { compileLabelSelector } from '../request/selectors.ts';
import { parseDeleteOptions } from '../strategies/deletion.ts';
import { formatLabelSelector } from '../strategies/scale.ts';
import type { HandlerResult, RequestScope, ServerContext } from './context.ts';
import { decodeBody } from './decode-body.ts';
import { deleteObject } from './delete.ts';
import { listObjects } from './read.ts';
import type { SubresourceRequest } from './subresources.ts';

const EvictionSchema = kubeObject({ deleteOptions: z.record(z.string(), z.unknown()).optional() });
const evictionType = { group: 'policy', version: 'v1', kind: 'Eviction', schema: EvictionSchema };

function tooManyRequests(message: string): ApiError {
  return new ApiError({ code: 429, reason: 'TooManyRequests', message, details: { causes: [{ reason: 'DisruptionBudget', message }] } });
}

/** PDBs in the pod's namespace whose selector matches it and that allow no disruption now. */
async function blockingBudget(ctx: ServerContext, scope: RequestScope, pod: KubeObject): Promise<KubeObject | undefined> {
  const pdbs = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!pdbs) return undefined;
  const list = await listObjects(ctx, { ...scope, info: pdbs, name: undefined, subresource: undefined }, { watch: false, allowWatchBookmarks: false, includeObject: 'Metadata' });
  for (const pdb of list.items) {
    const selector = (pdb.spec as { selector?: LabelSelector } | undefined)?.selector;
    if (!selector) continue;
    if (!compileLabelSelector(formatLabelSelector(selector) || undefined)(pod)) continue;
    const allowed = (pdb.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
    if (allowed <= 0) return pdb;
  }
  return undefined;
}

/** POST pods/<name>/eviction. */
export async function handleEviction(ctx: ServerContext, scope: RequestScope, req: SubresourceRequest, pod: KubeObject): Promise<HandlerResult> {
  const options = parseWriteOptions(req.query, scope.userAgent, 'CreateOptions');
  const { object: eviction, warnings } = decodeBody(evictionType, req.body, req.contentType, options.fieldValidation);
  if (eviction.metadata.name && eviction.metadata.name !== scope.name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const deleteOptions = parseDeleteOptions((eviction as { deleteOptions?: Record<string, unknown> }).deleteOptions, {}, options.dryRun);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Finished or not yet running pods are not protected by budgets (upstream canIgnorePDB).
  if (phase !== 'Succeeded' && phase !== 'Failed' && phase !== 'Pending' && !pod.metadata.deletionTimestamp) {
    const pdb = await blockingBudget(ctx, scope, pod);
    if (pdb) throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.");
  }
  await deleteObject(ctx, scope, scope.name as string, deleteOptions);
  return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, transformable: false, warnings };
}
