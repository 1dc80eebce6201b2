/** The user-facing message of an unschedulable pod (upstream FitError.Error). */
import type { NodeToStatus } from './interfaces.ts';

/** Why scheduling failed: per-node statuses plus PreFilter/PostFilter messages. */
export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod (drive requeueing). */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Message of a PreFilter rejection ('' when PreFilter passed). */
  preFilterMsg: string;
  /** Message of the PostFilter (preemption) run. */
  postFilterMsg: string;
}

export function emptyDiagnosis(nodeToStatus: NodeToStatus): Diagnosis {
  return { nodeToStatus, unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/**
 * `0/N nodes are available: <reasons>.` — with a PreFilter message, that message; otherwise a
 * histogram of per-node reasons (nodes without an explicit status count with the absent-nodes
 * status), each `"<count> <reason>"`, sorted as strings and joined with ", ", followed by ".";
 * then the PostFilter message as is (preemption's message is itself a FitError message).
 */
export function fitErrorMessage(numAllNodes: number, d: Pick<Diagnosis, 'nodeToStatus' | 'preFilterMsg' | 'postFilterMsg'>): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const status of d.nodeToStatus.statuses.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.nodeToStatus.absentNodesStatus) for (const r of d.nodeToStatus.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
