/**
 * Printers for PersistentVolume, PersistentVolumeClaim and StorageClass (upstream 1.33
 * printers.go): access modes shortened to RWO,ROX,RWX,RWOP, a PV's claim as `ns/name`, `<unset>`
 * for an unset volume attributes class or volume mode, `Terminating` for an object being deleted,
 * and ` (default)` after the name of a StorageClass annotated as the default.
 */
import { storageClassNameOf } from '../core/v1/storage-rules.ts';
import { canonicalQuantity } from '../quantity.ts';
import { isDefaultStorageClass } from '../storage/v1/storageclass.ts';
import type { KubeObject } from '../meta.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, get, isObject, str } from './format.ts';
import type { Printer } from './printer.ts';

const SHORT_MODES: readonly [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];

/** Upstream GetAccessModesAsString: each mode once, in a fixed order. Pure. */
export function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  return SHORT_MODES.filter(([mode]) => list.includes(mode)).map(([, short]) => short).join(',');
}


/** A `storage` quantity as Quantity.String() prints it (`0` when absent). */
function storageOf(list: unknown): string {
  const value = isObject(list) ? list.storage : undefined;
  return typeof value === 'string' || typeof value === 'number' ? canonicalQuantity(value) : '0';
}

function phaseOf(obj: KubeObject): string {
  return obj.metadata.deletionTimestamp ? 'Terminating' : str(get(obj, 'status', 'phase'));
}

function unset(value: unknown): string {
  return typeof value === 'string' ? value : '<unset>';
}

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    col('Capacity', 'string', 0, "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
    col('Access Modes', 'string', 0, 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
    col('Reclaim Policy', 'string', 0, 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
    col('Status', 'string', 0, 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
    col('Claim', 'string', 0, 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
    col('StorageClass', 'string', 0, 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', 0, 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn,
    col('VolumeMode', 'string', 1, 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.'),
  ],
  row(pv, now) {
    const claimRef = get(pv, 'spec', 'claimRef');
    const claim = isObject(claimRef) ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '';
    return [
      pv.metadata.name ?? '',
      storageOf(get(pv, 'spec', 'capacity')),
      accessModesString(get(pv, 'spec', 'accessModes')),
      str(get(pv, 'spec', 'persistentVolumeReclaimPolicy')),
      phaseOf(pv),
      claim,
      storageClassNameOf(pv),
      unset(get(pv, 'spec', 'volumeAttributesClassName')),
      str(get(pv, 'status', 'reason')),
      age(pv, now),
      unset(get(pv, 'spec', 'volumeMode')),
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 0, 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 0, 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 0, 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
    col('StorageClass', 'string', 0, 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 0, 'VolumeAttributesClass of the pvc'),
    ageColumn,
    col('VolumeMode', 'string', 1, 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.'),
  ],
  row(pvc, now) {
    const volumeName = str(get(pvc, 'spec', 'volumeName'));
    return [
      pvc.metadata.name ?? '',
      phaseOf(pvc),
      volumeName,
      volumeName ? storageOf(get(pvc, 'status', 'capacity')) : '',
      volumeName ? accessModesString(get(pvc, 'status', 'accessModes')) : '',
      storageClassNameOf(pvc),
      unset(get(pvc, 'spec', 'volumeAttributesClassName')),
      age(pvc, now),
      unset(get(pvc, 'spec', 'volumeMode')),
    ];
  },
};

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Provisioner', 'string', 0, 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 0, 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
    col('VolumeBindingMode', 'string', 0, 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
    col('AllowVolumeExpansion', 'string', 0, 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn,
  ],
  row(sc, now) {
    const name = `${sc.metadata.name ?? ''}${isDefaultStorageClass(sc) ? ' (default)' : ''}`;
    return [name, str(sc.provisioner), str(sc.reclaimPolicy) || 'Delete', str(sc.volumeBindingMode) || 'Immediate', sc.allowVolumeExpansion === true, age(sc, now)];
  },
};
