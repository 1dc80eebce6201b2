import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { mirroredSliceMetadata, sliceGenerateName, sliceMetadataMatches } from './slice-metadata.ts';

const endpoints: Endpoints = {
  metadata: {
    name: 'ext',
    namespace: 'ns',
    uid: 'ep-uid',
    labels: { team: 'a', 'kubernetes.io/service-name': 'spoofed' },
    annotations: { note: 'x', 'endpoints.kubernetes.io/last-change-trigger-time': 't', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
} as Endpoints;

describe('mirroredSliceMetadata', () => {
  it('copies labels (service-name and managed-by set by the controller), drops the two annotations, is owned by the Endpoints', () => {
    expect(mirroredSliceMetadata(endpoints)).toEqual({
      labels: { team: 'a', 'kubernetes.io/service-name': 'ext', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' },
      annotations: { note: 'x' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: 'ext', uid: 'ep-uid', controller: true, blockOwnerDeletion: true }],
    });
  });
});

describe('sliceMetadataMatches', () => {
  const slice = (labels?: Record<string, string>, annotations?: Record<string, string>) => ({ metadata: { name: 'ext-abc', labels, annotations }, addressType: 'IPv4' }) as EndpointSlice;
  const { labels, annotations } = mirroredSliceMetadata(endpoints);
  it.each([
    ['as written', slice(labels, annotations), true],
    ['a label changed', slice({ ...labels, team: 'b' }, annotations), false],
    ['a label added', slice({ ...labels, extra: '1' }, annotations), false],
    ['an annotation missing', slice(labels, {}), false],
  ])('%s → %s', (_name, s, want) => expect(sliceMetadataMatches(endpoints, s)).toBe(want));

  it('treats missing and empty annotations alike', () => {
    const bare = { metadata: { name: 'e' } } as Endpoints;
    expect(sliceMetadataMatches(bare, slice(mirroredSliceMetadata(bare).labels, undefined))).toBe(true);
  });
});

describe('sliceGenerateName', () => {
  it('adds a dash unless the name is too long for one', () => {
    expect(sliceGenerateName('ext')).toBe('ext-');
    expect(sliceGenerateName('a'.repeat(253))).toBe('a'.repeat(253));
  });
});
