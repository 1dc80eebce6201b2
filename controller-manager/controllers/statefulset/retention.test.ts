/** persistentVolumeClaimRetentionPolicy owner references (upstream isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod). */
import { describe, expect, it } from 'vitest';
import type { StatefulSet } from '../../../pkg/api/apps/v1/statefulset.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import { claimIsStale, claimOwnerRefs, isClaimOwnerUpToDate } from './retention.ts';

const set = (whenDeleted: string, whenScaled: string, replicas = 2) => ({ metadata: { name: 'web', uid: 'set-uid' }, spec: { replicas, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } } }) as StatefulSet;
const pod = (ordinal: number, uid = `pod-${ordinal}`) => ({ metadata: { name: `web-${ordinal}`, uid } }) as Pod;
const claim = (owners: Record<string, unknown>[] = []) => ({ metadata: { name: 'www-web-1', ownerReferences: owners.length ? owners : undefined } }) as PersistentVolumeClaim;
const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
const podRef = (o: number, uid = `pod-${o}`) => ({ apiVersion: 'v1', kind: 'Pod', name: `web-${o}`, uid, controller: true, blockOwnerDeletion: true });

describe('claim owner references', () => {
  it.each([
    ['Retain/Retain in range', set('Retain', 'Retain'), pod(1), []],
    ['Retain/Retain scaled down', set('Retain', 'Retain', 1), pod(1), []],
    ['Delete/Retain in range', set('Delete', 'Retain'), pod(1), [setRef]],
    ['Delete/Retain scaled down', set('Delete', 'Retain', 1), pod(1), [setRef]],
    ['Retain/Delete in range', set('Retain', 'Delete'), pod(1), []],
    ['Retain/Delete scaled down', set('Retain', 'Delete', 1), pod(1), [podRef(1)]],
    ['Delete/Delete in range', set('Delete', 'Delete'), pod(1), [setRef]],
    ['Delete/Delete scaled down', set('Delete', 'Delete', 1), pod(1), [podRef(1)]],
  ])('%s', (_what, s, p, expected) => {
    expect(claimOwnerRefs(claim(), s, p)).toEqual(expected);
    expect(isClaimOwnerUpToDate(claim(), s, p)).toBe(expected.length === 0);
    expect(isClaimOwnerUpToDate(claim(expected), s, p)).toBe(true);
  });

  it('scrubs our references but leaves a foreign controller alone', () => {
    const foreign = { apiVersion: 'x/v1', kind: 'Other', name: 'o', uid: 'o-uid', controller: true };
    expect(claimOwnerRefs(claim([foreign, setRef]), set('Retain', 'Retain'), pod(1))).toEqual([foreign]);
    expect(isClaimOwnerUpToDate(claim([foreign]), set('Delete', 'Delete'), pod(1))).toBe(true);
  });

  it('a non-controller reference to the set is fixed', () => {
    const loose = { ...setRef, controller: undefined };
    expect(isClaimOwnerUpToDate(claim([loose]), set('Delete', 'Retain'), pod(1))).toBe(false);
    expect(claimOwnerRefs(claim([loose]), set('Delete', 'Retain'), pod(1))).toEqual([setRef]);
  });

  it('a claim owned by an earlier pod of that name is stale (whenScaled Delete only) and left alone', () => {
    const old = claim([podRef(1, 'old')]);
    expect(claimIsStale(set('Retain', 'Delete'), { metadata: { name: 'web-1' } } as Pod, old)).toBe(true);
    expect(claimIsStale(set('Retain', 'Retain'), { metadata: { name: 'web-1' } } as Pod, old)).toBe(false);
    expect(claimIsStale(set('Retain', 'Delete'), pod(1, 'old'), old)).toBe(false);
    expect(isClaimOwnerUpToDate(old, set('Retain', 'Delete'), pod(1))).toBe(true);
  });
});
