/** The scheduler cache and its per-cycle snapshot. */
export { Cache, type CacheOptions } from './cache.ts';
export { Snapshot } from './snapshot.ts';
export { numFeasibleNodesToFind, MIN_FEASIBLE_NODES_TO_FIND } from './feasible.ts';
