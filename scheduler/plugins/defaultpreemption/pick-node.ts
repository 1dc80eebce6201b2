/**
 * Choosing the node to preempt on among candidates (upstream pickOneNodeForPreemption), in order:
 * fewest PodDisruptionBudget violations, lowest highest-priority victim, smallest sum of victim
 * priorities, fewest victims, latest start of the highest-priority victims, then the first.
 */
import { podPriority, type PodObject } from '../../framework/index.ts';
import { podStartTime } from './victims.ts';

/** A node where preemption would let the pod fit, with its victims (most important first). */
export interface Candidate {
  nodeName: string;
  victims: readonly PodObject[];
  numPDBViolations: number;
}

const INT32_OFFSET = 2 ** 31;

/** Earliest start among the victims sharing the highest priority (upstream GetEarliestPodStartTime). */
function earliestStartOfHighest(victims: readonly PodObject[]): number {
  if (victims.length === 0) return Number.NEGATIVE_INFINITY;
  const highest = podPriority(victims[0]!);
  let earliest = Number.POSITIVE_INFINITY;
  for (const v of victims) if (podPriority(v) === highest) earliest = Math.min(earliest, podStartTime(v) ?? Number.POSITIVE_INFINITY);
  return earliest === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : earliest;
}

const SCORES: ReadonlyArray<(c: Candidate) => number> = [
  (c) => -c.numPDBViolations,
  (c) => -(c.victims.length ? podPriority(c.victims[0]!) : Number.NEGATIVE_INFINITY),
  (c) => -c.victims.reduce((sum, v) => sum + podPriority(v) + INT32_OFFSET, 0),
  (c) => -c.victims.length,
  (c) => earliestStartOfHighest(c.victims),
];

/** The best candidate, or undefined for none. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  let remaining = [...candidates];
  for (const score of SCORES) {
    if (remaining.length <= 1) break;
    let best = Number.NEGATIVE_INFINITY;
    let kept: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    remaining = kept;
  }
  return remaining[0];
}
