/**
 * The eviction manager's pod admission (upstream `managerImpl.Admit`): with no pressure every
 * pod is admitted; critical pods (static, mirror, or priority ≥ system-critical) always are;
 * under memory pressure alone, only BestEffort pods are refused (unless they tolerate the
 * `node.kubernetes.io/memory-pressure:NoSchedule` taint); under disk or PID pressure every pod
 * is. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { podQOSClass } from '../../pkg/api/core/v1/pod-status.ts';
import { toleratesTaint } from '../../pkg/api/core/v1/taints.ts';
import { SYSTEM_PRIORITY_CLASSES } from '../../pkg/api/scheduling/v1/priorityclass.ts';
import { isMirrorPod, isStaticPod } from '../pods/static-pods.ts';
import { admissionMessage, EVICTED_REASON } from './messages.ts';
import type { PressureCondition } from './signals.ts';

/** Upstream `SystemCriticalPriority` (system-cluster-critical's value): pods at or above it are critical. */
const SYSTEM_CRITICAL_PRIORITY = SYSTEM_PRIORITY_CLASSES['system-cluster-critical'];

/** The taint a node under memory pressure gets; a BestEffort pod tolerating it is admitted. */
const MEMORY_PRESSURE_TAINT = { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' };

/** Upstream `IsCriticalPod`: static, mirror, or system-critical priority. */
export function isCriticalPod(pod: Pod): boolean {
  return isStaticPod(pod) || isMirrorPod(pod) || (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** Admit, or refuse with upstream's reason and message. */
export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

export function admitPod(pod: Pod, conditions: readonly PressureCondition[]): AdmitResult {
  if (conditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (conditions.length === 1 && conditions[0] === 'MemoryPressure') {
    if (podQOSClass(pod.spec ?? {}) !== 'BestEffort') return { admit: true };
    if ((pod.spec?.tolerations ?? []).some((t) => toleratesTaint(t, MEMORY_PRESSURE_TAINT))) return { admit: true };
  }
  return { admit: false, reason: EVICTED_REASON, message: admissionMessage(conditions) };
}
