import { describe, expect, it } from 'vitest';
import { Code, CycleState, NodeInfo, type Handle, type NodeObject, type NodeScore, type PodObject } from '../../framework/index.ts';
import { requiredNodeAffinity, type NodeSelectorTermLike } from '../helper/node-selector.ts';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, nodeAffinity, nodeAffinityFilterReason, preferredScore, requiredNodeNames, schedulableAfterNodeChange } from './index.ts';

type Affinity = NonNullable<NonNullable<PodObject['spec']>['affinity']>;
type Term = NodeSelectorTermLike;

const node = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } }) as NodeObject;
const pod = (o: { nodeSelector?: Record<string, string>; required?: Term[]; preferred?: { weight: number; preference: Term }[] } = {}) =>
  ({
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'x' }],
      nodeSelector: o.nodeSelector,
      affinity:
        o.required || o.preferred
          ? ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: o.required && { nodeSelectorTerms: o.required }, preferredDuringSchedulingIgnoredDuringExecution: o.preferred } } as Affinity)
          : undefined,
    },
  }) as PodObject;
const names = (...v: string[]): Term => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: v }] });
const label = (key: string, ...values: string[]): Term => ({ matchExpressions: [{ key, operator: 'In', values }] });

describe('requiredNodeNames (PreFilter)', () => {
  it.each([
    { name: 'no affinity', required: undefined, want: undefined },
    { name: 'no terms', required: [], want: undefined },
    { name: 'one term, one name', required: [names('n1')], want: ['n1'] },
    { name: 'terms are unioned', required: [names('n1'), names('n2', 'n3')], want: ['n1', 'n2', 'n3'] },
    { name: 'requirements within a term are intersected', required: [{ matchFields: [...names('n1', 'n2').matchFields!, ...names('n2', 'n3').matchFields!] }], want: ['n2'] },
    { name: 'a term without a name requirement lifts the restriction', required: [names('n1'), label('zone', 'a')], want: undefined },
    { name: 'NotIn does not restrict', required: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }], want: undefined },
    { name: 'disjoint requirements: nothing fits', required: [{ matchFields: [...names('n1').matchFields!, ...names('n2').matchFields!] }], want: [] },
  ])('$name', ({ required, want }) => {
    const got = requiredNodeNames(pod({ required }));
    expect(got && [...got].sort()).toEqual(want);
  });
});

describe('nodeAffinityFilterReason', () => {
  const ssd = node('n1', { storage: 'ssd', zone: 'a' });
  it.each([
    { name: 'no constraints', p: pod(), added: undefined, want: undefined },
    { name: 'nodeSelector matches', p: pod({ nodeSelector: { storage: 'ssd' } }), added: undefined, want: undefined },
    { name: 'nodeSelector value differs', p: pod({ nodeSelector: { storage: 'hdd' } }), added: undefined, want: ERR_REASON_POD },
    { name: 'nodeSelector ANDed with affinity', p: pod({ nodeSelector: { storage: 'ssd' }, required: [label('zone', 'b')] }), added: undefined, want: ERR_REASON_POD },
    { name: 'any required term suffices', p: pod({ required: [label('zone', 'b'), label('zone', 'a')] }), added: undefined, want: undefined },
    { name: 'matchFields on the name', p: pod({ required: [names('n2')] }), added: undefined, want: ERR_REASON_POD },
    { name: 'added affinity checked first', p: pod({ nodeSelector: { storage: 'hdd' } }), added: [label('zone', 'b')], want: ERR_REASON_ENFORCED },
    { name: 'added affinity matches', p: pod(), added: [label('zone', 'a')], want: undefined },
    { name: 'added affinity without terms matches nothing', p: pod(), added: [], want: ERR_REASON_ENFORCED },
  ])('$name', ({ p, added, want }) => {
    expect(nodeAffinityFilterReason(requiredNodeAffinity(p), added, ssd)).toBe(want);
  });

  it('reasons are the exact upstream strings', () => {
    expect([ERR_REASON_POD, ERR_REASON_ENFORCED, ERR_REASON_CONFLICT]).toEqual(["node(s) didn't match Pod's node affinity/selector", "node(s) didn't match scheduler-enforced node affinity", 'pod affinity terms conflict']);
  });

  it('a missing node fits nothing', () => {
    expect(nodeAffinityFilterReason(requiredNodeAffinity(pod()), undefined, undefined)).toBe(ERR_REASON_POD);
  });
});

describe('preferredScore', () => {
  const n = node('n1', { zone: 'a', disk: 'ssd' });
  it.each([
    { name: 'none', terms: undefined, want: 0 },
    { name: 'one match', terms: [{ weight: 5, preference: label('zone', 'a') }], want: 5 },
    { name: 'sum of matches only', terms: [{ weight: 5, preference: label('zone', 'a') }, { weight: 3, preference: label('disk', 'ssd') }, { weight: 7, preference: label('zone', 'b') }], want: 8 },
    { name: 'empty preference never matches', terms: [{ weight: 9, preference: {} }], want: 0 },
    { name: 'weight 0 ignored', terms: [{ weight: 0, preference: label('zone', 'a') }], want: 0 },
  ])('$name → $want', ({ terms, want }) => expect(preferredScore(terms, n)).toBe(want));
});

describe('schedulableAfterNodeChange', () => {
  const p = pod({ nodeSelector: { storage: 'ssd' } });
  it.each([
    { name: 'added node matches', old: undefined, now: node('n', { storage: 'ssd' }), added: undefined, want: 'Queue' },
    { name: 'added node does not match', old: undefined, now: node('n'), added: undefined, want: 'QueueSkip' },
    { name: 'label added', old: node('n'), now: node('n', { storage: 'ssd' }), added: undefined, want: 'Queue' },
    { name: 'matched before', old: node('n', { storage: 'ssd', x: '1' }), now: node('n', { storage: 'ssd' }), added: undefined, want: 'QueueSkip' },
    { name: 'added affinity rejects the node', old: node('n'), now: node('n', { storage: 'ssd' }), added: [label('zone', 'a')], want: 'QueueSkip' },
  ])('$name → $want', ({ old, now, added, want }) => expect(schedulableAfterNodeChange(p, old, now, added)).toBe(want));
});

describe('NodeAffinity plugin', () => {
  const handle = {} as Handle;
  const make = (args?: unknown) => nodeAffinity(args, handle) as ReturnType<typeof nodeAffinity> & Record<string, any>;
  const nodes = [node('n1', { zone: 'a' }), node('n2', { zone: 'b' })];

  it('PreFilter skips pods without constraints, unless addedAffinity is set', () => {
    expect(make().preFilter(new CycleState(), pod(), []).status.code).toBe(Code.Skip);
    expect(make({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [label('zone', 'a')] } } }).preFilter(new CycleState(), pod(), []).status.code).toBe(Code.Success);
  });

  it('PreFilter returns the node names, or unresolvable on conflicting terms', () => {
    const out = make().preFilter(new CycleState(), pod({ required: [names('n2')] }), []);
    expect(out.status.isSuccess()).toBe(true);
    expect([...out.result!.nodeNames!]).toEqual(['n2']);
    const conflict = make().preFilter(new CycleState(), pod({ required: [{ matchFields: [...names('n1').matchFields!, ...names('n2').matchFields!] }] }), []);
    expect(conflict.status.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(conflict.status.message()).toBe(ERR_REASON_CONFLICT);
  });

  it('Filter rejects unresolvably with the upstream reason (also without PreFilter)', () => {
    const pl = make();
    const p = pod({ nodeSelector: { zone: 'a' } });
    const state = new CycleState();
    pl.preFilter(state, p, []);
    expect(pl.filter(state, p, new NodeInfo(nodes[0])).isSuccess()).toBe(true);
    const st = pl.filter(state, p, new NodeInfo(nodes[1]));
    expect(st.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(st.message()).toBe(ERR_REASON_POD);
    expect(pl.filter(new CycleState(), p, new NodeInfo(nodes[1])).message()).toBe(ERR_REASON_POD);
  });

  it('PreScore skips without preferred terms; Score sums pod + added weights and normalizes', () => {
    expect(make().preScore(new CycleState(), pod(), []).code).toBe(Code.Skip);
    const pl = make({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: label('zone', 'b') }] } });
    const p = pod({ preferred: [{ weight: 6, preference: label('zone', 'a') }] });
    const state = new CycleState();
    expect(pl.preScore(state, p, []).isSuccess()).toBe(true);
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata!.name!, score: pl.score(state, p, new NodeInfo(n)) }));
    expect(scores.map((s) => s.score)).toEqual([6, 2]);
    pl.scoreExtensions!()!.normalizeScore(state, p, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 33]);
    expect(make({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: label('zone', 'a') }] } }).preScore(new CycleState(), pod(), []).code).toBe(Code.Success);
  });

  it('registers Node Add | UpdateNodeLabel', () => {
    const [ev, ...rest] = make().eventsToRegister();
    expect(rest).toEqual([]);
    expect(ev!.event).toEqual({ resource: 'Node', actionType: 1 | 8 });
  });

  it.each([
    [{ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Foo' }] }] } } }, /invalid NodeAffinity args: addedAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\.0\.matchExpressions\.0\.operator: Unsupported value: "Foo"/],
    [{ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] }] } } }, /values set can't be empty/],
    [{ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'n', operator: 'Gt', values: ['x'] }] }] } } }, /values\.0: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer/],
    [{ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'bad key!', operator: 'Exists' }] }] } } }, /matchExpressions\.0\.key: Invalid value: "bad key!"/],
    [{ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } }, /matchFields\.0\.values: Invalid value: \["a","b"\]: must have one element/],
    [{ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] } }] } }, /preferredDuringSchedulingIgnoredDuringExecution\.0\.matchFields\.0\.operator: Unsupported value: "Exists": supported values: "In", "NotIn"/],
    [{ addedAffinity: 'nope' }, /invalid NodeAffinity args: addedAffinity/],
  ])('bad args %# throw a readable Error', (args, message) => {
    expect(() => make(args)).toThrow(message);
  });

  it('accepts valid args (weight-0 preferred terms are not parsed)', () => {
    expect(() => make({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'k', operator: 'Foo' }] } }] } })).not.toThrow();
    expect(() => make({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeAffinityArgs', addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [label('zone', 'a'), names('n1')] } } })).not.toThrow();
  });
});
