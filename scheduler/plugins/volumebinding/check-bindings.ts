/**
 * Whether the volumes PreBind asked for are ready (upstream binder checkBindings), judged on the
 * API objects (informer caches, not assumptions). Pure.
 */
import type { NodeObject } from '../../framework/index.ts';
import { isClaimFullyBound, type ClaimObject, type VolumeObject } from './claims.ts';
import { ANN_SELECTED_NODE } from '../../../pkg/volume/claims.ts';
import type { PodVolumes } from './find.ts';
import { volumeFitsNodeLabels } from './matching.ts';

/** `done`: every claim is bound; `pending`: wait for more events; `failed`: give the pod back to the queue. */
export type BindingCheck = { kind: 'done' } | { kind: 'pending' } | { kind: 'failed'; message: string };

export interface BindingLookups {
  podExists(): boolean;
  node(): NodeObject | undefined;
  volume(name: string): VolumeObject | undefined;
  claim(namespace: string, name: string): ClaimObject | undefined;
}

const version = (obj: { metadata?: { resourceVersion?: string } }): number => Number(obj.metadata?.resourceVersion ?? 0) || 0;
const PENDING: BindingCheck = { kind: 'pending' };
const failed = (message: string): BindingCheck => ({ kind: 'failed', message });

/** `written`: the PVs and claims as the API server returned them from PreBind's writes. */
export function checkBindings(written: PodVolumes, nodeName: string, lookups: BindingLookups): BindingCheck {
  const node = lookups.node();
  if (!node) return failed(`failed to get node "${nodeName}": node "${nodeName}" not found`);
  if (!lookups.podExists()) return failed('pod does not exist any more');
  const affinity = (pv: VolumeObject) => (volumeFitsNodeLabels(pv, node.metadata?.labels) ? undefined : failed(`pv "${pv.metadata?.name}" node affinity doesn't match node "${nodeName}": no matching NodeSelectorTerms`));
  for (const b of written.staticBindings) {
    const pvName = b.pv.metadata?.name ?? '';
    const pv = lookups.volume(pvName);
    if (!pv) return failed(`failed to check binding: could not find v1.PersistentVolume "${pvName}"`);
    const claim = lookups.claim(b.claim.metadata?.namespace ?? '', b.claim.metadata?.name ?? '');
    if (!claim) return failed(`failed to check binding: could not find v1.PersistentVolumeClaim "${b.claim.metadata?.namespace}/${b.claim.metadata?.name}"`);
    if (version(b.pv) > version(pv)) return PENDING;
    const mismatch = affinity(pv);
    if (mismatch) return mismatch;
    if (!pv.spec?.claimRef?.uid) return failed(`ClaimRef got reset for pv "${pvName}"`);
    if (!isClaimFullyBound(claim)) return PENDING;
  }
  for (const c of written.dynamicProvisions) {
    const claim = lookups.claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
    if (!claim) return failed(`failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${c.metadata?.namespace}/${c.metadata?.name}"`);
    if (version(c) > version(claim)) return PENDING;
    if (claim.metadata?.annotations?.[ANN_SELECTED_NODE] !== nodeName) return failed(`provisioning failed for PVC "${claim.metadata?.name}"`);
    if (claim.spec?.volumeName) {
      const pv = lookups.volume(claim.spec.volumeName);
      if (!pv) return PENDING;
      const mismatch = affinity(pv);
      if (mismatch) return mismatch;
    }
    if (!isClaimFullyBound(claim)) return PENDING;
  }
  return { kind: 'done' };
}
