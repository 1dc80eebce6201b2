/**
 * The kubelet's admission of a pod it has not decided on yet (upstream `canAdmitPod`, its handlers
 * in upstream's order): the eviction manager's ({@link admitPod}), the resource fit against the
 * node's allocatable ({@link insufficientResource}) — a critical pod is not refused for
 * resources —, then AppArmor ({@link admitAppArmor}). A refused pod never starts: the kubelet
 * fails it with the verdict's reason and message. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isCriticalPod, type AdmitResult } from '../eviction/admission.ts';
import { admitAppArmor } from './apparmor.ts';
import { insufficientResourceMessage, type InsufficientResource } from './resource-fit.ts';

/** What the verdict weighs besides the pod. */
export interface AdmissionInput {
  /** The eviction manager's verdict; unset without eviction (no pressure, every pod admitted by it). */
  pressure: AdmitResult | undefined;
  /** The first resource the node lacks for the pod, undefined when it fits; asked only when it decides. */
  lacking(): InsufficientResource | undefined;
  /** Whether the host enforces AppArmor. */
  appArmorEnabled: boolean;
}

/** Admit, or refuse with the eviction manager's reason or `OutOf<resource>` and upstream's message. */
export function canAdmitPod(pod: Pod, input: AdmissionInput): AdmitResult {
  const { pressure } = input;
  if (pressure && !pressure.admit) return pressure;
  if (!isCriticalPod(pod)) {
    const lacking = input.lacking();
    if (lacking) return { admit: false, reason: `OutOf${lacking.name}`, message: insufficientResourceMessage(lacking) };
  }
  return admitAppArmor(pod, input.appArmorEnabled);
}
