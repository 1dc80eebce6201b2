/**
 * PreBind's I/O edge (upstream binder BindPodVolumes): write the assumed PV bindings and the
 * selected-node annotations, then wait — on informer events, not by polling — until the PV
 * controller (and provisioner) report every claim bound, or fail so the pod is rescheduled.
 */
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES, type Client } from '../../../pkg/client/index.ts';
import type { HandlerRegistration, SharedInformer } from '../../../pkg/informer/index.ts';
import type { Clock } from '../../../pkg/workqueue/index.ts';
import { checkBindings, type BindingCheck, type BindingLookups } from './check-bindings.ts';
import type { ClaimObject } from './claims.ts';
import type { PodVolumes } from './find.ts';

/** Upstream VolumeBindingArgs.bindTimeoutSeconds default. */
export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;

/**
 * Writes `podVolumes` (PV updates first, then claim updates, as upstream; no rollback of earlier
 * writes when a later one fails — the PV controller takes over) and returns what the API server
 * stored. A failed write throws the API error.
 */
export async function writeBindings(client: Client, podVolumes: PodVolumes): Promise<PodVolumes> {
  const pvs = client.resource<PersistentVolume>(BUILTIN_COORDINATES.persistentVolumes);
  const claims = client.resource<PersistentVolumeClaim>(BUILTIN_COORDINATES.persistentVolumeClaims);
  const written: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  for (const b of podVolumes.staticBindings) {
    const pv = await pvs.update(b.pv as PersistentVolume);
    written.staticBindings.push({ claim: b.claim, pv });
  }
  for (const c of podVolumes.dynamicProvisions) {
    written.dynamicProvisions.push(await claims.inNamespace(c.metadata?.namespace ?? '').update(c as PersistentVolumeClaim));
  }
  return written;
}

export interface WaitOptions {
  informers: readonly SharedInformer<KubeObject>[];
  lookups: BindingLookups;
  nodeName: string;
  clock: Clock;
  timeoutMs: number;
  /** Aborting ends the wait with `context canceled` (scheduler shutdown). */
  signal: AbortSignal;
}

/**
 * Resolves when {@link checkBindings} says done, rejects with its failure (or `timed out waiting
 * for the condition` after `timeoutMs`, `context canceled` on abort). Re-checks on every
 * add/update/delete of the informers.
 */
export function waitForBindings(written: PodVolumes, o: WaitOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const registrations: HandlerRegistration[] = [];
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      o.clock.clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      for (const r of registrations) r.remove();
      if (err) reject(err);
      else resolve();
    };
    const evaluate = () => {
      if (settled) return;
      let result: BindingCheck;
      try {
        result = checkBindings(written, o.nodeName, o.lookups);
      } catch (err) {
        return finish(err as Error);
      }
      if (result.kind === 'done') finish();
      else if (result.kind === 'failed') finish(new Error(result.message));
    };
    const timer = o.clock.setTimeout(() => finish(new Error('timed out waiting for the condition')), o.timeoutMs);
    const onAbort = () => finish(new Error('context canceled'));
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener('abort', onAbort);
    for (const inf of o.informers) registrations.push(inf.addEventHandler({ onAdd: evaluate, onUpdate: evaluate, onDelete: evaluate }));
    evaluate();
  });
}

/** The claim with the selected-node annotation set (a copy). */
export function withSelectedNode(claim: ClaimObject, nodeName: string, annotation: string): PersistentVolumeClaim {
  const copy = structuredClone(claim) as PersistentVolumeClaim;
  copy.metadata = { ...copy.metadata, annotations: { ...(copy.metadata?.annotations ?? {}), [annotation]: nodeName } };
  return copy;
}
