/** The eviction API's budget rules: which budgets protect a pod, and checkAndDecrement's answers. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { budgetsForPod, canIgnoreBudget, checkAndDecrement, unhealthyPodMayGo, type BudgetView } from './eviction-budget.ts';

const NOW = '2026-01-01T00:00:00Z';
const pod = (phase: string, ready: boolean, labels: Record<string, string> = { app: 'web' }): KubeObject => ({ metadata: { name: 'p', labels }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
const budget = (status: Partial<NonNullable<BudgetView['status']>>, spec: BudgetView['spec'] = { selector: { matchLabels: { app: 'web' } } }, generation = 1): BudgetView => ({
  metadata: { name: 'b', generation },
  spec,
  status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, ...status },
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as ApiError).toStatus();
  }
  throw new Error('not refused');
};

describe('eviction budgets', () => {
  it.each([['Pending', true], ['Succeeded', true], ['Failed', true], ['Running', false]])('a %s pod ignores budgets: %s', (phase, ignored) => {
    expect(canIgnoreBudget(pod(phase as string, true))).toBe(ignored);
  });

  it('only budgets with a non-empty selector that picks the pod protect it', () => {
    const budgets = [budget({}), budget({}, { selector: {} }), budget({}, { selector: { matchLabels: { app: 'db' } } }), budget({}, {})];
    expect(budgetsForPod(budgets, pod('Running', true))).toEqual([budgets[0]]);
  });

  it('an unready pod may go when the budget is met or says AlwaysAllow', () => {
    expect(unhealthyPodMayGo(budget({ currentHealthy: 2 }), pod('Running', false))).toBe(true);
    expect(unhealthyPodMayGo(budget({ currentHealthy: 1 }), pod('Running', false))).toBe(false);
    expect(unhealthyPodMayGo(budget({ currentHealthy: 1 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }), pod('Running', false))).toBe(true);
    expect(unhealthyPodMayGo(budget({ currentHealthy: 2 }), pod('Running', true))).toBe(false);
  });

  it('takes one disruption and records the pod; the last one flips the condition', () => {
    const next = checkAndDecrement(budget({ disruptionsAllowed: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' }] }), 'p', NOW);
    expect(next).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { p: NOW }, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', lastTransitionTime: NOW }] });
  });

  it.each<[string, BudgetView, Record<string, unknown>]>([
    ['no disruptions allowed', budget({ disruptionsAllowed: 0 }), { code: 429, reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget b needs 2 healthy pods and has 3 currently' }] } }],
    ['not processed since its last change', budget({ disruptionsAllowed: 1 }, undefined, 2), { code: 429, details: { retryAfterSeconds: 10, causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget b is still being processed by the server.' }] } }],
    ['negative disruptions', budget({ disruptionsAllowed: -1 }), { code: 403, reason: 'Forbidden', message: 'poddisruptionbudget.policy "b" is forbidden: pdb disruptions allowed is negative' }],
  ])('refuses: %s', (_name, pdb, expected) => {
    expect(refusal(() => checkAndDecrement(pdb, 'p', NOW))).toMatchObject(expected);
  });
});
