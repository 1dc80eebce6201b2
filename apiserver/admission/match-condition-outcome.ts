/**
 * How a list of match conditions decides, for webhooks and ValidatingAdmissionPolicies alike
 * (upstream's matchconditions.Matcher): any condition false → no match at once; otherwise any
 * evaluation failure → the failures, aggregated as `[a, b]` when there are several; else a match.
 * Pure; `run` evaluates one condition (conditions naming `authorizer` resolve asynchronously)
 * and throws or rejects (with the failure's text) when it cannot. Conditions run one at a time.
 */
export type MatchConditionsOutcome = { matches: boolean } | { error: string };

export async function matchConditionsOutcome<C>(conditions: readonly C[], run: (condition: C) => unknown): Promise<MatchConditionsOutcome> {
  const errors: string[] = [];
  for (const condition of conditions) {
    try {
      if ((await run(condition)) === false) return { matches: false };
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 0) return { matches: true };
  return { error: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` };
}
