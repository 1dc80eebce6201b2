/**
 * The `podgc` controller (upstream pod garbage collector): every 20 s, force-deletes the pods
 * {@link podsToCollect} picks — first marking them Failed (and, for vanished nodes, with a
 * `DisruptionTarget` condition `DeletionByPodGC`), as upstream does.
 */
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { runEvery } from '../../../pkg/util/periodic.ts';
import { rfc3339 } from '../../../pkg/util/time.ts';
import type { ControllerDescriptor } from '../types.ts';
import { missingNodes, podsToCollect, type PodToCollect } from './decide.ts';

/** Upstream gcCheckPeriod and the orphan quarantine. */
export const GC_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;

export const podGcController: ControllerDescriptor = {
  name: 'podgc',
  enabledByDefault: true,
  register({ manager, settings }) {
    const pods = manager.lister<Pod>(C.pods);
    const nodes = manager.lister<Node>(C.nodes);
    const log = manager.log.child({ controller: 'podgc' });
    const missingSince = new Map<string, number>();
    const collect = async ({ pod, reason }: PodToCollect) => {
      const client = manager.client.pods.inNamespace(pod.metadata.namespace as string);
      const name = pod.metadata.name as string;
      try {
        if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
          const conditions = reason === 'OrphanedNode' ? [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: rfc3339(manager.clock.now()) }] : undefined;
          await client.patch(name, { status: { phase: 'Failed', ...(conditions ? { conditions } : {}) } }, { type: 'strategic', subresource: 'status' });
        }
        await client.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        log.info({ pod: `${pod.metadata.namespace}/${name}`, reason }, 'garbage-collected pod');
      } catch (err) {
        if (!isNotFound(err)) log.warn({ err, pod: `${pod.metadata.namespace}/${name}` }, 'cannot garbage-collect pod');
      }
    };
    manager.add({
      name: 'podgc',
      start: (signal) =>
        runEvery({ name: 'podgc', intervalMs: settings.podGcPeriodMs ?? GC_PERIOD_MS, clock: manager.clock, signal, log }, async () => {
          const allPods = pods.list();
          const allNodes = nodes.list();
          const now = manager.clock.now();
          const missing = missingNodes(allPods, allNodes);
          for (const name of [...missingSince.keys()]) if (!missing.has(name)) missingSince.delete(name);
          for (const name of missing) if (!missingSince.has(name)) missingSince.set(name, now);
          const victims = podsToCollect({ pods: allPods, nodes: allNodes, missingSince, now, quarantineMs: settings.podGcQuarantineMs ?? QUARANTINE_MS, terminatedThreshold: settings.terminatedPodGcThreshold ?? 12_500 });
          for (const v of victims) await collect(v);
        }),
    });
  },
};
