import { describe, expect, it } from 'vitest';
import type { NodeObject, PodObject } from '../../framework/index.ts';
import { matchesNodeSelectorTerm, matchesRequirement, requiredNodeAffinity } from './node-selector.ts';

const node = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } }) as NodeObject;

describe('matchesRequirement', () => {
  it.each([
    ['In', ['a', 'b'], 'a', true],
    ['In', ['a'], undefined, false],
    ['NotIn', ['a'], 'b', true],
    ['NotIn', ['a'], undefined, true],
    ['NotIn', ['a'], 'a', false],
    ['Exists', [], '', true],
    ['Exists', [], undefined, false],
    ['DoesNotExist', [], undefined, true],
    ['DoesNotExist', [], 'x', false],
    ['Gt', ['5'], '6', true],
    ['Gt', ['5'], '5', false],
    ['Lt', ['5'], '4', true],
    ['Lt', ['5'], 'four', false],
    ['Gt', ['1', '2'], '3', false],
    ['Bogus', ['a'], 'a', false],
  ] as const)('%s %j against %j → %s', (operator, values, value, want) => {
    expect(matchesRequirement({ key: 'k', operator, values: [...values] }, value)).toBe(want);
  });
});

describe('matchesNodeSelectorTerm', () => {
  const n = node('n1', { zone: 'a', disk: 'ssd' });
  it('ANDs expressions and fields, and an empty term matches nothing', () => {
    expect(matchesNodeSelectorTerm({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'Exists' }] }, n)).toBe(true);
    expect(matchesNodeSelectorTerm({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] }, n)).toBe(false);
    expect(matchesNodeSelectorTerm({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, n)).toBe(true);
    expect(matchesNodeSelectorTerm({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }] }, n)).toBe(false);
    expect(matchesNodeSelectorTerm({}, n)).toBe(false);
  });
});

describe('requiredNodeAffinity', () => {
  const pod = (spec: object) => ({ metadata: { name: 'p' }, spec }) as PodObject;
  it('requires every nodeSelector label and one matching term', () => {
    const both = requiredNodeAffinity(
      pod({
        nodeSelector: { disk: 'ssd' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      }),
    );
    expect(both.match(node('x', { disk: 'ssd', zone: 'a' }))).toBe(true);
    expect(both.match(node('x', { disk: 'hdd', zone: 'a' }))).toBe(false);
    expect(both.match(node('x', { disk: 'ssd', zone: 'c' }))).toBe(false);
    expect(requiredNodeAffinity(pod({})).match(node('x', {}))).toBe(true);
  });
});
