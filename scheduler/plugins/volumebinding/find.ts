/**
 * Filter's decision for one node (upstream binder FindPodVolumes): bound claims' PVs must fit
 * the node; unbound WaitForFirstConsumer claims need a matching static PV on the node or a
 * class that can provision there. Pure.
 */
import type { NodeObject } from '../../framework/index.ts';
import type { ClaimObject, ClassObject, PodVolumeClaims, VolumeObject } from './claims.ts';
import { ANN_SELECTED_NODE, claimClass, NOT_SUPPORTED_PROVISIONER } from '../../../pkg/volume/claims.ts';
import { allowedTopologiesFit, findMatchingVolume, sortBySize, volumeFitsNodeLabels } from './matching.ts';

/** Filter reasons (upstream ConflictReason strings). */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

/** A claim to bind to a chosen static PV. */
export interface StaticBinding {
  claim: ClaimObject;
  pv: VolumeObject;
}

/** What the pod needs done on a node (upstream PodVolumes). */
export interface PodVolumes {
  staticBindings: StaticBinding[];
  /** Claims to annotate with the selected node so their class's provisioner creates a PV. */
  dynamicProvisions: ClaimObject[];
}

/** Lookups over the (assumed) PV and class caches. */
export interface VolumeLookups {
  volume(name: string): VolumeObject | undefined;
  /** Every PV whose class (annotation or `storageClassName`) is `className`. */
  volumesOfClass(className: string): readonly VolumeObject[];
  storageClass(name: string): ClassObject | undefined;
}

export interface FindResult {
  podVolumes: PodVolumes;
  /** Non-empty when the node does not fit (UnschedulableAndUnresolvable). */
  reasons: string[];
  /** An internal error (an Error status). */
  error?: string;
}

function checkBound(claims: readonly ClaimObject[], node: NodeObject, lookups: VolumeLookups): { satisfied: boolean; pvsFound: boolean } {
  for (const claim of claims) {
    const pv = lookups.volume(claim.spec?.volumeName ?? '');
    if (!pv) return { satisfied: true, pvsFound: false };
    if (!volumeFitsNodeLabels(pv, node.metadata?.labels)) return { satisfied: false, pvsFound: true };
  }
  return { satisfied: true, pvsFound: true };
}

function checkProvisions(claims: readonly ClaimObject[], node: NodeObject, lookups: VolumeLookups): { satisfied: boolean; provisions: ClaimObject[]; error?: string } {
  const provisions: ClaimObject[] = [];
  for (const claim of claims) {
    const name = claimClass(claim);
    if (!name) return { satisfied: false, provisions: [], error: `no class for claim "${claim.metadata?.namespace}/${claim.metadata?.name}"` };
    const cls = lookups.storageClass(name);
    if (!cls) return { satisfied: false, provisions: [], error: `failed to find storage class "${name}"` };
    if (!cls.provisioner || cls.provisioner === NOT_SUPPORTED_PROVISIONER) return { satisfied: false, provisions: [] };
    if (!allowedTopologiesFit(cls, node.metadata?.labels)) return { satisfied: false, provisions: [] };
    provisions.push(claim);
  }
  return { satisfied: true, provisions };
}

/** Upstream FindPodVolumes for one node (reasons in upstream order). */
export function findPodVolumes(claims: Pick<PodVolumeClaims, 'bound' | 'delayBinding'>, node: NodeObject, lookups: VolumeLookups): FindResult {
  const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  let boundSatisfied = true;
  let pvsFound = true;
  let unboundSatisfied = true;
  const result = (): FindResult => {
    const reasons: string[] = [];
    if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
    if (!unboundSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
    if (!pvsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
    return { podVolumes, reasons };
  };
  if (claims.bound.length > 0) ({ satisfied: boundSatisfied, pvsFound } = checkBound(claims.bound, node, lookups));
  if (claims.delayBinding.length === 0) return result();
  const toMatch: ClaimObject[] = [];
  const toProvision: ClaimObject[] = [];
  for (const claim of claims.delayBinding) {
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (selected === undefined) toMatch.push(claim);
    else if (selected !== node.metadata?.name) {
      unboundSatisfied = false;
      return result();
    } else toProvision.push(claim);
  }
  const chosen = new Set<string>();
  for (const claim of sortBySize(toMatch)) {
    const pv = findMatchingVolume(claim, lookups.volumesOfClass(claimClass(claim)), node, chosen);
    if (!pv) {
      unboundSatisfied = false;
      toProvision.push(claim);
      continue;
    }
    chosen.add(pv.metadata?.name ?? '');
    podVolumes.staticBindings.push({ claim, pv });
  }
  if (toProvision.length > 0) {
    const p = checkProvisions(toProvision, node, lookups);
    if (p.error) return { podVolumes, reasons: [], error: p.error };
    unboundSatisfied = p.satisfied;
    podVolumes.dynamicProvisions = p.provisions;
  }
  return result();
}
