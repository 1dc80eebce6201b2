import { describe, expect, it } from 'vitest';
import { applyVolumeAttachmentDefaults, validateVolumeAttachment, volumeAttachmentResource, type VolumeAttachment } from './volumeattachment.ts';

function va(spec: Record<string, unknown>, status?: Record<string, unknown>): VolumeAttachment {
  const obj = volumeAttachmentResource.schema.parse({ metadata: { name: 'csi-123' }, spec, status });
  applyVolumeAttachmentDefaults(obj);
  return obj;
}
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const base = { attacher: 'ebs.csi.aws.com', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } };

describe('VolumeAttachment', () => {
  it('starts unattached: create resets the status, defaulting keeps `attached`', () => {
    const obj = volumeAttachmentResource.schema.parse({ metadata: { name: 'x' }, spec: base, status: { attached: true } });
    volumeAttachmentResource.prepareForCreate?.(obj);
    applyVolumeAttachmentDefaults(obj);
    expect(obj.status).toEqual({ attached: false });
    expect(validateVolumeAttachment(obj)).toEqual([]);
  });

  it.each([
    ['no source', { ...base, source: {} }, ['spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName']],
    ['two sources', { ...base, source: { persistentVolumeName: 'pv', inlineVolumeSpec: { csi: { driver: 'd', volumeHandle: 'h' }, accessModes: ['ReadWriteOnce'] } } }, ['spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName']],
    ['an empty PV name', { ...base, source: { persistentVolumeName: '' } }, [
      'spec.source.persistentVolumeName: Required value: must specify non empty persistentVolumeName',
      expect.stringMatching(/^spec\.source\.persistentVolumeName: Invalid value: "": a lowercase RFC 1123 subdomain/),
    ]],
    ['an inline spec without CSI', { ...base, source: { inlineVolumeSpec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } } }, [
      'spec.source.inlineVolumeSpec.capacity: Forbidden: may not be specified in the context of inline volumes',
      'spec.source.inlineVolumeSpec.csi: Required value: has to be specified in the context of inline volumes',
    ]],
    ['no attacher and a bad node name', { ...base, attacher: '', nodeName: 'Node_1' }, [
      'spec.attacher: Required value',
      expect.stringMatching(/^spec\.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain/),
      'spec.attacher: Required value',
      expect.stringMatching(/^spec\.attacher: Invalid value: "": a lowercase RFC 1123 subdomain/),
    ]],
  ])('refuses %s', (_n, spec, expected) => {
    expect(show(validateVolumeAttachment(va(spec)))).toEqual(expected);
  });

  it('checks the status the external-attacher writes', () => {
    const obj = va(base, { attached: true, attachError: { message: 'x'.repeat(1025), errorCode: -1 } });
    expect(show(validateVolumeAttachment(obj, obj))).toEqual([
      'status.attachError.message: Too long: may not be more than 262144 bytes',
      'status.attachError.errorCode: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    ]);
  });

  it('keeps the spec immutable, printed as Go %#v of the internal struct', () => {
    const old = va(base);
    expect(show(validateVolumeAttachment(va({ ...base, nodeName: 'node-2' }), old))).toEqual([
      'spec: Invalid value: storage.VolumeAttachmentSpec{Attacher:"ebs.csi.aws.com", Source:storage.VolumeAttachmentSource{PersistentVolumeName:(*string)(0xc000b4e030), InlineVolumeSpec:(*core.PersistentVolumeSpec)(nil)}, NodeName:"node-2"}: field is immutable',
    ]);
    expect(validateVolumeAttachment(va(base, { attached: true }), old)).toEqual([]);
  });
});
