/**
 * PersistentVolume validation (upstream ValidatePersistentVolume, ValidatePersistentVolumeSpec and
 * ValidatePersistentVolumeUpdate): capacity with `storage` only and positive, supported access
 * modes, exactly one volume source, a `local` volume only with node affinity, a supported reclaim
 * policy, class names as DNS subdomains; on update the source, the volume mode and a node
 * affinity once set are immutable. Messages and field paths as upstream, quirks included (the
 * immutable volume mode is reported under `volumeMode`, without `spec.`).
 */
import type { FieldError } from '../../../errors/index.ts';
import type { Quantity } from '../../meta.ts';
import { parseQuantity } from '../../quantity.ts';
import { deepEqual, validateImmutable } from '../../validation/common-rules.ts';
import { child, forbidden, invalidValue, key, notSupported, required } from '../../validation/field-errors.ts';
import { goStructDiff, type GoField } from '../../validation/go-diff.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import type { PersistentVolume, PersistentVolumeSpec } from './persistentvolume.ts';
import { validateHostPathSource, validatePathNoBacksteps } from './pod-validation-volumes.ts';
import { validateAccessModeValues, validateClassName, validateVolumeMode, validateVolumeNodeAffinity } from './storage-rules.ts';

/** Upstream supportedReclaimPolicy, sorted. */
export const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;

/** The sources in upstream's checking order, with the path its "more than 1" error names. */
const SOURCE_ORDER: readonly { key: keyof PersistentVolumeSpec; path: string }[] = [
  { key: 'hostPath', path: 'hostPath' }, { key: 'gcePersistentDisk', path: 'gcePersistentDisk' },
  { key: 'awsElasticBlockStore', path: 'awsElasticBlockStore' }, { key: 'glusterfs', path: 'glusterfs' },
  { key: 'flocker', path: 'flocker' }, { key: 'nfs', path: 'nfs' }, { key: 'rbd', path: 'rbd' },
  { key: 'quobyte', path: 'quobyte' }, { key: 'cephfs', path: 'cephFS' }, { key: 'iscsi', path: 'iscsi' },
  { key: 'cinder', path: 'cinder' }, { key: 'fc', path: 'fc' }, { key: 'flexVolume', path: 'flexVolume' },
  { key: 'azureFile', path: 'azureFile' }, { key: 'vsphereVolume', path: 'vsphereVolume' },
  { key: 'photonPersistentDisk', path: 'photonPersistentDisk' }, { key: 'portworxVolume', path: 'portworxVolume' },
  { key: 'azureDisk', path: 'azureDisk' }, { key: 'scaleIO', path: 'scaleIO' }, { key: 'local', path: 'local' },
  { key: 'storageos', path: 'storageos' }, { key: 'csi', path: 'csi' },
];

/** Go field names of PersistentVolumeSource, in its declaration order (for the immutability diff). */
const SOURCE_FIELDS: readonly GoField[] = [
  ['GCEPersistentDisk', 'gcePersistentDisk'], ['AWSElasticBlockStore', 'awsElasticBlockStore'], ['HostPath', 'hostPath'],
  ['Glusterfs', 'glusterfs'], ['NFS', 'nfs'], ['RBD', 'rbd'], ['Quobyte', 'quobyte'], ['ISCSI', 'iscsi'],
  ['FlexVolume', 'flexVolume'], ['Cinder', 'cinder'], ['CephFS', 'cephfs'], ['FC', 'fc'], ['Flocker', 'flocker'],
  ['AzureFile', 'azureFile'], ['VsphereVolume', 'vsphereVolume'], ['AzureDisk', 'azureDisk'],
  ['PhotonPersistentDisk', 'photonPersistentDisk'], ['PortworxVolume', 'portworxVolume'], ['ScaleIO', 'scaleIO'],
  ['Local', 'local'], ['StorageOS', 'storageos'], ['CSI', 'csi'],
].map(([goName, jsonName]) => ({ goName: goName!, jsonName: jsonName! }));

/** Go's `%#v` of a ResourceList, as upstream's "Unsupported value" for capacity prints it. */
export function goResourceList(list: Record<string, Quantity> | undefined): string {
  if (!list) return 'core.ResourceList(nil)';
  const items = Object.keys(list).sort().map((k) => `${JSON.stringify(k)}:resource.Quantity{s:${JSON.stringify(String(list[k]))}}`);
  return `core.ResourceList{${items.join(', ')}}`;
}

/** Capacity: present, `storage` only, each quantity positive. */
function validateCapacity(capacity: Record<string, Quantity> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = Object.keys(capacity ?? {});
  if (names.length === 0) errs.push(required(path));
  if (!names.includes('storage') || names.length > 1) {
    errs.push({ type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${goResourceList(capacity)}: supported values: "storage"` });
  }
  for (const name of names) {
    const q = parseQuantity(capacity![name]!);
    const nano = q?.nano ?? 0n;
    if (nano < 0n) errs.push(invalidValue(key(path, name), Math.trunc(q!.value), 'must be a valid resource quantity'));
    if (nano <= 0n) errs.push(invalidValue(key(path, name), String(capacity![name]), 'must be greater than zero'));
  }
  return errs;
}

function validateSource(spec: PersistentVolumeSpec, name: keyof PersistentVolumeSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (name === 'hostPath' && spec.hostPath) return validateHostPathSource(spec.hostPath, path);
  if (name === 'local' && spec.local) {
    if (!spec.local.path) return [required(child(path, 'path'))];
    return validatePathNoBacksteps(spec.local.path, child(path, 'path'));
  }
  if (name === 'nfs' && spec.nfs) {
    if (!spec.nfs.server) errs.push(required(child(path, 'server')));
    if (!spec.nfs.path) errs.push(required(child(path, 'path')));
    if (!spec.nfs.path.startsWith('/')) errs.push(invalidValue(child(path, 'path'), spec.nfs.path, 'must be an absolute path'));
  }
  if (name === 'csi' && spec.csi) errs.push(...validateCSISource(spec.csi, path));
  return errs;
}

/** validateCSIPersistentVolumeSource: a driver name (a lower-cased DNS subdomain ≤ 63), a volume handle, complete secret references. */
function validateCSISource(csi: NonNullable<PersistentVolumeSpec['csi']>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const driver = child(path, 'driver');
  if (!csi.driver) errs.push(required(driver));
  else if (csi.driver.length > 63) errs.push({ type: 'FieldValueTooLong', field: driver, detail: 'Too long: may not be more than 63 bytes' });
  else errs.push(...isDNS1123Subdomain(csi.driver.toLowerCase()).map((msg) => invalidValue(driver, csi.driver, msg)));
  if (!csi.volumeHandle) errs.push(required(child(path, 'volumeHandle')));
  for (const ref of ['controllerPublishSecretRef', 'nodeStageSecretRef', 'nodePublishSecretRef', 'controllerExpandSecretRef', 'nodeExpandSecretRef'] as const) {
    const secret = csi[ref];
    if (!secret) continue;
    if (!secret.name) errs.push(required(child(child(path, ref), 'name')));
    if (!secret.namespace) errs.push(required(child(child(path, ref), 'namespace')));
  }
  return errs;
}

/** Exactly one source (the first counted wins; later ones are "more than 1"); `local` needs node affinity. */
function validateSources(spec: PersistentVolumeSpec, path: string, affinitySpecified: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const { key: name, path: errPath } of SOURCE_ORDER) {
    if (spec[name] === undefined || spec[name] === null) continue;
    // Upstream counts flexVolume without checking for an earlier source.
    if (count > 0 && name !== 'flexVolume') {
      errs.push(forbidden(child(path, errPath), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSource(spec, name, child(path, name)));
    if (name === 'local' && !affinitySpecified) errs.push(required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** ValidatePersistentVolumeSpec for a PersistentVolume object (not an inline spec). Pure. */
export function validatePersistentVolumeSpec(spec: PersistentVolumeSpec, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(required(child(path, 'accessModes')));
  errs.push(...validateAccessModeValues(spec.accessModes, child(path, 'accessModes')));
  errs.push(...validateCapacity(spec.capacity, child(path, 'capacity')));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !(RECLAIM_POLICIES as readonly string[]).includes(policy)) errs.push(notSupported(child(path, 'persistentVolumeReclaimPolicy'), policy, RECLAIM_POLICIES));
  const affinity = validateVolumeNodeAffinity(spec.nodeAffinity, child(path, 'nodeAffinity'));
  errs.push(...affinity.errors, ...validateSources(spec, path, affinity.specified));
  if (spec.hostPath && cleanPath(spec.hostPath.path) === '/' && policy === 'Recycle') {
    errs.push(forbidden(child(path, 'persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (spec.storageClassName) errs.push(...validateClassName(spec.storageClassName, child(path, 'storageClassName')));
  errs.push(...validateVolumeMode(spec.volumeMode, child(path, 'volumeMode')));
  return errs;
}

/** Go's path.Clean, enough to recognise `/`. */
function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return p.startsWith('/') ? `/${parts.join('/')}` : parts.join('/') || '.';
}

function sourceOf(spec: PersistentVolumeSpec | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { jsonName } of SOURCE_FIELDS) {
    const value = (spec as Record<string, unknown> | undefined)?.[jsonName];
    if (value !== undefined) out[jsonName] = value;
  }
  return out;
}

/** ValidatePersistentVolumeUpdate's own checks (the new object is validated in full besides). Pure. */
export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs: FieldError[] = [];
  const next = sourceOf(pv.spec);
  const prev = sourceOf(old.spec);
  // A controllerExpandSecretRef may be added to a CSI volume that had none.
  const nextCsi = next.csi as PersistentVolumeSpec['csi'];
  const prevCsi = prev.csi as PersistentVolumeSpec['csi'];
  if (prevCsi && !prevCsi.controllerExpandSecretRef && nextCsi?.controllerExpandSecretRef) {
    next.csi = { ...nextCsi, controllerExpandSecretRef: undefined };
  }
  if (!deepEqual(next, prev)) {
    const diff = goStructDiff('core.PersistentVolumeSource', SOURCE_FIELDS, prev, next, SOURCE_FIELDS.map((f) => f.jsonName));
    errs.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${diff}`));
  }
  errs.push(...validateImmutable('volumeMode', pv.spec?.volumeMode, old.spec?.volumeMode));
  if (old.spec?.nodeAffinity) errs.push(...validateImmutable('nodeAffinity', pv.spec?.nodeAffinity, old.spec.nodeAffinity));
  const vac = pv.spec?.volumeAttributesClassName;
  const oldVac = old.spec?.volumeAttributesClassName;
  if (vac !== oldVac) {
    errs.push(forbidden('spec.volumeAttributesClassName', 'update is forbidden when the VolumeAttributesClass feature gate is disabled'));
    if (oldVac !== undefined && vac === undefined) errs.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
  }
  return errs;
}

/** ValidatePersistentVolume (+ Update when `old` is given). Pure. */
export function validatePersistentVolume(pv: PersistentVolume, old?: PersistentVolume): FieldError[] {
  const errs = validateObjectMeta(pv.metadata, { namespaced: false });
  errs.push(...validatePersistentVolumeSpec(pv.spec ?? {}));
  if (old) errs.push(...validatePersistentVolumeUpdate(pv, old));
  return errs;
}
