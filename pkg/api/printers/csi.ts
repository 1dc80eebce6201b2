/**
 * Printers for the storage.k8s.io CSI kinds (upstream 1.33 printers.go): CSIDriver's flags
 * (unset ones print as upstream's defaults, `<unset>` token requests, `<none>` modes), CSINode's
 * driver count, VolumeAttachment's attacher/PV/node/attached, and CSIStorageCapacity's class and
 * capacity (upstream gives that table no Age column).
 */
import { canonicalQuantity } from '../quantity.ts';
import { ageColumn, col, nameColumn, type ColumnDefinition } from './columns.ts';
import { age, arr, get, str } from './format.ts';
import type { Printer } from './printer.ts';

const DOC = {
  attachRequired: 'attachRequired indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting. The CSI external-attacher coordinates with CSI volume driver and updates the volumeattachment status when the attach operation is complete. If the value is specified to false, the attach operation will be skipped. Otherwise the attach operation will be called.\n\nThis field is immutable.',
  podInfoOnMount: 'podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true. If set to false, pod information will not be passed on mount. Default is false.',
  storageCapacity: 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information, if set to true.',
  tokenRequests: "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication. Kubelet will pass the tokens in VolumeContext in the CSI NodePublishVolume calls.",
  requiresRepublish: 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume. This field defaults to false.',
  modes: 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports. The default if the list is empty is "Persistent", which is the usage defined by the CSI specification and implemented in Kubernetes via the usual PV/PVC mechanism.',
  attacher: 'attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().',
  pv: 'persistentVolumeName represents the name of the persistent volume to attach.',
  node: 'nodeName represents the node that the volume should be attached to.',
  attached: 'attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.',
  storageClassName: 'storageClassName represents the name of the StorageClass that the reported capacity applies to. It must meet the same requirements as the name of a StorageClass object (non-empty, DNS subdomain). If that object no longer exists, the CSIStorageCapacity object is obsolete and should be removed by its creator. This field is immutable.',
  capacity: 'capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.',
};

function flag(value: unknown, unset: boolean): boolean {
  return typeof value === 'boolean' ? value : unset;
}

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn,
    col('AttachRequired', 'boolean', 0, DOC.attachRequired),
    col('PodInfoOnMount', 'boolean', 0, DOC.podInfoOnMount),
    col('StorageCapacity', 'boolean', 0, DOC.storageCapacity),
    col('TokenRequests', 'string', 0, DOC.tokenRequests),
    col('RequiresRepublish', 'boolean', 0, DOC.requiresRepublish),
    col('Modes', 'string', 0, DOC.modes),
    ageColumn,
  ],
  row(driver, now) {
    const spec = get(driver, 'spec');
    const tokens = get(spec, 'tokenRequests');
    const rawModes = get(spec, 'volumeLifecycleModes');
    const modes = Array.isArray(rawModes) ? rawModes.map(String).join(',') : '';
    return [
      driver.metadata.name ?? '',
      flag(get(spec, 'attachRequired'), true),
      flag(get(spec, 'podInfoOnMount'), false),
      flag(get(spec, 'storageCapacity'), false),
      Array.isArray(tokens) ? tokens.map((t) => str(get(t, 'audience'))).join(',') : '<unset>',
      flag(get(spec, 'requiresRepublish'), false),
      modes || '<none>',
      age(driver, now),
    ];
  },
};

export const csiNodePrinter: Printer = {
  columns: [nameColumn, col('Drivers', 'integer', 0, 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn],
  row(node, now) {
    return [node.metadata.name ?? '', arr(get(node, 'spec', 'drivers')).length, age(node, now)];
  },
};

/** Upstream declares the Attacher column with format `name` too. */
const attacherColumn: ColumnDefinition = { ...col('Attacher', 'string', 0, DOC.attacher), format: 'name' };

export const volumeAttachmentPrinter: Printer = {
  columns: [nameColumn, attacherColumn, col('PV', 'string', 0, DOC.pv), col('Node', 'string', 0, DOC.node), col('Attached', 'boolean', 0, DOC.attached), ageColumn],
  row(va, now) {
    return [
      va.metadata.name ?? '',
      str(get(va, 'spec', 'attacher')),
      str(get(va, 'spec', 'source', 'persistentVolumeName')),
      str(get(va, 'spec', 'nodeName')),
      get(va, 'status', 'attached') === true,
      age(va, now),
    ];
  },
};

export const csiStorageCapacityPrinter: Printer = {
  columns: [nameColumn, col('StorageClassName', 'string', 0, DOC.storageClassName), col('Capacity', 'string', 0, DOC.capacity)],
  row(capacity) {
    const value = get(capacity, 'capacity');
    return [capacity.metadata.name ?? '', str(get(capacity, 'storageClassName')), typeof value === 'string' || typeof value === 'number' ? canonicalQuantity(value) : '<unset>'];
  },
};
