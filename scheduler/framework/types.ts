/** The object types the scheduler reads: read-only views of informer-cached Pods and Nodes. */
import type { Node } from '../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { DeepReadonly } from '../../pkg/informer/index.ts';

/** A pod as the scheduler sees it (never mutated in place; copy before writing). */
export type PodObject = DeepReadonly<Pod>;
/** A node as the scheduler sees it. */
export type NodeObject = DeepReadonly<Node>;
export type { Pod, Node, DeepReadonly };

/** `namespace/name` of a pod. */
export function podKey(pod: PodObject): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** The pod's UID (falls back to its key when the UID is unset, e.g. in unit tests). */
export function podUid(pod: PodObject): string {
  return pod.metadata?.uid || podKey(pod);
}

/** `spec.priority`, 0 when unset (upstream corev1helpers.PodPriority). */
export function podPriority(pod: PodObject): number {
  return pod.spec?.priority ?? 0;
}
