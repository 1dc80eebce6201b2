import { describe, expect, it } from 'vitest';
import { applyCSIDriverDefaults, csiDriverResource, validateCSIDriver, type CSIDriver } from './csidriver.ts';

function driver(spec: Record<string, unknown> = {}, name = 'nfs.csi.k8s.io'): CSIDriver {
  const obj = csiDriverResource.schema.parse({ metadata: { name }, spec });
  csiDriverResource.prepareForCreate?.(obj);
  applyCSIDriverDefaults(obj);
  return obj;
}
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('CSIDriver', () => {
  it('defaults every flag as upstream SetDefaults_CSIDriver', () => {
    expect(driver().spec).toEqual({
      attachRequired: true, podInfoOnMount: false, storageCapacity: false, fsGroupPolicy: 'ReadWriteOnceWithFSType',
      volumeLifecycleModes: ['Persistent'], requiresRepublish: false, seLinuxMount: false,
    });
    expect(driver({ attachRequired: false, volumeLifecycleModes: ['Ephemeral'], fsGroupPolicy: 'File' }).spec).toMatchObject({ attachRequired: false, volumeLifecycleModes: ['Ephemeral'], fsGroupPolicy: 'File' });
  });

  it('drops nodeAllocatableUpdatePeriodSeconds (its gate is off in 1.33)', () => {
    expect(driver({ nodeAllocatableUpdatePeriodSeconds: 30 }).spec.nodeAllocatableUpdatePeriodSeconds).toBeUndefined();
  });

  it('accepts the csi-driver-nfs manifest', () => {
    expect(validateCSIDriver(driver({ attachRequired: false, volumeLifecycleModes: ['Persistent'], fsGroupPolicy: 'File' }))).toEqual([]);
  });

  it.each([
    ['a name that is not a DNS subdomain', {}, 'NFS_driver', ['metadata.name: Invalid value: "NFS_driver": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
    ['an unknown fsGroupPolicy', { fsGroupPolicy: 'Always' }, 'd.example.com', ['spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", "ReadWriteOnceWithFSType"']],
    ['an unknown lifecycle mode', { volumeLifecycleModes: ['Persistent', 'Shared'] }, 'd.example.com', ['spec.volumeLifecycleModes: Unsupported value: "Shared": supported values: "Persistent", "Ephemeral"']],
    ['repeated audiences and bad expirations', { tokenRequests: [{ audience: 'a', expirationSeconds: 60 }, { audience: 'a' }, { audience: 'b', expirationSeconds: 2 ** 33 }] }, 'd.example.com', [
      'spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      'spec.tokenRequests[1].audience: Duplicate value: "a"',
      'spec.tokenRequests[2].expirationSeconds: Invalid value: 8589934592: may not specify a duration larger than 2^32 seconds',
    ]],
  ])('refuses %s', (_n, spec, name, expected) => {
    expect(show(validateCSIDriver(driver(spec, name)))).toEqual(expected);
  });

  it('keeps attachRequired and volumeLifecycleModes immutable (upstream paths, Go renderings); other flags may change', () => {
    const old = driver({ attachRequired: false });
    const next = driver({ attachRequired: true, volumeLifecycleModes: ['Persistent', 'Ephemeral'] });
    expect(show(validateCSIDriver(next, old))).toEqual([
      'spec.attachedRequired: Invalid value: true: field is immutable',
      'spec.volumeLifecycleModes: Invalid value: []storage.VolumeLifecycleMode{"Persistent", "Ephemeral"}: field is immutable',
    ]);
    expect(validateCSIDriver(driver({ attachRequired: false, podInfoOnMount: true, storageCapacity: true, fsGroupPolicy: 'None', requiresRepublish: true }), old)).toEqual([]);
  });
});
