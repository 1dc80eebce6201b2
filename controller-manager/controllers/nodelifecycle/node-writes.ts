/**
 * The node writes of the node lifecycle controller (thin I/O over the pure decisions): swapping
 * its taints on a fresh copy of the node with optimistic concurrency (upstream
 * `SwapNodeControllerTaint` / `RemoveTaintOffNode`, which retry on conflict).
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Client } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { applyTaintChanges, type TaintChanges } from './node-taints.ts';

/** Upstream `UpdateTaintBackoff` steps. */
const TAINT_UPDATE_ATTEMPTS = 5;

/**
 * Applies `changes` to the node's taints, stamping added ones with `timeAdded`. When the cached
 * node shows nothing would change, no request is made. Resolves true when the node was written,
 * false when there was nothing to do (or the node is gone); rejects after repeated conflicts or
 * on any other error.
 */
export async function swapNodeTaints(client: Client, cached: DeepReadonly<Node>, changes: TaintChanges, timeAdded: string): Promise<boolean> {
  if (!applyTaintChanges(cached.spec?.taints, changes, timeAdded)) return false;
  const name = cached.metadata.name as string;
  let lastError: unknown;
  for (let attempt = 0; attempt < TAINT_UPDATE_ATTEMPTS; attempt++) {
    let node: Node;
    try {
      node = await client.nodes.get(name);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    const taints = applyTaintChanges(node.spec?.taints, changes, timeAdded);
    if (!taints) return false;
    try {
      await client.nodes.update({ ...node, spec: { ...node.spec, taints } });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!isConflict(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}
