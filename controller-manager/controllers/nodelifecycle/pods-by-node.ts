/**
 * Pods by `spec.nodeName` from the manager's shared pod informer (upstream's `spec.nodeName`
 * indexer, shared by the node lifecycle and taint eviction controllers).
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import type { Manager } from '../../../pkg/runtime/index.ts';

export const POD_NODE_NAME_INDEX = 'spec.nodeName';

/** Lists the cached pods bound to a node. */
export type PodsOnNode = (nodeName: string) => DeepReadonly<Pod>[];

/** Adds the index to the shared pod informer (once per manager) and returns its lookup. */
export function podsOnNodeLookup(manager: Manager): PodsOnNode {
  const informer = manager.informer<Pod>(C.pods);
  try {
    informer.addIndexers({ [POD_NODE_NAME_INDEX]: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) });
  } catch (err) {
    // Another controller of this manager added the same index already.
    if (!(err instanceof Error && err.message.includes('indexer conflict'))) throw err;
  }
  const lister = informer.lister();
  return (nodeName) => lister.byIndex(POD_NODE_NAME_INDEX, nodeName);
}
