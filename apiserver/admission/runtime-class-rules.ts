/**
 * The pure decisions of the RuntimeClass admission plugin (upstream plugin/pkg/admission/runtimeclass):
 * what a pod that names a RuntimeClass gets (its overhead, node selector and tolerations), and
 * whether a pod's overhead agrees with its class. Every rejection carries upstream's message.
 */
import { compareQuantity } from '../../pkg/api/quantity.ts';
import type { PodToleration } from './default-toleration-seconds.ts';

/** The parts of a RuntimeClass the plugin reads. */
export interface RuntimeClassView {
  overhead?: { podFixed?: Record<string, string | number> | undefined } | undefined;
  scheduling?: { nodeSelector?: Record<string, string> | undefined; tolerations?: PodToleration[] | undefined } | undefined;
}

/** The parts of a pod spec the plugin reads and writes. */
export interface PodSpecRuntimeFields {
  runtimeClassName?: string | undefined;
  overhead?: Record<string, string | number> | undefined;
  nodeSelector?: Record<string, string> | undefined;
  tolerations?: PodToleration[] | undefined;
}

/** What the admit phase sets on the pod, or why it rejects it. */
export type RuntimeClassAdmission =
  | { overhead: Record<string, string | number> | undefined; nodeSelector: Record<string, string> | undefined; tolerations: PodToleration[] | undefined }
  | { error: string };

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
const OVERHEAD_WITHOUT_CLASS = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';

/** Upstream's not-found rejection. */
export function runtimeClassNotFound(name: string): string {
  return `pod rejected: RuntimeClass "${name}" not found`;
}

/** Semantic equality of resource lists: same names, equal quantities (`100m` = `0.1`); absent = empty. */
export function sameResourceList(a: Readonly<Record<string, string | number>> | undefined, b: Readonly<Record<string, string | number>> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b?.[k] !== undefined && compareQuantity(a![k]!, b[k]!) === 0);
}

const tolerationKey = (t: PodToleration) => `${t.key ?? ''}\u0000${t.effect ?? ''}`;

/**
 * Upstream `MergeTolerations(pod, class)`: the class's tolerations, then the pod's whose key and
 * effect the class does not already tolerate (a pod's duplicate key/effect pairs keep the last).
 */
export function mergeTolerations(pod: readonly PodToleration[] | undefined, fromClass: readonly PodToleration[] | undefined): PodToleration[] | undefined {
  const merged = [...(fromClass ?? [])];
  const classKeys = new Set(merged.map(tolerationKey));
  const podByKey = new Map<string, PodToleration>();
  for (const t of pod ?? []) podByKey.set(tolerationKey(t), t);
  for (const [k, t] of podByKey) if (!classKeys.has(k)) merged.push(t);
  return merged.length ? merged : undefined;
}

/**
 * The admit phase for a pod naming an existing class: the overhead is the class's `podFixed`
 * (a pod that already sets a different one is rejected), the class's node selector is merged into
 * the pod's (a key with another value is a conflict), and its tolerations are merged in.
 */
export function admitRuntimeClass(spec: Readonly<PodSpecRuntimeFields>, rc: Readonly<RuntimeClassView>): RuntimeClassAdmission {
  let overhead = spec.overhead;
  if (rc.overhead) {
    if (spec.overhead !== undefined && !sameResourceList(rc.overhead.podFixed, spec.overhead)) return { error: OVERHEAD_MISMATCH };
    overhead = rc.overhead.podFixed;
  }
  if (!rc.scheduling) return { overhead, nodeSelector: spec.nodeSelector, tolerations: spec.tolerations };
  const fromClass = rc.scheduling.nodeSelector;
  let nodeSelector = spec.nodeSelector ? { ...spec.nodeSelector } : fromClass && { ...fromClass };
  if (spec.nodeSelector) {
    for (const [key, value] of Object.entries(fromClass ?? {})) {
      const podValue = spec.nodeSelector[key];
      if (podValue !== undefined && podValue !== value) {
        return { error: `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${podValue}` };
      }
      nodeSelector![key] = value;
    }
  }
  if (nodeSelector && !Object.keys(nodeSelector).length && !spec.nodeSelector) nodeSelector = undefined;
  return { overhead, nodeSelector, tolerations: mergeTolerations(spec.tolerations, rc.scheduling.tolerations) };
}

/**
 * The validate phase: a pod's overhead must equal its class's `podFixed`, and a pod whose class
 * (or lack of one) defines no overhead may not set one. Undefined when the pod is fine.
 */
export function overheadProblem(spec: Readonly<PodSpecRuntimeFields>, rc: Readonly<RuntimeClassView> | undefined): string | undefined {
  if (rc?.overhead) return sameResourceList(rc.overhead.podFixed, spec.overhead) ? undefined : OVERHEAD_MISMATCH;
  return spec.overhead !== undefined ? OVERHEAD_WITHOUT_CLASS : undefined;
}
