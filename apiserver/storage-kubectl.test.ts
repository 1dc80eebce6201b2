/**
 * The storage API through real kubectl (the oldest and newest installed minor,
 * `KUBECTL_RANGE_ENDS`, each against its own in-process control plane without controllers, so
 * claims stay Pending): the kubernetes.io task manifests ("Configure a Pod to Use a
 * PersistentVolume for Storage") applied verbatim, `kubectl get` columns of PVs, claims and
 * StorageClasses as upstream 1.33 prints them, `kubectl describe`, the default StorageClass given
 * to a claim without a class, the protection finalizers, 422s with upstream's messages (missing
 * capacity, bad access mode, a changed claim spec), the Recycle deprecation warning, strict field
 * validation, `kubectl explain`, and the 403 of a resize the claim's class does not allow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner, kubectlTable as table } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-storage-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const TASK_PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: "/mnt/data"
`;

const TASK_PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 3Gi
`;

const CLASSES = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: k8ts.io/hostpath
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: expandable
provisioner: k8ts.io/hostpath
allowVolumeExpansion: true
reclaimPolicy: Retain
`;

const UNCLASSED_PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: growing
spec:
  storageClassName: expandable
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
`;

const NO_CAPACITY = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: no-capacity
spec:
  accessModes: ["ReadWriteOnce"]
  hostPath:
    path: /mnt/x
`;

const BAD_MODE = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: bad-mode
spec:
  accessModes: ["ReadWriteSometimes"]
  resources:
    requests:
      storage: 1Gi
`;

beforeAll(() => {
  const files: Record<string, string> = {
    'pv-volume.yaml': TASK_PV,
    'pv-claim.yaml': TASK_PVC,
    'pv-claim-rwx.yaml': TASK_PVC.replace('- ReadWriteOnce', '- ReadWriteMany'),
    'classes.yaml': CLASSES,
    'claims.yaml': UNCLASSED_PVC,
    'no-capacity.yaml': NO_CAPACITY,
    'bad-mode.yaml': BAD_MODE,
    'recycled.yaml': TASK_PV.replace('name: task-pv-volume', 'name: recycled').replace('  storageClassName: manual', '  storageClassName: manual\n  persistentVolumeReclaimPolicy: Recycle'),
    'typo.yaml': TASK_PV.replace('name: task-pv-volume', 'name: typo').replace('    path: "/mnt/data"', '    path: "/mnt/data"\n    kind: Directory'),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!minors.length).each(minors)('kubectl %s and the storage API', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the task PersistentVolume and claim verbatim and prints upstream columns', async () => {
    expect(await ok('apply', '-f', join(dir, 'pv-volume.yaml'))).toBe('persistentvolume/task-pv-volume created\n');
    expect(await ok('apply', '-f', join(dir, 'pv-claim.yaml'))).toBe('persistentvolumeclaim/task-pv-claim created\n');
    const pv = table(await ok('get', 'pv', 'task-pv-volume'));
    expect(pv.header).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(pv.row('task-pv-volume')?.slice(0, 9)).toEqual(['task-pv-volume', '10Gi', 'RWO', 'Retain', 'Pending', '', 'manual', '<unset>', '']);
    const pvWide = table(await ok('get', 'persistentvolumes', '-o', 'wide'));
    expect(pvWide.header.at(-1)).toBe('VOLUMEMODE');
    expect(pvWide.row('task-pv-volume')?.at(-1)).toBe('Filesystem');
    const pvc = table(await ok('get', 'pvc'));
    expect(pvc.header).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(pvc.row('task-pv-claim')?.slice(0, 7)).toEqual(['task-pv-claim', 'Pending', '', '', '', 'manual', '<unset>']);
    const pvcWide = table(await ok('get', 'pvc', 'task-pv-claim', '-o', 'wide'));
    expect(pvcWide.header).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE']);
    expect(await ok('apply', '-f', join(dir, 'pv-claim.yaml'))).toBe('persistentvolumeclaim/task-pv-claim unchanged\n');
  });

  it('stores the protection finalizers and a PV phase transition time', async () => {
    expect(await ok('get', 'pvc', 'task-pv-claim', '-o', 'jsonpath={.metadata.finalizers}')).toBe('["kubernetes.io/pvc-protection"]');
    const pv = await ok('get', 'pv', 'task-pv-volume', '-o', 'yaml');
    expect(pv).toContain('  - kubernetes.io/pv-protection\n');
    expect(pv).toMatch(/lastPhaseTransitionTime: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(pv).toContain('persistentVolumeReclaimPolicy: Retain');
  });

  it('marks a volume Available through /status, stamping the phase transition time', async () => {
    const before = await ok('get', 'pv', 'task-pv-volume', '-o', 'jsonpath={.status.lastPhaseTransitionTime}');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await ok('patch', 'pv', 'task-pv-volume', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Available"},"spec":{"capacity":{"storage":"1Gi"}}}');
    expect(table(await ok('get', 'pv')).row('task-pv-volume')?.slice(0, 5)).toEqual(['task-pv-volume', '10Gi', 'RWO', 'Retain', 'Available']);
    const after = await ok('get', 'pv', 'task-pv-volume', '-o', 'jsonpath={.status.lastPhaseTransitionTime}');
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it('validates fields strictly and explains the new kinds', async () => {
    const typo = await run('apply', '-f', join(dir, 'typo.yaml'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "spec.hostPath.kind"');
    const explained = await ok('explain', 'pv.spec.hostPath');
    expect(explained).toMatch(/KIND:\s+PersistentVolume/);
    expect(explained).toMatch(/path\s+<string>/);
    expect(await ok('explain', 'storageclass.allowVolumeExpansion')).toMatch(/FIELD:\s+allowVolumeExpansion\s+<boolean>/);
  });

  it('gives a claim without a class the default StorageClass, and prints classes as upstream', async () => {
    expect(await ok('apply', '-f', join(dir, 'classes.yaml'))).toBe('storageclass.storage.k8s.io/standard created\nstorageclass.storage.k8s.io/expandable created\n');
    expect(await ok('apply', '-f', join(dir, 'claims.yaml'))).toBe('persistentvolumeclaim/data created\npersistentvolumeclaim/growing created\n');
    expect(await ok('get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName}')).toBe('standard');
    const sc = table(await ok('get', 'sc'));
    expect(sc.header).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    expect(sc.row('standard (default)')?.slice(0, 5)).toEqual(['standard (default)', 'k8ts.io/hostpath', 'Delete', 'WaitForFirstConsumer', 'false']);
    expect(sc.row('expandable')?.slice(0, 5)).toEqual(['expandable', 'k8ts.io/hostpath', 'Retain', 'Immediate', 'true']);
  });

  it('describes PersistentVolumes, claims and StorageClasses', async () => {
    const pv = await ok('describe', 'pv', 'task-pv-volume');
    expect(pv).toMatch(/^Name:\s+task-pv-volume$/m);
    expect(pv).toMatch(/^StorageClass:\s+manual$/m);
    expect(pv).toMatch(/^Capacity:\s+10Gi$/m);
    expect(pv).toMatch(/^\s+Path:\s+\/mnt\/data$/m);
    const pvc = await ok('describe', 'pvc', 'task-pv-claim');
    expect(pvc).toMatch(/^Status:\s+Pending$/m);
    expect(pvc).toMatch(/^Finalizers:\s+\[kubernetes.io\/pvc-protection\]$/m);
    const sc = await ok('describe', 'sc', 'standard');
    expect(sc).toMatch(/^IsDefaultClass:\s+Yes$/m);
    expect(sc).toMatch(/^VolumeBindingMode:\s+WaitForFirstConsumer$/m);
  });

  it('warns about the deprecated Recycle policy', async () => {
    const res = await run('create', '-f', join(dir, 'recycled.yaml'));
    expect(res.stderr).toBe('Warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.\n');
    expect(res.stdout).toBe('persistentvolume/recycled created\n');
  });

  it('refuses invalid objects with 422 and upstream messages', async () => {
    const capacity = await run('apply', '-f', join(dir, 'no-capacity.yaml'));
    expect(capacity.code).toBe(1);
    expect(capacity.stderr).toContain('The PersistentVolume "no-capacity" is invalid: \n* spec.capacity: Required value\n* spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"');
    const mode = await run('create', '-f', join(dir, 'bad-mode.yaml'));
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain('The PersistentVolumeClaim "bad-mode" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
    const changed = await run('apply', '-f', join(dir, 'pv-claim-rwx.yaml'));
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('The PersistentVolumeClaim "task-pv-claim" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{\n- \tAccessModes: {"ReadWriteOnce"},\n+ \tAccessModes: {"ReadWriteMany"},\n');
  });

  it('lets a bound claim grow only when its class allows expansion', async () => {
    const bind = (name: string) => ok('patch', 'pvc', name, '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Bound","capacity":{"storage":"1Gi"}}}');
    for (const name of ['task-pv-claim', 'data', 'growing']) await bind(name);
    const grow = (name: string) => run('patch', 'pvc', name, '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}');
    for (const name of ['task-pv-claim', 'data']) {
      const refused = await grow(name);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`Error from server (Forbidden): persistentvolumeclaims "${name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n`);
    }
    const grown = await grow('growing');
    expect(grown.stdout).toBe('persistentvolumeclaim/growing patched\n');
    expect(await ok('get', 'pvc', 'growing', '-o', 'jsonpath={.spec.resources.requests.storage}')).toBe('5Gi');
  });
});
