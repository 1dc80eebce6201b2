/**
 * Matching claims to volumes and nodes (upstream component-helpers `storage/volume`
 * FindMatchingVolume, CheckNodeAffinity, CheckAccessModes, GetBindVolumeToClaim and core/v1
 * helper MatchTopologySelectorTerms). Pure.
 */
import { compareQuantity } from '../../../pkg/api/quantity.ts';
import { fromLabelSelector } from '../../../pkg/api/selectors/index.ts';
import type { NodeObject } from '../../framework/index.ts';
import { matchesNodeSelectorTerms } from '../helper/node-selector.ts';
import type { ClaimObject, ClassObject, VolumeObject } from './claims.ts';
import { accessModesContained, ANN_BOUND_BY_CONTROLLER, claimClass, isVolumeBoundToClaim, requestedStorage, volumeCapacity, volumeClass, volumeModeMismatch } from '../../../pkg/volume/claims.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

/**
 * Upstream CheckNodeAffinity: a PV without `nodeAffinity.required` fits every node; otherwise
 * one of its terms must match the node's labels (fields are not considered, as upstream).
 */
export function volumeFitsNodeLabels(pv: VolumeObject, labels: Readonly<Record<string, string>> | undefined): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  const node = { metadata: { labels: labels ?? {} } } as NodeObject;
  return matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], node);
}


/** Claims ordered by increasing storage request (upstream byPVCSize), so small claims pick first. */
export function sortBySize(claims: readonly ClaimObject[]): ClaimObject[] {
  return [...claims].sort((a, b) => compareQuantity(requestedStorage(a), requestedStorage(b)));
}

/**
 * The scheduler path of upstream FindMatchingVolume: a PV pre-bound to the claim wins (or no
 * match when its node affinity does not fit `node`); otherwise the smallest Available PV of the
 * claim's class, big enough, of the same volume mode, not being deleted, matching the claim's
 * selector and access modes and fitting the node. `excluded` holds PVs already chosen for the pod.
 */
export function findMatchingVolume(claim: ClaimObject, volumes: readonly VolumeObject[], node: NodeObject, excluded: ReadonlySet<string>): VolumeObject | undefined {
  const want = requestedStorage(claim);
  const cls = claimClass(claim);
  const selector = claim.spec?.selector ? fromLabelSelector(claim.spec.selector as never) : undefined;
  let smallest: VolumeObject | undefined;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata?.name ?? '')) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    if (compareQuantity(volumeCapacity(pv), want) < 0) continue;
    if (volumeModeMismatch(claim, pv)) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    const fits = volumeFitsNodeLabels(pv, node.metadata?.labels);
    if (isVolumeBoundToClaim(pv, claim)) return fits ? pv : undefined;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    if (volumeClass(pv) !== cls) continue;
    if (!fits || !accessModesContained(pv.spec?.accessModes, claim.spec?.accessModes)) continue;
    if (!smallest || compareQuantity(volumeCapacity(smallest), volumeCapacity(pv)) > 0) smallest = pv;
  }
  return smallest;
}

/** Upstream MatchTopologySelectorTerms: no terms match everything; a term needs every key's label among its values. */
export function allowedTopologiesFit(cls: ClassObject, labels: Readonly<Record<string, string>> | undefined): boolean {
  const terms = cls.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => labels?.[e.key] !== undefined && e.values.includes(labels[e.key]!)));
}

/**
 * Upstream GetBindVolumeToClaim: a copy of `pv` whose claimRef points at the claim (kind,
 * namespace, name, uid, apiVersion, resourceVersion) with `pv.kubernetes.io/bound-by-controller:
 * "yes"` unless the PV was pre-bound by the user; `dirty` says whether anything changed.
 */
export function bindVolumeToClaim(pv: VolumeObject, claim: ClaimObject): { pv: PersistentVolume; dirty: boolean } {
  const copy = copyJson(pv) as PersistentVolume;
  const prebound = isVolumeBoundToClaim(pv, claim);
  let dirty = false;
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace || ref.uid !== claim.metadata?.uid) {
    copy.spec = {
      ...(copy.spec ?? {}),
      claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid, apiVersion: 'v1', resourceVersion: claim.metadata?.resourceVersion },
    };
    dirty = true;
  }
  if (!prebound && copy.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    copy.metadata = { ...copy.metadata, annotations: { ...(copy.metadata?.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' } };
    dirty = true;
  }
  return { pv: copy, dirty };
}

const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * The node names a PV's required node affinity pins it to by `kubernetes.io/hostname In`
 * (upstream GetLocalPersistentVolumeNodeNames): expressions within a term intersect, terms
 * union. Undefined when some term has no such expression (no restriction can be derived).
 */
export function volumeNodeNames(pv: VolumeObject): Set<string> | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const out = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const e of term.matchExpressions ?? []) {
      if (e.key !== HOSTNAME_LABEL || e.operator !== 'In') continue;
      const values = new Set(e.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    if (!names) return undefined;
    for (const n of names) out.add(n);
  }
  return out;
}

/**
 * Upstream GetEligibleNodes: the nodes every bound claim's PV is pinned to (intersection), or
 * undefined when no bound PV pins its nodes. Missing PVs are left to Filter.
 */
export function eligibleNodes(boundVolumes: readonly (VolumeObject | undefined)[]): Set<string> | undefined {
  let eligible: Set<string> | undefined;
  for (const pv of boundVolumes) {
    const names = pv && volumeNodeNames(pv);
    if (!names || names.size === 0) continue;
    eligible = eligible ? new Set([...eligible].filter((n) => names.has(n))) : names;
  }
  return eligible;
}
