import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../pkg/api/core/v1/node.ts';
import { evictionTime, minTolerationMs, nextEvictionStep, noExecuteTaints, planEviction, type Toleration } from './eviction.ts';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' };
const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };
const tol = (key: string | undefined, seconds?: number, extra: Partial<Toleration> = {}): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }), ...extra });

describe('planEviction / evictionTime (when must this pod go?)', () => {
  const now = 1_000_000;
  it.each([
    ['no tolerations: at once', [unreachable], [], now],
    ['tolerates another taint only: at once', [unreachable], [tol('node.kubernetes.io/not-ready', 300)], now],
    ['tolerates one of two taints: at once', [unreachable, dedicated], [tol('node.kubernetes.io/unreachable')], now],
    ['tolerationSeconds 300: after 300 s', [unreachable], [tol('node.kubernetes.io/unreachable', 300)], now + 300_000],
    ['tolerationSeconds 0: at once', [unreachable], [tol('node.kubernetes.io/unreachable', 0)], now],
    ['negative tolerationSeconds: at once', [unreachable], [tol('node.kubernetes.io/unreachable', -5)], now],
    ['no tolerationSeconds: never', [unreachable], [tol('node.kubernetes.io/unreachable')], undefined],
    ['the shortest of the tolerations used', [unreachable, notReady], [tol('node.kubernetes.io/unreachable', 3600), tol('node.kubernetes.io/not-ready', 60)], now + 60_000],
    ['forever for one, 60 s for another: 60 s', [unreachable, notReady], [tol('node.kubernetes.io/unreachable'), tol('node.kubernetes.io/not-ready', 60)], now + 60_000],
    ['only the first matching toleration of a taint counts', [unreachable], [tol(undefined), tol('node.kubernetes.io/unreachable', 10)], undefined],
    ['empty key + Exists tolerates everything', [unreachable, dedicated], [tol(undefined, 120)], now + 120_000],
    ['Equal needs the value', [dedicated], [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoExecute' }], now],
    ['Equal with the value, no effect: never', [dedicated], [{ key: 'dedicated', operator: 'Equal', value: 'db' }], undefined],
    ['a NoSchedule toleration does not tolerate NoExecute', [unreachable], [tol('node.kubernetes.io/unreachable', undefined, { effect: 'NoSchedule' })], now],
  ] as const)('%s', (_name, taints, tolerations, want) => {
    expect(evictionTime(taints, tolerations, now)).toBe(want);
  });

  it('names the plan', () => {
    expect(planEviction([unreachable], [])).toEqual({ kind: 'evict-now' });
    expect(planEviction([unreachable], [tol('node.kubernetes.io/unreachable')])).toEqual({ kind: 'tolerate-forever' });
    expect(planEviction([unreachable], [tol('node.kubernetes.io/unreachable', 2)])).toEqual({ kind: 'evict-after', delayMs: 2000 });
  });

  it('minTolerationMs: 0 for none used, Infinity when none is bounded', () => {
    expect(minTolerationMs([])).toBe(0);
    expect(minTolerationMs([tol('a'), tol('b')])).toBe(Infinity);
    expect(minTolerationMs([tol('a', 7), tol('b', 3)])).toBe(3000);
  });

  it('noExecuteTaints keeps only NoExecute ones', () => {
    expect(noExecuteTaints([unreachable, { key: 'x', effect: 'NoSchedule' }, dedicated])).toEqual([unreachable, dedicated]);
    expect(noExecuteTaints(undefined)).toEqual([]);
  });
});

describe('nextEvictionStep', () => {
  const now = 10_000;
  it.each([
    ['evict now replaces any schedule', { kind: 'evict-now' }, { createdAt: 1000, fireAt: 99_000 }, { cancel: true, schedule: { createdAt: now, fireAt: now } }],
    ['tolerate forever cancels', { kind: 'tolerate-forever' }, { createdAt: 1000, fireAt: 99_000 }, { cancel: true }],
    ['first time: schedule from now', { kind: 'evict-after', delayMs: 5000 }, undefined, { cancel: false, schedule: { createdAt: now, fireAt: 15_000 } }],
    ['already scheduled earlier: keep it', { kind: 'evict-after', delayMs: 5000 }, { createdAt: 1000, fireAt: 6000 }, { cancel: false }],
    ['already scheduled now: reschedule from its start', { kind: 'evict-after', delayMs: 5000 }, { createdAt: now, fireAt: 12_000 }, { cancel: true, schedule: { createdAt: now, fireAt: 15_000 } }],
  ] as const)('%s', (_name, plan, existing, want) => expect(nextEvictionStep(plan, existing, now)).toEqual(want));
});
