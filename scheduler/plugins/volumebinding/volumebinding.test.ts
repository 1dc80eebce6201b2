import { describe, expect, it } from 'vitest';
import type { NodeObject, PodObject } from '../../framework/index.ts';
import { checkBindings } from './check-bindings.ts';
import { classifyPodClaims, type ClaimObject, type ClassObject, type VolumeObject } from './claims.ts';
import { ANN_BIND_COMPLETED, ANN_SELECTED_NODE } from '../../../pkg/volume/claims.ts';
import { schedulableAfterClaimChange, schedulableAfterClassChange } from './events.ts';
import { ERR_REASON_BIND_CONFLICT, ERR_REASON_NODE_CONFLICT, ERR_REASON_PV_NOT_EXIST, findPodVolumes, type VolumeLookups } from './find.ts';
import { allowedTopologiesFit, bindVolumeToClaim, eligibleNodes, findMatchingVolume } from './matching.ts';

const NS = 'default';

function pod(volumes: unknown[], name = 'p'): PodObject {
  return { metadata: { name, namespace: NS, uid: 'pod-uid' }, spec: { containers: [], volumes } } as unknown as PodObject;
}
const claimVol = (claimName: string) => ({ name: `v-${claimName}`, persistentVolumeClaim: { claimName } });

function claim(name: string, o: { cls?: string; size?: string; volumeName?: string; bound?: boolean; deleting?: boolean; phase?: string; annotations?: Record<string, string>; owner?: string; modes?: string[]; selector?: unknown } = {}): ClaimObject {
  const annotations = { ...(o.bound ? { [ANN_BIND_COMPLETED]: 'yes' } : {}), ...o.annotations };
  return {
    metadata: { name, namespace: NS, uid: `uid-${name}`, resourceVersion: '10', annotations, deletionTimestamp: o.deleting ? '2026-01-01T00:00:00Z' : undefined, ownerReferences: o.owner ? [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: o.owner, controller: true }] : undefined },
    spec: { storageClassName: o.cls, volumeName: o.volumeName, resources: { requests: { storage: o.size ?? '1Gi' } }, accessModes: o.modes ?? ['ReadWriteOnce'], selector: o.selector },
    status: { phase: o.phase ?? (o.bound ? 'Bound' : 'Pending') },
  } as unknown as ClaimObject;
}

function pv(name: string, o: { cls?: string; size?: string; node?: string; phase?: string; claimRef?: { name: string; namespace: string; uid?: string }; labels?: Record<string, string>; modes?: string[]; mode?: string } = {}): VolumeObject {
  return {
    metadata: { name, resourceVersion: '5', labels: o.labels },
    spec: {
      storageClassName: o.cls ?? 'local',
      capacity: { storage: o.size ?? '1Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      volumeMode: o.mode,
      claimRef: o.claimRef,
      nodeAffinity: o.node ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } : undefined,
    },
    status: { phase: o.phase ?? 'Available' },
  } as unknown as VolumeObject;
}

const sc = (name: string, o: { mode?: string; provisioner?: string; topologies?: unknown } = {}): ClassObject =>
  ({ metadata: { name }, provisioner: o.provisioner ?? 'kubernetes.io/no-provisioner', volumeBindingMode: o.mode ?? 'WaitForFirstConsumer', allowedTopologies: o.topologies }) as unknown as ClassObject;
const node = (name: string, labels: Record<string, string> = {}): NodeObject => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } }) as unknown as NodeObject;

const CLASSES = new Map([
  ['local', sc('local')],
  ['fast', sc('fast', { mode: 'Immediate', provisioner: 'k8ts.io/hostpath' })],
  ['hostpath', sc('hostpath', { provisioner: 'k8ts.io/hostpath' })],
  ['zoned', sc('zoned', { provisioner: 'k8ts.io/hostpath', topologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }] })],
]);

describe('classifyPodClaims (PreFilter)', () => {
  const lookups = (claims: ClaimObject[]) => ({ claim: (_ns: string, n: string) => claims.find((c) => c.metadata?.name === n), storageClass: (n: string) => CLASSES.get(n) });
  it.each([
    ['no claims: none', pod([{ name: 'e', emptyDir: {} }]), [], { kind: 'none' }],
    ['missing claim', pod([claimVol('x')]), [], { kind: 'error', message: 'persistentvolumeclaim "x" not found' }],
    ['deleting claim', pod([claimVol('x')]), [claim('x', { cls: 'local', deleting: true })], { kind: 'error', message: 'persistentvolumeclaim "x" is being deleted' }],
    ['lost claim', pod([claimVol('x')]), [claim('x', { phase: 'Lost', volumeName: 'gone' })], { kind: 'error', message: 'persistentvolumeclaim "x" bound to non-existent persistentvolume "gone"' }],
    ['ephemeral not created yet', pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }]), [], { kind: 'error', message: 'waiting for ephemeral volume controller to create the persistentvolumeclaim "p-scratch"' }],
    ['ephemeral not owned', pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }]), [claim('p-scratch', { cls: 'local', owner: 'other' })], { kind: 'error', message: 'PVC default/p-scratch was not created for pod default/p (pod is not owner)' }],
  ])('%s', (_n, p, claims, expected) => {
    expect(classifyPodClaims(p, lookups(claims))).toEqual(expected);
  });

  it('sorts bound, WaitForFirstConsumer and immediate (no class, Immediate class, pre-bound) claims', () => {
    const claims = [claim('b', { bound: true, volumeName: 'pv-b' }), claim('w', { cls: 'local' }), claim('n'), claim('i', { cls: 'fast' }), claim('pre', { cls: 'local', volumeName: 'pv-x' }), claim('p-eph', { cls: 'local', owner: 'pod-uid' })];
    const out = classifyPodClaims(pod([claimVol('b'), claimVol('w'), claimVol('n'), claimVol('i'), claimVol('pre'), { name: 'eph', ephemeral: {} }]), lookups(claims));
    expect(out.kind).toBe('claims');
    if (out.kind !== 'claims') return;
    const names = (cs: ClaimObject[]) => cs.map((c) => c.metadata?.name);
    expect(names(out.claims.bound)).toEqual(['b']);
    expect(names(out.claims.delayBinding)).toEqual(['w', 'p-eph']);
    expect(names(out.claims.immediate)).toEqual(['n', 'i', 'pre']);
  });
});

describe('findMatchingVolume', () => {
  const n1 = node('n1');
  it.each([
    ['smallest fitting Available PV of the class', claim('c', { cls: 'local', size: '2Gi' }), [pv('big', { size: '10Gi' }), pv('small', { size: '1Gi' }), pv('mid', { size: '3Gi' })], 'mid'],
    ['other class is skipped', claim('c', { cls: 'other' }), [pv('a')], undefined],
    ['PV bound to another claim is skipped', claim('c', { cls: 'local' }), [pv('a', { claimRef: { name: 'x', namespace: NS } })], undefined],
    ['non-Available phase is skipped', claim('c', { cls: 'local' }), [pv('a', { phase: 'Released' })], undefined],
    ['node affinity elsewhere is skipped', claim('c', { cls: 'local' }), [pv('a', { node: 'n2' }), pv('b', { node: 'n1', size: '5Gi' })], 'b'],
    ['access modes must all be offered', claim('c', { cls: 'local', modes: ['ReadWriteMany'] }), [pv('a')], undefined],
    ['volume mode must match', claim('c', { cls: 'local' }), [pv('a', { mode: 'Block' })], undefined],
    ['selector must match labels', claim('c', { cls: 'local', selector: { matchLabels: { tier: 'gold' } } }), [pv('a'), pv('b', { labels: { tier: 'gold' }, size: '9Gi' })], 'b'],
    ['a PV pre-bound to the claim wins over a smaller one', claim('c', { cls: 'local' }), [pv('small'), pv('pre', { size: '9Gi', claimRef: { name: 'c', namespace: NS }, phase: 'Pending' })], 'pre'],
    ['a pre-bound PV whose affinity does not fit: no match at all', claim('c', { cls: 'local' }), [pv('small'), pv('pre', { node: 'n2', claimRef: { name: 'c', namespace: NS } })], undefined],
  ])('%s', (_n, c, volumes, expected) => {
    expect(findMatchingVolume(c, volumes, n1, new Set())?.metadata?.name).toBe(expected);
  });

  it('excluded PVs are not chosen twice', () => {
    expect(findMatchingVolume(claim('c', { cls: 'local' }), [pv('a'), pv('b', { size: '2Gi' })], n1, new Set(['a']))?.metadata?.name).toBe('b');
  });
});

describe('findPodVolumes (Filter)', () => {
  const lookups = (pvs: VolumeObject[]): VolumeLookups => ({
    volume: (n) => pvs.find((p) => p.metadata?.name === n),
    volumesOfClass: (c) => pvs.filter((p) => p.spec?.storageClassName === c),
    storageClass: (n) => CLASSES.get(n),
  });
  const none = { bound: [], delayBinding: [] };
  it.each([
    ['bound claim whose PV fits', { ...none, bound: [claim('b', { bound: true, volumeName: 'pv1' })] }, [pv('pv1', { node: 'n1' })], []],
    ['bound claim whose PV is on another node', { ...none, bound: [claim('b', { bound: true, volumeName: 'pv1' })] }, [pv('pv1', { node: 'n2' })], [ERR_REASON_NODE_CONFLICT]],
    ['bound claim whose PV is gone', { ...none, bound: [claim('b', { bound: true, volumeName: 'pv1' })] }, [], [ERR_REASON_PV_NOT_EXIST]],
    ['WFFC claim with a static PV on the node', { ...none, delayBinding: [claim('w', { cls: 'local' })] }, [pv('pv1', { node: 'n1' })], []],
    ['WFFC claim whose only PV is elsewhere, no-provisioner class', { ...none, delayBinding: [claim('w', { cls: 'local' })] }, [pv('pv1', { node: 'n2' })], [ERR_REASON_BIND_CONFLICT]],
    ['WFFC claim of a provisioning class', { ...none, delayBinding: [claim('w', { cls: 'hostpath' })] }, [], []],
    ['WFFC claim of a class whose allowedTopologies exclude the node', { ...none, delayBinding: [claim('w', { cls: 'zoned' })] }, [], [ERR_REASON_BIND_CONFLICT]],
    ['claim already selected for another node', { ...none, delayBinding: [claim('w', { cls: 'hostpath', annotations: { [ANN_SELECTED_NODE]: 'n2' } })] }, [], [ERR_REASON_BIND_CONFLICT]],
  ])('%s', (_n, claims, pvs, reasons) => {
    expect(findPodVolumes(claims, node('n1'), lookups(pvs)).reasons).toEqual(reasons);
  });

  it('two claims never share a PV; the one without a PV is provisioned', () => {
    const out = findPodVolumes({ bound: [], delayBinding: [claim('a', { cls: 'hostpath', size: '2Gi' }), claim('b', { cls: 'hostpath' })] }, node('n1'), lookups([pv('only', { cls: 'hostpath', size: '5Gi' })]));
    expect(out.reasons).toEqual([]);
    expect(out.podVolumes.staticBindings.map((b) => [b.claim.metadata?.name, b.pv.metadata?.name])).toEqual([['b', 'only']]);
    expect(out.podVolumes.dynamicProvisions.map((c) => c.metadata?.name)).toEqual(['a']);
  });

  it('allowedTopologies: no terms fit everything; a term needs every key', () => {
    expect(allowedTopologiesFit(sc('x'), {})).toBe(true);
    expect(allowedTopologiesFit(CLASSES.get('zoned')!, { zone: 'a' })).toBe(true);
    expect(allowedTopologiesFit(CLASSES.get('zoned')!, { zone: 'b' })).toBe(false);
  });
});

describe('bindVolumeToClaim (Reserve)', () => {
  it('sets claimRef and bound-by-controller on a free PV', () => {
    const { pv: out, dirty } = bindVolumeToClaim(pv('a'), claim('c', { cls: 'local' }));
    expect(dirty).toBe(true);
    expect(out.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: NS, name: 'c', uid: 'uid-c', apiVersion: 'v1', resourceVersion: '10' });
    expect(out.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
  });
  it('a PV pre-bound by the user gets the claim UID but no bound-by-controller', () => {
    const { pv: out, dirty } = bindVolumeToClaim(pv('a', { claimRef: { name: 'c', namespace: NS } }), claim('c', { cls: 'local' }));
    expect(dirty).toBe(true);
    expect(out.spec?.claimRef?.uid).toBe('uid-c');
    expect(out.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
  });
});

describe('checkBindings (PreBind wait)', () => {
  const n1 = node('n1');
  const base = { podExists: () => true, node: () => n1 };
  const provisioned = claim('w', { cls: 'hostpath', annotations: { [ANN_SELECTED_NODE]: 'n1' } });
  it.each([
    ['claim not bound yet', [claim('w', { cls: 'hostpath', annotations: { [ANN_SELECTED_NODE]: 'n1' } })], [], 'pending'],
    ['claim bound to a PV on the node', [claim('w', { cls: 'hostpath', bound: true, volumeName: 'pv1', annotations: { [ANN_SELECTED_NODE]: 'n1' } })], [pv('pv1', { node: 'n1' })], 'done'],
    ['provisioner dropped the selected node', [claim('w', { cls: 'hostpath' })], [], 'failed'],
    ['claim bound to a PV elsewhere', [claim('w', { cls: 'hostpath', bound: true, volumeName: 'pv1', annotations: { [ANN_SELECTED_NODE]: 'n1' } })], [pv('pv1', { node: 'n2' })], 'failed'],
  ])('provisioning: %s', (_n, claims, pvs, kind) => {
    const out = checkBindings({ staticBindings: [], dynamicProvisions: [provisioned] }, 'n1', { ...base, claim: (_ns, n) => claims.find((c) => c.metadata?.name === n), volume: (n) => pvs.find((p) => p.metadata?.name === n) });
    expect(out.kind).toBe(kind);
  });

  it('a deleted pod fails the wait', () => {
    expect(checkBindings({ staticBindings: [], dynamicProvisions: [] }, 'n1', { ...base, podExists: () => false, claim: () => undefined, volume: () => undefined })).toEqual({ kind: 'failed', message: 'pod does not exist any more' });
  });

  it('static binding: pending until the claim is bound, failed when the claimRef is reset', () => {
    const written = { staticBindings: [{ claim: claim('c', { cls: 'local' }), pv: pv('a', { claimRef: { name: 'c', namespace: NS, uid: 'uid-c' } }) }], dynamicProvisions: [] };
    const lookups = (c: ClaimObject, p: VolumeObject) => ({ ...base, claim: () => c, volume: () => p });
    expect(checkBindings(written, 'n1', lookups(claim('c', { cls: 'local' }), pv('a', { claimRef: { name: 'c', namespace: NS, uid: 'uid-c' } }))).kind).toBe('pending');
    expect(checkBindings(written, 'n1', lookups(claim('c', { cls: 'local', bound: true, volumeName: 'a' }), pv('a', { claimRef: { name: 'c', namespace: NS, uid: 'uid-c' } }))).kind).toBe('done');
    expect(checkBindings(written, 'n1', lookups(claim('c', { cls: 'local' }), pv('a')))).toEqual({ kind: 'failed', message: 'ClaimRef got reset for pv "a"' });
  });
});

describe('queueing hints', () => {
  const p = pod([claimVol('data'), { name: 'eph', ephemeral: {} }]);
  it.each([
    ['the pod\'s claim', claim('data'), 'Queue'],
    ['the pod\'s ephemeral claim', claim('p-eph'), 'Queue'],
    ['another claim', claim('other'), 'QueueSkip'],
    ['same name, other namespace', { ...claim('data'), metadata: { name: 'data', namespace: 'kube-system' } }, 'QueueSkip'],
  ])('claim change: %s', (_n, c, hint) => {
    expect(schedulableAfterClaimChange(p, undefined, c)).toBe(hint);
  });
  it('class change: add queues, only an allowedTopologies update queues', () => {
    expect(schedulableAfterClassChange(p, undefined, sc('a'))).toBe('Queue');
    expect(schedulableAfterClassChange(p, sc('a'), { ...sc('a'), parameters: { x: 'y' } })).toBe('QueueSkip');
    expect(schedulableAfterClassChange(p, sc('a'), CLASSES.get('zoned'))).toBe('Queue');
  });
});

describe('eligibleNodes (PreFilter result)', () => {
  const pinned = (name: string, terms: unknown[]) => ({ metadata: { name }, spec: { nodeAffinity: { required: { nodeSelectorTerms: terms } } } }) as unknown as VolumeObject;
  const host = (...values: string[]) => ({ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values }] });
  it.each([
    ['no bound PVs', [], undefined],
    ['an unpinned PV', [pv('a')], undefined],
    ['one PV on n1', [pv('a', { node: 'n1' })], ['n1']],
    ['terms union, PVs intersect', [pinned('a', [host('n1'), host('n2')]), pinned('b', [host('n2', 'n3')])], ['n2']],
    ['a term without a hostname expression: no restriction from that PV', [pinned('a', [host('n1'), { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }])], undefined],
    ['PVs on different nodes: no node', [pv('a', { node: 'n1' }), pv('b', { node: 'n2' })], []],
  ])('%s', (_n, pvs, expected) => {
    const out = eligibleNodes(pvs as VolumeObject[]);
    expect(out === undefined ? undefined : [...out].sort()).toEqual(expected);
  });
});
