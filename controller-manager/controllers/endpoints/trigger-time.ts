/**
 * The `endpoints.kubernetes.io/last-change-trigger-time` annotation of Endpoints and
 * EndpointSlices (upstream `TriggerTimeTracker`): when the change a write reflects happened — a
 * new Service's creation, else the earliest pod Ready transition not seen by the previous sync
 * of that Service. Like upstream's, it can be wrong when one pod changes twice between syncs.
 */
import { ENDPOINTS_LAST_CHANGE_TRIGGER_TIME as LAST_CHANGE_TRIGGER_TIME } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

interface ServiceState {
  serviceTime: number;
  /** Pod name → its Ready condition's lastTransitionTime (ms) at the previous sync. */
  podTimes: Map<string, number>;
}

/** A timestamp and its text as stored. */
interface Stamp {
  ms: number;
  text: string;
}

function stamp(text: string | null | undefined): Stamp | undefined {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : { ms, text: text as string };
}

/**
 * Remembers what each Service's previous sync saw. Contract: {@link compute} is called once per
 * sync with the Service and its selected pods and returns the annotation's value, or undefined
 * when nothing since the last sync explains a change (the annotation then goes); {@link forget}
 * drops a deleted Service.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  compute(key: string, svc: DeepReadonly<Service>, pods: readonly DeepReadonly<Pod>[]): string | undefined {
    const previous = this.states.get(key);
    let earliest: Stamp | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const ready = stamp(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
      if (!ready) continue;
      podTimes.set(pod.metadata.name ?? '', ready.ms);
      if (ready.ms > (previous?.podTimes.get(pod.metadata.name ?? '') ?? Number.NEGATIVE_INFINITY) && (!earliest || ready.ms < earliest.ms)) earliest = ready;
    }
    const created = stamp(svc.metadata.creationTimestamp);
    const serviceTime = created?.ms ?? Number.NEGATIVE_INFINITY;
    if (created && created.ms > (previous?.serviceTime ?? Number.NEGATIVE_INFINITY) && (!earliest || created.ms < earliest.ms)) earliest = created;
    this.states.set(key, { serviceTime, podTimes });
    // A Service this tracker has not seen: its endpoints change because it was created.
    if (!previous) return created?.text;
    return earliest?.text;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}

/** `annotations` with the trigger time set, or removed when there is none (upstream `addTriggerTimeAnnotation`). */
export function withTriggerTime(annotations: Readonly<Record<string, string>> | undefined, time: string | undefined): Record<string, string> {
  const { [LAST_CHANGE_TRIGGER_TIME]: _old, ...rest } = annotations ?? {};
  return time ? { ...rest, [LAST_CHANGE_TRIGGER_TIME]: time } : rest;
}
