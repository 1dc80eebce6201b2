/**
 * Upstream's create-time warnings for storage objects (pkg/api/persistentvolume(claim)/util.go,
 * pkg/api/storage/util.go): the deprecated beta class annotation, the deprecated Recycle policy,
 * deprecated node labels in a volume's node affinity or a class's allowed topologies, and a
 * fractional byte value for a claim's storage. Pure; each string is one `Warning:` header.
 */
import { canonicalQuantity, parseQuantity } from '../../quantity.ts';
import type { Quantity } from '../../meta.ts';
import { BETA_STORAGE_CLASS_ANNOTATION } from './storage-rules.ts';

const MOUNT_OPTIONS_ANNOTATION = 'volume.beta.kubernetes.io/mount-options';

/** Upstream GetNodeLabelDeprecatedMessage's table. */
const DEPRECATED_NODE_LABELS: Readonly<Record<string, string>> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

/** Upstream GetNodeLabelDeprecatedMessage: why a node label key is deprecated, or undefined when it is not. */
export function nodeLabelDeprecation(key: string): string | undefined {
  return Object.hasOwn(DEPRECATED_NODE_LABELS, key) ? DEPRECATED_NODE_LABELS[key] : undefined;
}

function annotationWarnings(annotations: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  if (annotations && BETA_STORAGE_CLASS_ANNOTATION in annotations) out.push(`metadata.annotations[${BETA_STORAGE_CLASS_ANNOTATION}]: deprecated since v1.8; use "storageClassName" attribute instead`);
  return out;
}

/**
 * GetWarningsForNodeSelector over a label selector (a CSIStorageCapacity's `nodeTopology`):
 * deprecated node labels as expression keys (`<path>.matchExpressions[i].key: <key> is …`) or
 * as match labels (`<path>.matchLabels.<key>: …`, keys sorted here where Go's map order varies).
 */
export function labelSelectorNodeLabelWarnings(selector: { matchLabels?: Record<string, string> | undefined; matchExpressions?: { key: string }[] | undefined } | undefined, path: string): string[] {
  if (!selector) return [];
  const out = (selector.matchExpressions ?? []).flatMap((rq, i) => labelKeyWarning(`${path}.matchExpressions[${i}].key`, rq.key));
  for (const key of Object.keys(selector.matchLabels ?? {}).sort()) {
    const message = nodeLabelDeprecation(key);
    if (message) out.push(`${path}.matchLabels.${key}: ${message}`);
  }
  return out;
}

/** `<path>: <key> is <why>` when `key` is a deprecated node label (a requirement's key). */
export function labelKeyWarning(path: string, key: string): string[] {
  const message = nodeLabelDeprecation(key);
  return message ? [`${path}: ${key} is ${message}`] : [];
}

type Terms = { nodeSelectorTerms?: { matchExpressions?: { key: string }[] | undefined }[] | undefined } | undefined;

/** GetWarningsForPersistentVolume. */
export function persistentVolumeWarnings(pv: { metadata: { annotations?: Record<string, string> | undefined }; spec?: { persistentVolumeReclaimPolicy?: string | undefined; nodeAffinity?: { required?: Terms } | undefined } | undefined }): string[] {
  const out = annotationWarnings(pv.metadata.annotations);
  if (pv.metadata.annotations && MOUNT_OPTIONS_ANNOTATION in pv.metadata.annotations) out.push(`metadata.annotations[${MOUNT_OPTIONS_ANNOTATION}]: deprecated since v1.31; use "mountOptions" attribute instead`);
  for (const [i, term] of (pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []).entries()) {
    for (const [j, rq] of (term.matchExpressions ?? []).entries()) out.push(...labelKeyWarning(`spec.nodeAffinity.required.nodeSelectorTerms[${i}].matchExpressions[${j}].key`, rq.key));
  }
  if (pv.spec?.persistentVolumeReclaimPolicy === 'Recycle') out.push('spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.');
  return out;
}

const NANO_PER_MILLI = 1_000_000n;

/**
 * Upstream's fractional byte check (`MilliValue() % 1000 != 0`, the milli value rounded up):
 * `<path>: fractional byte value "<canonical>" is invalid, must be an integer`, the value printed
 * as Go's `Quantity.String()` does.
 */
export function fractionalBytes(path: string, value: Quantity | undefined): string[] {
  if (value === undefined) return [];
  const q = parseQuantity(value);
  if (!q) return [];
  const milli = q.nano >= 0n ? (q.nano + NANO_PER_MILLI - 1n) / NANO_PER_MILLI : q.nano / NANO_PER_MILLI;
  return milli % 1000n !== 0n ? [`${path}: fractional byte value "${canonicalQuantity(value)}" is invalid, must be an integer`] : [];
}

type ClaimSpec = { resources?: { requests?: Record<string, Quantity> | undefined; limits?: Record<string, Quantity> | undefined } | undefined } | undefined;

/** GetWarningsForPersistentVolumeClaimSpec: a fractional storage request or limit under `path`. */
export function claimSpecWarnings(path: string, spec: ClaimSpec): string[] {
  return [
    ...fractionalBytes(`${path}.resources.requests[storage]`, spec?.resources?.requests?.storage),
    ...fractionalBytes(`${path}.resources.limits[storage]`, spec?.resources?.limits?.storage),
  ];
}

/** GetWarningsForPersistentVolumeClaim. */
export function persistentVolumeClaimWarnings(pvc: { metadata: { annotations?: Record<string, string> | undefined }; spec?: ClaimSpec }): string[] {
  return [...annotationWarnings(pvc.metadata.annotations), ...claimSpecWarnings('spec', pvc.spec)];
}

/** GetWarningsForStorageClass: deprecated node labels in allowed topologies. */
export function storageClassWarnings(sc: { allowedTopologies?: { matchLabelExpressions?: { key: string }[] | undefined }[] | undefined }): string[] {
  return (sc.allowedTopologies ?? []).flatMap((term, i) => (term.matchLabelExpressions ?? []).flatMap((rq, j) => labelKeyWarning(`allowedTopologies[${i}].matchLabelExpressions[${j}].key`, rq.key)));
}
