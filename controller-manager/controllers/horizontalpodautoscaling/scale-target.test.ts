/**
 * Resolving `spec.scaleTargetRef` to a resource as upstream's REST mapper does, with its error
 * wording (what FailedGetScale reports).
 */
import { describe, expect, it } from 'vitest';
import { coordinatesFor, groupOfApiVersion } from './scale-target.ts';

describe('scale target resolution', () => {
  it.each([
    ['apps/v1', 'apps'],
    ['v1', ''],
    [undefined, ''],
    ['example.com/v1alpha1', 'example.com'],
  ])('apiVersion %s → group %j', (apiVersion, group) => expect(groupOfApiVersion(apiVersion)).toBe(group));

  it('rejects a malformed apiVersion as schema.ParseGroupVersion does', () => {
    expect(() => groupOfApiVersion('a/b/c')).toThrow('unexpected GroupVersion string: a/b/c');
  });

  it('finds built-in kinds by group and kind, and names what it cannot map', () => {
    expect(coordinatesFor('apps', 'StatefulSet')).toMatchObject({ plural: 'statefulsets', version: 'v1' });
    expect(coordinatesFor('apps', 'ReplicaSet')).toMatchObject({ plural: 'replicasets' });
    expect(coordinatesFor('', 'ReplicationController')).toMatchObject({ plural: 'replicationcontrollers', version: 'v1' });
    expect(() => coordinatesFor('apps', 'Deploymnet')).toThrow('no matches for kind "Deploymnet" in group "apps"');
  });
});
