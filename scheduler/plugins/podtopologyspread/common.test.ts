import { describe, expect, it } from 'vitest';
import { selectorFromSet } from '../../../pkg/api/selectors/index.ts';
import { NodeInfo, newPodInfo } from '../../framework/index.ts';
import { requiredNodeAffinity } from '../helper/node-selector.ts';
import { resolvePodTopologySpreadArgs, SYSTEM_DEFAULT_CONSTRAINTS } from './args.ts';
import {
  buildDefaultConstraints,
  constraintsFor,
  nodePodCounter,
  countPodsMatchSelector,
  DO_NOT_SCHEDULE,
  filterTopologySpreadConstraints,
  matchNodeInclusionPolicies,
  SCHEDULE_ANYWAY,
  type DefaultConstraints,
} from './common.ts';
import { defaultSelector, type ServiceLike, type WorkloadSource } from './default-selector.ts';
import { onWeb, spreadNode, spreadPod } from './test-objects.ts';

describe('PodTopologySpreadArgs', () => {
  it('defaults to the system constraints', () => {
    expect(resolvePodTopologySpreadArgs(undefined)).toEqual({ constraints: SYSTEM_DEFAULT_CONSTRAINTS, systemDefaulted: true });
    expect(SYSTEM_DEFAULT_CONSTRAINTS).toEqual([
      { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
      { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
    ]);
  });

  it('List uses the configured constraints (possibly none)', () => {
    const c = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' };
    expect(resolvePodTopologySpreadArgs({ defaultingType: 'List', defaultConstraints: [c] })).toMatchObject({ constraints: [c], systemDefaulted: false });
    expect(resolvePodTopologySpreadArgs({ defaultingType: 'List' })).toEqual({ constraints: [], systemDefaulted: false });
  });

  it.each([
    [{ defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'defaultingType: Invalid value: "System": when .defaultConstraints are not empty'],
    [{ defaultingType: 'Other' }, 'defaultingType: Unsupported value: "Other": supported values: "System", "List"'],
    [{ defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)'],
    [{ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] }, 'defaultConstraints[0].topologyKey: Required value: can not be empty'],
    [{ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' }] }, 'defaultConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    [{ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] }, 'defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod'],
    [
      { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      'defaultConstraints[1]: Duplicate value: "{zone, DoNotSchedule}"',
    ],
    [{ unknownField: 1 }, 'Unrecognized key'],
  ])('%j is rejected', (args, message) => {
    expect(() => resolvePodTopologySpreadArgs(args)).toThrow(message);
  });
});

describe('filterTopologySpreadConstraints', () => {
  it('keeps the action, parses the selector and defaults minDomains and the inclusion policies', () => {
    const out = filterTopologySpreadConstraints([onWeb('zone', 2), onWeb('host', 1, { whenUnsatisfiable: 'ScheduleAnyway', minDomains: 3, nodeTaintsPolicy: 'Honor' })], {}, DO_NOT_SCHEDULE);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ maxSkew: 2, topologyKey: 'zone', minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' });
    expect(out[0]!.selector.toString()).toBe('app=web');
  });

  it.each([
    { name: 'adds present keys', keys: ['rev', 'missing'], labels: { rev: 'r1' }, want: 'app=web,rev=r1' },
    { name: 'no present key leaves the selector', keys: ['missing'], labels: { rev: 'r1' }, want: 'app=web' },
  ])('matchLabelKeys $name', ({ keys, labels, want }) => {
    const [c] = filterTopologySpreadConstraints([onWeb('zone', 1, { matchLabelKeys: keys })], labels, DO_NOT_SCHEDULE);
    expect(c!.selector.toString()).toBe(want);
  });

  it('a missing labelSelector selects nothing, even with matchLabelKeys', () => {
    const [c] = filterTopologySpreadConstraints([{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['rev'] }], { rev: 'a' }, DO_NOT_SCHEDULE);
    expect(c!.selector.matches({ rev: 'a' })).toBe(false);
  });

  it('an invalid selector is an error naming hard or soft constraints', () => {
    const pod = spreadPod({ constraints: [onWeb('zone', 1, { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Bad' }] } })] });
    const defaults: DefaultConstraints = { constraints: [], selectorFor: () => selectorFromSet({}) };
    expect(() => constraintsFor(pod, defaults, DO_NOT_SCHEDULE)).toThrow(`obtaining pod's hard topology spread constraints: "Bad" is not a valid label selector operator`);
  });
});

describe('default constraints', () => {
  const defaults = (selector: Record<string, string>): DefaultConstraints => ({ constraints: SYSTEM_DEFAULT_CONSTRAINTS, selectorFor: () => selectorFromSet(selector) });
  it('apply with the derived selector for their action only', () => {
    const pod = spreadPod({ labels: { app: 'web' } });
    expect(buildDefaultConstraints(pod, defaults({ app: 'web' }), DO_NOT_SCHEDULE)).toEqual([]);
    const soft = buildDefaultConstraints(pod, defaults({ app: 'web' }), SCHEDULE_ANYWAY);
    expect(soft.map((c) => [c.topologyKey, c.maxSkew, c.selector.toString()])).toEqual([
      ['kubernetes.io/hostname', 3, 'app=web'],
      ['topology.kubernetes.io/zone', 5, 'app=web'],
    ]);
  });
  it('do not apply when the pod belongs to nothing, nor when it has constraints of its own', () => {
    expect(buildDefaultConstraints(spreadPod(), defaults({}), SCHEDULE_ANYWAY)).toEqual([]);
    const own = spreadPod({ labels: { app: 'web' }, constraints: [onWeb('zone')] });
    expect(constraintsFor(own, defaults({ app: 'web' }), SCHEDULE_ANYWAY)).toEqual([]);
  });
});

describe('defaultSelector', () => {
  const services: ServiceLike[] = [{ spec: { selector: { app: 'web' } } }, { spec: { selector: { tier: 'fe' } } }, { spec: {} }, { spec: { selector: { app: 'db' } } }];
  const source: WorkloadSource = {
    servicesInNamespace: (ns) => (ns === 'default' ? services : []),
    replicaSet: (_ns, name) => (name === 'rs1' ? { spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'hash', operator: 'In', values: ['h1'] }] } } } : undefined),
  };
  it.each<{ name: string; pod: Parameters<typeof spreadPod>[0]; want: string }>([
    { name: 'services selecting the pod are merged', pod: { labels: { app: 'web', tier: 'fe' } }, want: 'app=web,tier=fe' },
    { name: 'nothing selects it', pod: { labels: { app: 'other' } }, want: '' },
    { name: 'other namespace', pod: { labels: { app: 'web' }, namespace: 'x' }, want: '' },
    { name: 'ReplicaSet requirements are added', pod: { labels: { app: 'web', hash: 'h1' }, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1' } }, want: 'app=web,app=web,hash in (h1)' },
    { name: 'unknown ReplicaSet', pod: { labels: { app: 'x' }, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone' } }, want: '' },
    { name: 'StatefulSet not served', pod: { labels: { app: 'x' }, owner: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'rs1' } }, want: '' },
  ])('$name', ({ pod, want }) => {
    expect(defaultSelector(spreadPod(pod), source).toString()).toBe(want);
  });
});

describe('countPodsMatchSelector and node inclusion', () => {
  const pods = [
    spreadPod({ name: 'a', labels: { app: 'web' } }),
    spreadPod({ name: 'b', labels: { app: 'web' }, namespace: 'other' }),
    spreadPod({ name: 'c', labels: { app: 'web' }, terminating: true }),
    spreadPod({ name: 'd', labels: { app: 'db' } }),
  ].map(newPodInfo);
  it.each([
    [{ app: 'web' }, 1],
    [{}, 0],
  ])('selector %j counts %i', (set, want) => expect(countPodsMatchSelector(pods, selectorFromSet(set), 'default')).toBe(want));

  it('per node: remembered per namespace and selector, counted again once the node gains or loses a pod', () => {
    const node = new NodeInfo(undefined, [spreadPod({ name: 'a', labels: { app: 'web' } }), spreadPod({ name: 'b', labels: { app: 'web' }, namespace: 'other' })]);
    const web = selectorFromSet({ app: 'web' });
    const count = (selector: ReturnType<typeof selectorFromSet>, ns: string) => nodePodCounter(selector, ns).count(node);
    expect(nodePodCounter(web, 'default')).toBe(nodePodCounter(selectorFromSet({ app: 'web' }), 'default'));
    expect(count(web, 'default')).toBe(1);
    expect(count(selectorFromSet({ app: 'web' }), 'other')).toBe(1);
    expect(count(selectorFromSet({ app: 'db' }), 'default')).toBe(0);
    const added = spreadPod({ name: 'c', labels: { app: 'web' } });
    node.addPod(added);
    expect(count(selectorFromSet({ app: 'web' }), 'default')).toBe(2);
    node.removePod(added);
    node.removePod(spreadPod({ name: 'a', labels: { app: 'web' } }));
    expect(count(web, 'default')).toBe(0);
    expect(count(selectorFromSet({}), 'default')).toBe(0);
  });

  it.each([
    { name: 'Honor affinity, node mismatches', policy: { nodeAffinityPolicy: 'Honor' }, nodeLabels: { disk: 'hdd' }, taints: [], tolerations: [], want: false },
    { name: 'Ignore affinity', policy: { nodeAffinityPolicy: 'Ignore' }, nodeLabels: { disk: 'hdd' }, taints: [], tolerations: [], want: true },
    { name: 'Honor taints, untolerated NoSchedule', policy: { nodeTaintsPolicy: 'Honor' }, nodeLabels: { disk: 'ssd' }, taints: [{ key: 'k', effect: 'NoSchedule' }], tolerations: [], want: false },
    { name: 'Honor taints, PreferNoSchedule ignored', policy: { nodeTaintsPolicy: 'Honor' }, nodeLabels: { disk: 'ssd' }, taints: [{ key: 'k', effect: 'PreferNoSchedule' }], tolerations: [], want: true },
    { name: 'Honor taints, tolerated', policy: { nodeTaintsPolicy: 'Honor' }, nodeLabels: { disk: 'ssd' }, taints: [{ key: 'k', effect: 'NoExecute' }], tolerations: [{ key: 'k', operator: 'Exists' }], want: true },
    { name: 'Ignore taints (default)', policy: {}, nodeLabels: { disk: 'ssd' }, taints: [{ key: 'k', effect: 'NoSchedule' }], tolerations: [], want: true },
  ])('$name → $want', ({ policy, nodeLabels, taints, tolerations, want }) => {
    const pod = spreadPod({ nodeSelector: { disk: 'ssd' }, tolerations });
    const [c] = filterTopologySpreadConstraints([onWeb('zone', 1, policy)], {}, DO_NOT_SCHEDULE);
    expect(matchNodeInclusionPolicies(c!, pod, spreadNode('n', nodeLabels, taints), requiredNodeAffinity(pod))).toBe(want);
  });
});
