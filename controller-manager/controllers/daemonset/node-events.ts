/**
 * Which DaemonSets a node event concerns (upstream `addNode` / `updateNode`), pure: a new node
 * concerns the DaemonSets that should run on it; an update only those for which `shouldRun` or
 * `shouldContinueRunning` changed, and none when nothing but heartbeats or unchanged conditions
 * moved (`shouldIgnoreNodeUpdate`).
 */
import type { DaemonSet } from '../../../pkg/api/apps/v1/daemonset.ts';
import type { Node, NodeCondition } from '../../../pkg/api/core/v1/node.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';
import { daemonPlacement } from './should-run.ts';

type AnyNode = Node | DeepReadonly<Node>;
type DS = DeepReadonly<DaemonSet>;

/** Whether the conditions whose status is True are the same types (upstream `nodeInSameCondition`). */
export function nodeInSameCondition(old: readonly DeepReadonly<NodeCondition>[] | undefined, cur: readonly DeepReadonly<NodeCondition>[] | undefined): boolean {
  const trueTypes = (list: typeof old) => new Set((list ?? []).filter((c) => c.status === 'True').map((c) => c.type));
  const a = trueTypes(old);
  const b = trueTypes(cur);
  return a.size === b.size && [...a].every((t) => b.has(t));
}

/** Whether a node update cannot change where daemon pods belong (upstream `shouldIgnoreNodeUpdate`). */
export function shouldIgnoreNodeUpdate(old: AnyNode, cur: AnyNode): boolean {
  if (!nodeInSameCondition(old.status?.conditions, cur.status?.conditions)) return false;
  const strip = (n: AnyNode) => ({ ...n, metadata: { ...n.metadata, resourceVersion: undefined, managedFields: undefined }, status: { ...(n.status ?? {}), conditions: undefined } });
  return jsonEqual(strip(old), strip(cur));
}

/** The DaemonSets to sync after a node was added. */
export function daemonSetsForNewNode(node: AnyNode, daemonSets: readonly DS[]): DS[] {
  return daemonSets.filter((ds) => daemonPlacement(ds)(node).shouldRun);
}

/** The DaemonSets to sync after a node changed. */
export function daemonSetsForNodeUpdate(old: AnyNode, cur: AnyNode, daemonSets: readonly DS[]): DS[] {
  if (shouldIgnoreNodeUpdate(old, cur)) return [];
  return daemonSets.filter((ds) => {
    const placement = daemonPlacement(ds);
    const before = placement(old);
    const after = placement(cur);
    return before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning;
  });
}
