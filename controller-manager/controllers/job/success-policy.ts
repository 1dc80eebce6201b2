/** Upstream matchSuccessPolicy: the first rule met by the succeeded indexes, as its message. Pure. */
import type { JobSpec } from '../../../pkg/api/batch/v1/job.ts';
import { parseIndexes } from '../../../pkg/api/batch/v1/indexes.ts';

export function matchSuccessPolicy(policy: NonNullable<JobSpec['successPolicy']>, completions: number, succeeded: ReadonlySet<number>): string | undefined {
  for (const [i, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const wanted = parseIndexes(rule.succeededIndexes, completions);
      const met = wanted.filter((ix) => succeeded.has(ix)).length;
      if (rule.succeededCount === undefined ? met === wanted.length : met >= rule.succeededCount) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount !== undefined && succeeded.size >= rule.succeededCount) return `Matched rules at index ${i}`;
  }
  return undefined;
}
