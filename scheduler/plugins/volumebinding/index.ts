/**
 * VolumeBinding (upstream framework/plugins/volumebinding): PreFilter sorts the pod's claims
 * (rejecting missing, deleting and unbound Immediate ones) and narrows the nodes to those the
 * bound PVs are pinned to by hostname; Filter keeps nodes where bound PVs
 * fit and unbound WaitForFirstConsumer claims find a static PV or can be provisioned; Reserve
 * assumes the chosen bindings so later cycles don't reuse them; PreBind writes them and waits
 * until the claims are bound. Score is upstream's alpha capacity scoring, off by default (Skip).
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { PersistentVolume } from '../../../pkg/api/core/v1/persistentvolume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { StorageClass } from '../../../pkg/api/storage/v1/storageclass.ts';
import { BUILTIN_COORDINATES } from '../../../pkg/client/index.ts';
import {
  stateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from '../../framework/index.ts';
import { Names } from '../names.ts';
import { AssumeCache, objectKey } from './assume-cache.ts';
import { DEFAULT_BIND_TIMEOUT_SECONDS, waitForBindings, withSelectedNode, writeBindings } from './bind.ts';
import { classifyPodClaims, type PodVolumeClaims } from './claims.ts';
import { ANN_SELECTED_NODE, volumeClass } from '../../../pkg/volume/claims.ts';
import { volumeBindingEvents } from './events.ts';
import { findPodVolumes, type PodVolumes, type VolumeLookups } from './find.ts';
import { bindVolumeToClaim, eligibleNodes } from './matching.ts';

/** PreFilter rejection when an Immediate claim is not bound yet. */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

interface StateData {
  claims?: PodVolumeClaims;
  podVolumesByNode: Map<string, PodVolumes>;
  /** Set by Reserve: nothing to bind on the chosen node. */
  allBound: boolean;
}

const key = stateKey<StateData>(Names.VolumeBinding);

/** Builds the plugin; args are VolumeBindingArgs (`bindTimeoutSeconds`, default 600). */
export const volumeBinding: PluginFactory = (rawArgs, handle): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin & PreBindPlugin & EnqueueExtensions => {
  const args = (rawArgs ?? {}) as { bindTimeoutSeconds?: number };
  const timeoutSeconds = args.bindTimeoutSeconds ?? DEFAULT_BIND_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) throw new Error(`bindTimeoutSeconds: Invalid value: ${timeoutSeconds}: invalid BindTimeoutSeconds, should not be a negative value`);
  const pvcs = new AssumeCache<PersistentVolumeClaim>(handle.lister<PersistentVolumeClaim>(BUILTIN_COORDINATES.persistentVolumeClaims), objectKey, 'PersistentVolumeClaim');
  const pvs = new AssumeCache<PersistentVolume>(handle.lister<PersistentVolume>(BUILTIN_COORDINATES.persistentVolumes), objectKey, 'PersistentVolume');
  const classes = handle.lister<StorageClass>(BUILTIN_COORDINATES.storageClasses);
  const nodes = handle.lister<Node>(BUILTIN_COORDINATES.nodes);
  const pods = handle.lister<Pod>(BUILTIN_COORDINATES.pods);

  const volumeLookups: VolumeLookups = {
    volume: (name) => pvs.get(name),
    volumesOfClass: (cls) => pvs.list().filter((pv) => volumeClass(pv) === cls),
    storageClass: (name) => classes.get(name),
  };

  const revert = (podVolumes: PodVolumes) => {
    for (const b of podVolumes.staticBindings) pvs.restore(objectKey(b.pv));
    for (const c of podVolumes.dynamicProvisions) pvcs.restore(objectKey(c));
  };

  return {
    name: Names.VolumeBinding,
    preFilter: (state, pod) => {
      const outcome = classifyPodClaims(pod, { claim: (ns, name) => pvcs.get(`${ns}/${name}`), storageClass: (name) => classes.get(name) });
      if (outcome.kind === 'none') {
        state.write(key, { podVolumesByNode: new Map(), allBound: true });
        return { status: Status.skip() };
      }
      if (outcome.kind === 'error') return { status: Status.unresolvable(outcome.message) };
      if (outcome.claims.immediate.length > 0) return { status: Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
      state.write(key, { claims: outcome.claims, podVolumesByNode: new Map(), allBound: false });
      const nodeNames = eligibleNodes(outcome.claims.bound.map((c) => pvs.get(c.spec?.volumeName ?? '')));
      return nodeNames ? { result: { nodeNames }, status: Status.SUCCESS } : { status: Status.SUCCESS };
    },
    preFilterExtensions: () => undefined,
    filter: (state, _pod, nodeInfo) => {
      const s = state.read(key);
      const node = nodeInfo.node;
      if (!s.claims || !node) return Status.SUCCESS;
      const found = findPodVolumes(s.claims, node, volumeLookups);
      if (found.error) return Status.asStatus(new Error(found.error));
      if (found.reasons.length > 0) return Status.unresolvable(...found.reasons);
      s.podVolumesByNode.set(nodeInfo.nodeName(), found.podVolumes);
      return Status.SUCCESS;
    },
    preScore: () => Status.skip(),
    score: () => 0,
    reserve: (state, pod, nodeName) => {
      const s = state.tryRead(key);
      const podVolumes = s?.podVolumesByNode.get(nodeName);
      if (!s || !podVolumes || podVolumes.staticBindings.length + podVolumes.dynamicProvisions.length === 0) {
        if (s) s.allBound = true;
        return Status.SUCCESS;
      }
      const assumed: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
      try {
        for (const b of podVolumes.staticBindings) {
          const { pv, dirty } = bindVolumeToClaim(b.pv, b.claim);
          if (dirty) pvs.assume(pv);
          assumed.staticBindings.push({ claim: b.claim, pv });
        }
        for (const c of podVolumes.dynamicProvisions) {
          const claim = withSelectedNode(c, nodeName, ANN_SELECTED_NODE);
          pvcs.assume(claim);
          assumed.dynamicProvisions.push(claim);
        }
      } catch (err) {
        revert(assumed);
        return Status.asStatus(err);
      }
      s.podVolumesByNode.set(nodeName, assumed);
      s.allBound = false;
      handle.log.debug({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: nodeName, staticBindings: assumed.staticBindings.length, provisions: assumed.dynamicProvisions.length }, 'assumed pod volumes');
      return Status.SUCCESS;
    },
    unreserve: (state, _pod, nodeName) => {
      const podVolumes = state.tryRead(key)?.podVolumesByNode.get(nodeName);
      if (podVolumes) revert(podVolumes);
    },
    preBind: async (state, pod, nodeName) => {
      const s = state.tryRead(key);
      if (!s || s.allBound) return Status.SUCCESS;
      const podVolumes = s.podVolumesByNode.get(nodeName);
      if (!podVolumes) return Status.asStatus(new Error(`no pod volumes found for node "${nodeName}"`));
      const log = handle.log.child({ plugin: Names.VolumeBinding, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: nodeName });
      let written: PodVolumes;
      try {
        written = await writeBindings(handle.client, podVolumes);
      } catch (err) {
        revert(podVolumes);
        log.info({ err }, 'failed to bind volumes');
        return Status.asStatus(err);
      }
      try {
        await waitForBindings(written, {
          informers: [BUILTIN_COORDINATES.persistentVolumeClaims, BUILTIN_COORDINATES.persistentVolumes, BUILTIN_COORDINATES.pods, BUILTIN_COORDINATES.nodes].map((c) => handle.informer<KubeObject>(c)),
          lookups: {
            podExists: () => pods.get(`${pod.metadata?.namespace}/${pod.metadata?.name}`)?.metadata?.uid === pod.metadata?.uid,
            node: () => nodes.get(nodeName),
            volume: (name) => pvs.getAPI(name),
            claim: (ns, name) => pvcs.getAPI(`${ns}/${name}`),
          },
          nodeName,
          clock: handle.clock,
          timeoutMs: timeoutSeconds * 1000,
          signal: handle.stopSignal,
        });
      } catch (err) {
        log.info({ err }, 'failed to bind volumes');
        return Status.asStatus(new Error(`binding volumes: ${(err as Error).message}`));
      }
      log.debug('bound pod volumes');
      return Status.SUCCESS;
    },
    eventsToRegister: () => volumeBindingEvents(),
  };
};
