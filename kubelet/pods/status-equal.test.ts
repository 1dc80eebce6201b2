import { describe, expect, it } from 'vitest';
import { canonicalJson, statusUnchanged } from './status-equal.ts';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: null, b: undefined, c: 0 }, '{"c":0}'],
    [[{ y: 1, x: [{ d: null, c: 'v' }] }], '[{"x":[{"c":"v"}],"y":1}]'],
    [null, 'null'],
    ['s', '"s"'],
  ])('%j → %s', (value, json) => expect(canonicalJson(value)).toBe(json));
});

describe('statusUnchanged', () => {
  const condition = { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' };
  it.each([
    ['same fields in another key order', { phase: 'Running', containerStatuses: [{ name: 'c', ready: true }] }, { containerStatuses: [{ ready: true, name: 'c' }], phase: 'Running' }, true],
    ['null fields the API dropped', { conditions: [{ ...condition, lastProbeTime: null }] }, { conditions: [condition] }, true],
    ['fields the kubelet does not send are ignored', { phase: 'Running' }, { phase: 'Running', nominatedNodeName: 'n' }, true],
    ['a changed phase', { phase: 'Running' }, { phase: 'Pending' }, false],
    ['a condition the API lacks', { conditions: [condition] }, { conditions: [] }, false],
    ['no status in the API yet', { phase: 'Pending' }, undefined, false],
  ])('%s', (_name, wanted, current, expected) => expect(statusUnchanged(wanted as Record<string, unknown>, current as Record<string, unknown> | undefined)).toBe(expected));
});
