/** The binder's pure decisions: volume matching, claim and volume actions, reclaim policies. */
import { describe, expect, it } from 'vitest';
import { decideClaim, decideReclaim, decideVolume, defaultClass } from './decide.ts';
import { findBestMatch, volumeMismatch } from './match.ts';
import { pv, pvc, storageClass } from './test-objects.ts';

const A = 'Available';

describe('findBestMatch', () => {
  it.each([
    ['the smallest volume that is large enough', pvc('c', { size: '2Gi', class: '' }), [pv('small', { size: '1Gi', class: '', phase: A }), pv('big', { size: '10Gi', class: '', phase: A }), pv('fit', { size: '3Gi', class: '', phase: A })], false, 'fit'],
    ['access modes must be a superset', pvc('c', { modes: ['ReadWriteMany'], class: '' }), [pv('rwo', { phase: A, class: '' }), pv('rwx', { modes: ['ReadWriteOnce', 'ReadWriteMany'], phase: A, class: '' })], false, 'rwx'],
    ['fewer access modes first, then size', pvc('c', { class: '' }), [pv('many', { size: '1Gi', modes: ['ReadWriteOnce', 'ReadOnlyMany'], phase: A, class: '' }), pv('one', { size: '5Gi', phase: A, class: '' })], false, 'one'],
    ['"" class matches only ""', pvc('c', { class: '' }), [pv('fast', { class: 'fast', phase: A })], false, undefined],
    ['the same class', pvc('c', { class: 'fast' }), [pv('none', { phase: A }), pv('fast', { class: 'fast', phase: A })], false, 'fast'],
    ['not Available is skipped', pvc('c', { class: '' }), [pv('pending', { phase: 'Pending', class: '' }), pv('released', { phase: 'Released', class: '' })], false, undefined],
    ['the label selector', pvc('c', { class: '', selector: { tier: 'gold' } }), [pv('plain', { phase: A, class: '' }), pv('gold', { phase: A, class: '', labels: { tier: 'gold' } })], false, 'gold'],
    ['delayed binding picks nothing unbound', pvc('c', { class: 'local' }), [pv('l', { class: 'local', phase: A })], true, undefined],
    ['a volume pre-bound to the claim wins, even delayed', pvc('c', { class: 'x', uid: 'u1' }), [pv('other', { class: 'x', phase: A }), pv('mine', { class: 'y', size: '5Gi', phase: A, claimRef: { namespace: 'ns', name: 'c' } })], true, 'mine'],
    ['a pre-bound volume too small is not used', pvc('c', { size: '2Gi', class: '' }), [pv('mine', { phase: A, class: '', claimRef: { namespace: 'ns', name: 'c' } })], false, undefined],
    ['a volume claimed by another claim is skipped', pvc('c', { class: '' }), [pv('theirs', { phase: A, class: '', claimRef: { namespace: 'ns', name: 'other', uid: 'u9' } })], false, undefined],
  ])('%s', (_what, claim, volumes, delay, expected) => {
    expect(findBestMatch(claim, volumes, delay)?.metadata.name).toBe(expected);
  });

  it.each([
    [pv('v', { size: '1Gi', class: '' }), pvc('c', { size: '2Gi', class: '' }), 'requested PV is too small'],
    [pv('v', { class: 'a' }), pvc('c', { class: 'b' }), 'storageClassName does not match'],
    [pv('v', { class: '' }), pvc('c', { class: '', modes: ['ReadWriteMany'] }), 'incompatible accessMode'],
    [pv('v', { class: '' }), pvc('c', { class: '' }), undefined],
  ])('volumeMismatch #%#', (volume, claim, expected) => {
    expect(volumeMismatch(volume, claim)).toBe(expected);
  });
});

describe('decideClaim', () => {
  const classes = new Map([
    ['wffc', storageClass('wffc', { mode: 'WaitForFirstConsumer' })],
    ['now', storageClass('now')],
    ['intree', storageClass('intree', { provisioner: 'kubernetes.io/no-provisioner', mode: 'Immediate' })],
  ]);
  const base = { volumes: [], classes, unscheduledPods: [], hasClass: true };
  it.each([
    ['no class, no volume', pvc('c', { class: '' }), { action: 'phase', phase: 'Pending', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } }],
    ['WaitForFirstConsumer without a selected node', pvc('c', { class: 'wffc' }), { action: 'phase', phase: 'Pending', event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' } }],
    ['WaitForFirstConsumer with a selected node provisions', pvc('c', { class: 'wffc', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }), { action: 'provision', provisioner: 'k8ts.io/hostpath' }],
    ['Immediate provisions', pvc('c', { class: 'now' }), { action: 'provision', provisioner: 'k8ts.io/hostpath' }],
    ['a missing class', pvc('c', { class: 'gone' }), { action: 'event', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gone" not found' } }],
    ['an in-tree provisioner that does not exist here', pvc('c', { class: 'intree' }), { action: 'event', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'no volume plugin matched name: kubernetes.io/no-provisioner' } }],
    ['a requested volume that does not exist', pvc('c', { class: '', volumeName: 'nope' }), { action: 'phase', phase: 'Pending' }],
    ['bound claim whose volume vanished', pvc('c', { volumeName: 'nope', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }), { action: 'phase', phase: 'Lost', event: { type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' }, eventOnChangeOnly: true }],
  ])('%s', (_what, claim, expected) => {
    expect(decideClaim({ ...base, claim })).toEqual(expected);
  });

  it('waits for named unscheduled pods', () => {
    expect(decideClaim({ ...base, claim: pvc('c', { class: 'wffc' }), unscheduledPods: ['a', 'b'] })).toMatchObject({ event: { reason: 'WaitForPodScheduled', message: 'waiting for pods a,b to be scheduled' } });
  });

  it('assigns the default class retroactively to a class-less claim', () => {
    const withDefault = new Map([...classes, ['std', storageClass('std', { isDefault: true })]]);
    expect(decideClaim({ ...base, classes: withDefault, hasClass: false, claim: pvc('c') })).toEqual({ action: 'assign-class', className: 'std' });
    expect(defaultClass([storageClass('x')])).toBeUndefined();
  });

  it('a requested volume claimed by someone else', () => {
    const volumes = [pv('v', { class: '', claimRef: { namespace: 'ns', name: 'other', uid: 'u2' } })];
    expect(decideClaim({ ...base, volumes, claim: pvc('c', { class: '', volumeName: 'v', uid: 'u1' }) })).toMatchObject({ action: 'phase', event: { reason: 'FailedBinding', message: 'volume "v" already bound to a different claim.' } });
  });

  it('a requested volume that does not fit', () => {
    const volumes = [pv('v', { class: 'other' })];
    expect(decideClaim({ ...base, volumes, claim: pvc('c', { class: '', volumeName: 'v' }) })).toMatchObject({ event: { reason: 'VolumeMismatch', message: 'Cannot bind to requested volume "v": storageClassName does not match' } });
  });
});

describe('decideVolume / decideReclaim', () => {
  const claim = pvc('c', { uid: 'u1', volumeName: 'v' });
  it.each([
    ['unclaimed', pv('v'), undefined, { action: 'phase', phase: 'Available' }],
    ['pre-bound without uid', pv('v', { claimRef: { namespace: 'ns', name: 'c' } }), undefined, { action: 'phase', phase: 'Available' }],
    ['bound both ways', pv('v', { claimRef: { namespace: 'ns', name: 'c', uid: 'u1' } }), claim, { action: 'phase', phase: 'Bound' }],
    ['claim gone', pv('v', { claimRef: { namespace: 'ns', name: 'c', uid: 'u1' } }), undefined, { action: 'reclaim' }],
    ['claim recreated with another uid', pv('v', { claimRef: { namespace: 'ns', name: 'c', uid: 'old' } }), claim, { action: 'reclaim' }],
    ['claim not yet pointing back', pv('v', { claimRef: { namespace: 'ns', name: 'c', uid: 'u1' } }), pvc('c', { uid: 'u1' }), { action: 'sync-claim', key: 'ns/c' }],
    ['claim bound elsewhere', pv('v', { claimRef: { namespace: 'ns', name: 'c', uid: 'u1' } }), pvc('c', { uid: 'u1', volumeName: 'w' }), { action: 'unbind' }],
  ])('%s', (_what, volume, c, expected) => {
    expect(decideVolume(volume, c)).toEqual(expected);
  });

  it.each([
    [pv('v', { policy: 'Retain' }), { action: 'retain' }],
    [pv('v', { policy: 'Delete', annotations: { 'pv.kubernetes.io/provisioned-by': 'k8ts.io/hostpath' } }), { action: 'external', provisioner: 'k8ts.io/hostpath' }],
    [pv('v', { policy: 'Delete' }), { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedDelete', message: 'error getting deleter volume plugin for volume "v": no deletable volume plugin matched' } }],
    [pv('v', { policy: 'Recycle' }), { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' } }],
  ])('reclaim #%#', (volume, expected) => {
    expect(decideReclaim(volume)).toEqual(expected);
  });
});
