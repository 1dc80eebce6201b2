/**
 * The storage.k8s.io CSI kinds through real kubectl (the oldest and newest installed minor, each
 * against its own in-process control plane without controllers): csi-driver-nfs's CSIDriver
 * manifest applied verbatim and printed with upstream's columns and defaults, a CSINode, a
 * VolumeAttachment whose status only the `status` subresource changes, a CSIStorageCapacity,
 * `kubectl api-resources` for the group, `kubectl describe`, `kubectl explain`, strict field
 * validation, and 422s with upstream's messages (a changed
 * attachRequired — reported at upstream's `spec.attachedRequired` — a changed attachment spec,
 * an attachment without a source).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-csi-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  // kubernetes-csi/csi-driver-nfs deploy/csi-nfs-driverinfo.yaml
  'csi-nfs-driverinfo.yaml': `---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: nfs.csi.k8s.io
spec:
  attachRequired: false
  volumeLifecycleModes:
    - Persistent
  fsGroupPolicy: File
`,
  'csinode.yaml': `apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: node-1
spec:
  drivers:
  - name: nfs.csi.k8s.io
    nodeID: node-1
    topologyKeys: ["topology.kubernetes.io/zone"]
    allocatable:
      count: 16
`,
  'volumeattachment.yaml': `apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: csi-0123456789abcdef
spec:
  attacher: ebs.csi.aws.com
  nodeName: node-1
  source:
    persistentVolumeName: pvc-1
`,
  'no-source.yaml': `apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata:
  name: no-source
spec:
  attacher: ebs.csi.aws.com
  nodeName: node-1
  source: {}
`,
  'typo.yaml': `apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: typo.csi.k8s.io
spec:
  attachRequierd: false
`,
  'capacity.yaml': `apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata:
  name: csisc-zone-a
  namespace: kube-system
storageClassName: standard
nodeTopology:
  matchLabels:
    topology.kubernetes.io/zone: us-east-1a
capacity: 1024Gi
maximumVolumeSize: 16Ti
`,
};

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and the CSI kinds', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it("applies csi-driver-nfs's CSIDriver and prints it with upstream's defaults and columns", async () => {
    expect(await ok('apply', '-f', join(dir, 'csi-nfs-driverinfo.yaml'))).toBe('csidriver.storage.k8s.io/nfs.csi.k8s.io created\n');
    const out = table(await ok('get', 'csidrivers'));
    expect(out.header).toEqual(['NAME', 'ATTACHREQUIRED', 'PODINFOONMOUNT', 'STORAGECAPACITY', 'TOKENREQUESTS', 'REQUIRESREPUBLISH', 'MODES', 'AGE']);
    expect(out.row('nfs.csi.k8s.io')?.slice(0, 7)).toEqual(['nfs.csi.k8s.io', 'false', 'false', 'false', '<unset>', 'false', 'Persistent']);
    const spec = JSON.parse(await ok('get', 'csidriver', 'nfs.csi.k8s.io', '-o', 'jsonpath={.spec}'));
    expect(spec).toEqual({ attachRequired: false, fsGroupPolicy: 'File', podInfoOnMount: false, requiresRepublish: false, seLinuxMount: false, storageCapacity: false, volumeLifecycleModes: ['Persistent'] });
    expect(await ok('apply', '-f', join(dir, 'csi-nfs-driverinfo.yaml'))).toBe('csidriver.storage.k8s.io/nfs.csi.k8s.io unchanged\n');
  });

  it('lets mutable flags change (bumping the generation) and refuses a changed attachRequired with 422', async () => {
    expect(await ok('patch', 'csidriver', 'nfs.csi.k8s.io', '--type=merge', '-p', '{"spec":{"podInfoOnMount":true}}')).toBe('csidriver.storage.k8s.io/nfs.csi.k8s.io patched\n');
    expect(await ok('get', 'csidriver', 'nfs.csi.k8s.io', '-o', 'jsonpath={.metadata.generation}')).toBe('2');
    const changed = await run('patch', 'csidriver', 'nfs.csi.k8s.io', '--type=merge', '-p', '{"spec":{"attachRequired":true}}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('The CSIDriver "nfs.csi.k8s.io" is invalid: spec.attachedRequired: Invalid value: true: field is immutable\n');
  });

  it('serves the five storage.k8s.io/v1 resources in discovery', async () => {
    const text = await ok('api-resources', '--api-group=storage.k8s.io');
    const out = table(text);
    expect(text.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0])).toEqual(['csidrivers', 'csinodes', 'csistoragecapacities', 'storageclasses', 'volumeattachments']);
    expect(out.row('csistoragecapacities')).toEqual(['csistoragecapacities', '', 'storage.k8s.io/v1', 'true', 'CSIStorageCapacity']);
    expect(out.row('volumeattachments')).toEqual(['volumeattachments', '', 'storage.k8s.io/v1', 'false', 'VolumeAttachment']);
  });

  it('prints a CSINode with its driver count', async () => {
    expect(await ok('apply', '-f', join(dir, 'csinode.yaml'))).toBe('csinode.storage.k8s.io/node-1 created\n');
    const out = table(await ok('get', 'csinodes'));
    expect(out.header).toEqual(['NAME', 'DRIVERS', 'AGE']);
    expect(out.row('node-1')?.slice(0, 2)).toEqual(['node-1', '1']);
    const described = await ok('describe', 'csinode', 'node-1');
    expect(described).toMatch(/^Name:\s+node-1$/m);
    expect(described).toMatch(/^\s+nfs\.csi\.k8s\.io:$/m);
    expect(described).toMatch(/^\s+Node ID:\s+node-1$/m);
    expect(described).toMatch(/^\s+Count:\s+16$/m);
    expect(await ok('describe', 'csidriver', 'nfs.csi.k8s.io')).toMatch(/^\s+Attach Required:\s+false$/m);
  });

  it('creates a VolumeAttachment unattached; only the status subresource attaches it; the spec is immutable', async () => {
    expect(await ok('create', '-f', join(dir, 'volumeattachment.yaml'))).toBe('volumeattachment.storage.k8s.io/csi-0123456789abcdef created\n');
    let out = table(await ok('get', 'volumeattachments'));
    expect(out.header).toEqual(['NAME', 'ATTACHER', 'PV', 'NODE', 'ATTACHED', 'AGE']);
    expect(out.row('csi-0123456789abcdef')?.slice(0, 5)).toEqual(['csi-0123456789abcdef', 'ebs.csi.aws.com', 'pvc-1', 'node-1', 'false']);
    await ok('patch', 'volumeattachment', 'csi-0123456789abcdef', '--type=merge', '-p', '{"status":{"attached":true}}');
    expect(await ok('get', 'volumeattachment', 'csi-0123456789abcdef', '-o', 'jsonpath={.status.attached}')).toBe('false');
    await ok('patch', 'volumeattachment', 'csi-0123456789abcdef', '--subresource=status', '--type=merge', '-p', '{"status":{"attached":true,"attachmentMetadata":{"devicePath":"/dev/xvdba"}}}');
    out = table(await ok('get', 'volumeattachments'));
    expect(out.row('csi-0123456789abcdef')?.[4]).toBe('true');
    const changed = await run('patch', 'volumeattachment', 'csi-0123456789abcdef', '--type=merge', '-p', '{"spec":{"nodeName":"node-2"}}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/^The VolumeAttachment "csi-0123456789abcdef" is invalid: spec: Invalid value: storage\.VolumeAttachmentSpec\{Attacher:"ebs\.csi\.aws\.com", Source:storage\.VolumeAttachmentSource\{PersistentVolumeName:\(\*string\)\(0x[0-9a-f]+\), InlineVolumeSpec:\(\*core\.PersistentVolumeSpec\)\(nil\)\}, NodeName:"node-2"\}: field is immutable\n$/);
  });

  it('refuses an attachment without a source with 422', async () => {
    const res = await run('create', '-f', join(dir, 'no-source.yaml'));
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('The VolumeAttachment "no-source" is invalid: spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName\n');
  });

  it('prints a CSIStorageCapacity with its class and canonical capacity (no Age column, as upstream)', async () => {
    expect(await ok('apply', '-f', join(dir, 'capacity.yaml'))).toBe('csistoragecapacity.storage.k8s.io/csisc-zone-a created\n');
    const out = table(await ok('get', 'csistoragecapacities', '-A'));
    expect(out.header).toEqual(['NAMESPACE', 'NAME', 'STORAGECLASSNAME', 'CAPACITY']);
    expect(out.row('kube-system')).toEqual(['kube-system', 'csisc-zone-a', 'standard', '1Ti']);
    const changed = await run('patch', 'csistoragecapacity', 'csisc-zone-a', '-n', 'kube-system', '--type=merge', '-p', '{"storageClassName":"fast"}');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('The CSIStorageCapacity "csisc-zone-a" is invalid: storageClassName: Invalid value: "fast": field is immutable\n');
  });

  it('validates fields strictly and explains the kinds', async () => {
    const typo = await run('apply', '-f', join(dir, 'typo.yaml'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "spec.attachRequierd"');
    const explained = await ok('explain', 'csidriver.spec');
    expect(explained).toMatch(/KIND:\s+CSIDriver/);
    expect(explained).toMatch(/attachRequired\s+<boolean>/);
    expect(explained).toMatch(/volumeLifecycleModes\s+<\[\]string>/);
    expect(await ok('explain', 'volumeattachment.spec.source')).toMatch(/persistentVolumeName\s+<string>/);
  });

  it('deletes them', async () => {
    expect(await ok('delete', 'csidriver', 'nfs.csi.k8s.io')).toBe('csidriver.storage.k8s.io "nfs.csi.k8s.io" deleted\n');
    expect(await ok('delete', 'volumeattachment', '--all')).toBe('volumeattachment.storage.k8s.io "csi-0123456789abcdef" deleted\n');
  });
});
