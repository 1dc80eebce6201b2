/**
 * Upstream flowcontrol v1 defaulting (pkg/apis/flowcontrol/v1/defaults.go): a FlowSchema's
 * matchingPrecedence 0 becomes 1000; a Limited level gets nominalConcurrencyShares 30 and
 * lendablePercent 0 when unset, queuing 64 queues / handSize 8 / queueLengthLimit 50 for zero
 * values; an `exempt` block gets zeros for its unset fields. Mutates in place, idempotent.
 */
import type { FlowSchema, PriorityLevelConfiguration } from './types.ts';

export const DEFAULT_MATCHING_PRECEDENCE = 1000;
export const DEFAULT_NOMINAL_CONCURRENCY_SHARES = 30;
export const DEFAULT_QUEUES = 64;
export const DEFAULT_HAND_SIZE = 8;
export const DEFAULT_QUEUE_LENGTH_LIMIT = 50;

export function applyFlowSchemaDefaults(fs: FlowSchema): void {
  if (!fs.spec.matchingPrecedence) fs.spec.matchingPrecedence = DEFAULT_MATCHING_PRECEDENCE;
}

export function applyPriorityLevelConfigurationDefaults(pl: PriorityLevelConfiguration): void {
  const { limited, exempt } = pl.spec;
  if (exempt) {
    exempt.nominalConcurrencyShares ??= 0;
    exempt.lendablePercent ??= 0;
  }
  if (!limited) return;
  limited.nominalConcurrencyShares ??= DEFAULT_NOMINAL_CONCURRENCY_SHARES;
  limited.lendablePercent ??= 0;
  const queuing = limited.limitResponse.queuing;
  if (queuing) {
    if (!queuing.handSize) queuing.handSize = DEFAULT_HAND_SIZE;
    if (!queuing.queues) queuing.queues = DEFAULT_QUEUES;
    if (!queuing.queueLengthLimit) queuing.queueLengthLimit = DEFAULT_QUEUE_LENGTH_LIMIT;
  }
}
