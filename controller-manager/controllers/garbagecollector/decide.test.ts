import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { decideDeletingOwner, decideDependent, type OwnerState } from './decide.ts';

const obj = (name: string, refs: Array<{ uid: string; block?: boolean }>, extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ metadata: { name, uid: `${name}-uid`, ownerReferences: refs.map((r) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: r.uid, uid: r.uid, blockOwnerDeletion: r.block })), ...extra } }) as KubeObject;

describe('decideDependent', () => {
  it.each([
    ['no owners', obj('a', []), [], false, { action: 'keep' }],
    ['owner present', obj('a', [{ uid: 'o1' }]), [['o1', 'present']], false, { action: 'keep' }],
    ['only owner gone → background delete', obj('a', [{ uid: 'o1' }]), [['o1', 'absent']], false, { action: 'delete', propagation: 'Background' }],
    ['only owner gone, has dependents → foreground', obj('a', [{ uid: 'o1' }]), [['o1', 'absent']], true, { action: 'delete', propagation: 'Foreground' }],
    ['one of two owners gone → drop the dangling ref', obj('a', [{ uid: 'o1' }, { uid: 'o2' }]), [['o1', 'absent'], ['o2', 'present']], false, { action: 'remove-refs', uids: ['o1'] }],
    ['owner deleting in foreground → delete', obj('a', [{ uid: 'o1' }]), [['o1', 'deleting-foreground']], false, { action: 'delete', propagation: 'Background' }],
    ['already deleting → keep', obj('a', [{ uid: 'o1' }], { deletionTimestamp: '2026-01-01T00:00:00Z' }), [['o1', 'absent']], false, { action: 'keep' }],
  ] as const)('%s', (_n, o, owners, hasDeps, want) => expect(decideDependent(o, new Map(owners as unknown as Array<[string, OwnerState]>), hasDeps)).toEqual(want));
});

describe('decideDeletingOwner', () => {
  const deleting = (finalizers: string[]) => obj('owner', [], { uid: 'o1', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers });
  it.each([
    ['foreground with blocking dependents → delete them', deleting(['foregroundDeletion']), [obj('d1', [{ uid: 'o1', block: true }])], { action: 'delete-dependents', names: ['d1'] }],
    ['foreground, only non-blocking left → finalizer off', deleting(['foregroundDeletion']), [obj('d1', [{ uid: 'o1', block: false }])], { action: 'remove-finalizer', finalizer: 'foregroundDeletion' }],
    ['foreground, blocking dependent already deleting → wait', deleting(['foregroundDeletion']), [obj('d1', [{ uid: 'o1', block: true }], { deletionTimestamp: 'x' })], { action: 'none' }],
    ['orphan with dependents → detach', deleting(['orphan']), [obj('d1', [{ uid: 'o1' }])], { action: 'orphan-dependents', names: ['d1'] }],
    ['orphan done → finalizer off', deleting(['orphan']), [], { action: 'remove-finalizer', finalizer: 'orphan' }],
  ] as const)('%s', (_n, owner, deps, want) => expect(decideDeletingOwner(owner, deps)).toEqual(want));
});
