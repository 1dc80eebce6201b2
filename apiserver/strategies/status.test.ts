import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { noNewFinalizersWhileDeleting } from './object-meta.ts';
import { onlyStatusChange, statusWritableMetadata, withRequestedMetadata } from './status.ts';

const ALL = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

describe('statusWritableMetadata (upstream 1.33 status strategies)', () => {
  it.each([
    // Strategies that reset only the spec: every user-settable metadata field is taken.
    ['', 'Namespace', ALL],
    ['', 'ReplicationController', ALL],
    ['', 'Service', ALL],
    ['', 'Node', ALL],
    ['', 'PersistentVolumeClaim', ALL],
    ['', 'PersistentVolume', ALL],
    ['', 'ResourceQuota', ALL],
    ['apps', 'DaemonSet', ALL],
    ['apps', 'ReplicaSet', ALL],
    ['apps', 'StatefulSet', ALL],
    ['extensions', 'ReplicaSet', ALL],
    ['autoscaling', 'HorizontalPodAutoscaler', ALL],
    ['batch', 'CronJob', ALL],
    ['batch', 'Job', ALL],
    ['certificates.k8s.io', 'CertificateSigningRequest', ALL],
    ['networking.k8s.io', 'Ingress', ALL],
    ['networking.k8s.io', 'ServiceCIDR', ALL],
    ['policy', 'PodDisruptionBudget', ALL],
    // Exceptions.
    ['apps', 'Deployment', ['annotations', 'finalizers', 'ownerReferences']],
    ['extensions', 'Deployment', ['annotations', 'finalizers', 'ownerReferences']],
    ['', 'Pod', ['labels', 'annotations', 'finalizers']],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', ['finalizers']],
    ['apiregistration.k8s.io', 'APIService', []],
    ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', []],
    ['storage.k8s.io', 'VolumeAttachment', []],
    ['flowcontrol.apiserver.k8s.io', 'FlowSchema', []],
    ['flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration', []],
  ])('%s %s', (group, kind, expected) => {
    expect([...statusWritableMetadata({ group, kind })]).toEqual(expected);
  });

  it('takes nothing of a custom resource, whatever its group and kind', () => {
    expect(statusWritableMetadata({ group: 'apps', kind: 'ReplicaSet', customResource: true })).toEqual([]);
    expect(statusWritableMetadata({ group: 'example.com', kind: 'Widget', customResource: true })).toEqual([]);
  });
});

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' };
const stored: KubeObject = {
  metadata: { name: 'x', uid: 'u', resourceVersion: '5', labels: { a: '1' }, annotations: { n: 'old' }, finalizers: ['f'], ownerReferences: [owner] },
  spec: { s: 1 },
  status: { phase: 'Old' },
};
const requested: KubeObject = { metadata: { name: 'x', resourceVersion: '5', labels: { a: '2' }, finalizers: ['g'] }, spec: { s: 2 }, status: { phase: 'New' } };

describe('onlyStatusChange', () => {
  it('takes the status and the writable metadata; a writable field absent in the request goes', () => {
    const out = onlyStatusChange(requested, stored, ['annotations', 'finalizers', 'ownerReferences']);
    expect(out).toEqual({ metadata: { name: 'x', uid: 'u', resourceVersion: '5', labels: { a: '1' }, finalizers: ['g'] }, spec: { s: 1 }, status: { phase: 'New' } });
  });

  it('keeps all stored metadata when nothing is writable', () => {
    expect(onlyStatusChange(requested, stored).metadata).toMatchObject({ labels: { a: '1' }, annotations: { n: 'old' }, finalizers: ['f'], ownerReferences: [owner] });
  });

  it('withRequestedMetadata leaves both arguments alone', () => {
    const object = structuredClone(stored);
    const out = withRequestedMetadata(object, requested, ['labels']);
    expect(out.metadata.labels).toEqual({ a: '2' });
    expect(object).toEqual(stored);
    expect(out.metadata.labels).not.toBe(requested.metadata.labels);
  });
});

describe('noNewFinalizersWhileDeleting', () => {
  const deleting = { metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a'] } };
  it('allows removing finalizers and any change of an object not being deleted', () => {
    expect(noNewFinalizersWhileDeleting({ metadata: { name: 'x' } }, deleting)).toEqual([]);
    expect(noNewFinalizersWhileDeleting({ metadata: { name: 'x', finalizers: ['b'] } }, { metadata: { name: 'x', finalizers: ['a'] } })).toEqual([]);
  });
  it('refuses adding one, listing the new ones sorted', () => {
    expect(noNewFinalizersWhileDeleting({ metadata: { name: 'x', finalizers: ['a', 'z', 'b'] } }, deleting)).toEqual([
      { type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "z"}' },
    ]);
  });
});
