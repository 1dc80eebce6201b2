/** How many feasible nodes to find before scoring (upstream numFeasibleNodesToFind). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
export const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;

/**
 * All nodes below 100; otherwise `percentage` of them (adaptive when 0: 50 − nodes/125, at
 * least 5 %), never fewer than 100.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentageOfNodesToScore;
  if (pct <= 0) {
    pct = BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}
