/**
 * The kubelet's admission of a pod it has not decided on yet (upstream `canAdmitPod`): the
 * eviction manager's handler first ({@link admitPod}), then the resource fit against the node's
 * allocatable ({@link insufficientResource}) — a critical pod is not refused for resources. A
 * refused pod never starts: the kubelet fails it with the verdict's reason and message. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { isCriticalPod, type AdmitResult } from '../eviction/admission.ts';
import { insufficientResourceMessage, type InsufficientResource } from './resource-fit.ts';

/** What the verdict weighs besides the pod. */
export interface AdmissionInput {
  /** The eviction manager's verdict; unset without eviction (no pressure, every pod admitted by it). */
  pressure: AdmitResult | undefined;
  /** The first resource the node lacks for the pod, undefined when it fits; asked only when it decides. */
  lacking(): InsufficientResource | undefined;
}

/** Admit, or refuse with the eviction manager's reason or `OutOf<resource>` and upstream's message. */
export function canAdmitPod(pod: Pod, input: AdmissionInput): AdmitResult {
  const { pressure } = input;
  if ((pressure && !pressure.admit) || isCriticalPod(pod)) return pressure ?? { admit: true };
  const lacking = input.lacking();
  return lacking ? { admit: false, reason: `OutOf${lacking.name}`, message: insufficientResourceMessage(lacking) } : { admit: true };
}
