/**
 * The eviction manager's pod admission (upstream `managerImpl.Admit`): with no pressure every
 * pod is admitted; critical pods (static, mirror, or priority ≥ system-critical) always are;
 * under memory pressure alone, only BestEffort pods are refused (unless they tolerate the
 * `node.kubernetes.io/memory-pressure:NoSchedule` taint); under disk or PID pressure every pod
 * is. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { podQOSClass } from '../../pkg/api/core/v1/pod-status.ts';
import { CONFIG_SOURCE, isMirrorPod } from '../pods/static-pods.ts';
import { admissionMessage, EVICTED_REASON } from './messages.ts';
import type { PressureCondition } from './signals.ts';

/** Upstream `SystemCriticalPriority` (2 × 10⁹): pods at or above it are critical. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';

/** Whether a pod came from a file or URL rather than the API (upstream `IsStaticPod`). */
export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata.annotations?.[CONFIG_SOURCE];
  return source !== undefined && source !== 'api';
}

/** Upstream `IsCriticalPod`: static, mirror, or system-critical priority. */
export function isCriticalPod(pod: Pod): boolean {
  return isStaticPod(pod) || isMirrorPod(pod) || (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** Whether the tolerations tolerate the memory-pressure NoSchedule taint (no value). */
function toleratesMemoryPressure(pod: Pod): boolean {
  return (pod.spec?.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== 'NoSchedule') return false;
    if (t.key && t.key !== MEMORY_PRESSURE_TAINT) return false;
    return t.operator === 'Exists' || !t.value;
  });
}

/** Admit, or refuse with upstream's reason and message. */
export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

export function admitPod(pod: Pod, conditions: readonly PressureCondition[]): AdmitResult {
  if (conditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (conditions.length === 1 && conditions[0] === 'MemoryPressure') {
    if (podQOSClass(pod.spec ?? {}) !== 'BestEffort') return { admit: true };
    if (toleratesMemoryPressure(pod)) return { admit: true };
  }
  return { admit: false, reason: EVICTED_REASON, message: admissionMessage(conditions) };
}
