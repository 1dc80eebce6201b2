import { describe, expect, it } from 'vitest';
import { persistentVolumeClaimWarnings, persistentVolumeWarnings, storageClassWarnings } from './storage-warnings.ts';

describe('storage create warnings', () => {
  it('warns about the beta annotations, deprecated node labels and Recycle on a PersistentVolume', () => {
    expect(persistentVolumeWarnings({
      metadata: { annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow', 'volume.beta.kubernetes.io/mount-options': 'ro' } },
      spec: { persistentVolumeReclaimPolicy: 'Recycle', nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'beta.kubernetes.io/os' }, { key: 'kubernetes.io/os' }] }] } } },
    })).toEqual([
      'metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead',
      'metadata.annotations[volume.beta.kubernetes.io/mount-options]: deprecated since v1.31; use "mountOptions" attribute instead',
      'spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead',
      'spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.',
    ]);
    expect(persistentVolumeWarnings({ metadata: {}, spec: { persistentVolumeReclaimPolicy: 'Retain' } })).toEqual([]);
  });

  it('warns about a fractional byte value on a claim', () => {
    expect(persistentVolumeClaimWarnings({ metadata: {}, spec: { resources: { requests: { storage: '1500m' }, limits: { storage: '2Gi' } } } })).toEqual(['spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer']);
    expect(persistentVolumeClaimWarnings({ metadata: {}, spec: { resources: { requests: { storage: '1.5Gi' } } } })).toEqual([]);
  });

  it('warns about deprecated labels in a class\'s allowed topologies', () => {
    expect(storageClassWarnings({ allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone' }, { key: 'failure-domain.beta.kubernetes.io/zone' }] }] })).toEqual([
      'allowedTopologies[0].matchLabelExpressions[1].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    ]);
  });
});
