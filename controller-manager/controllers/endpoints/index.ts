/**
 * The `endpoint` and `endpointslice` controllers in one reconciler per Service: the Endpoints
 * object named after the Service (the Service's labels, `service.kubernetes.io/headless` when
 * headless, truncated at 1,000 addresses with `endpoints.kubernetes.io/over-capacity: truncated`)
 * and discovery.k8s.io/v1 EndpointSlices (`<service>-xxxxx`, owned by the Service, labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, endpoints with their
 * node's zone), updated in place before any is created or deleted. Services without a selector
 * are left to their users (and the mirroring controller). Endpoints are hinted for zones by
 * `trafficDistribution: PreferClose` or, with `service.kubernetes.io/topology-mode: Auto`, by the
 * topology cache, which Node changes (added, deleted, readiness or zone changed) refresh — then
 * Services whose hints now overload a zone are synced again.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { LABEL_TOPOLOGY_ZONE } from '../../../pkg/api/core/v1/well-known-labels.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { selectorFromSet } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, newControllerRef, requestFromKey, type Predicate, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import { EndpointSliceTracker, managedSliceOwner, trackedSliceEvents } from '../endpointslice-tracker.ts';
import type { ControllerDescriptor } from '../types.ts';
import { ADDRESS_TYPE, desiredSlices, desiredSubsets, endpointsLabels, endpointSliceLabels, MANAGED_BY, OVER_CAPACITY_ANNOTATION, SERVICE_NAME_LABEL as SERVICE_NAME, truncateSubsets } from './desired.ts';
import { serviceSliceHints } from './service-hints.ts';
import { nodeTopologyChanged, TopologyCache } from './topology-cache.ts';
import { withoutHints } from './topology-hints.ts';
import { TriggerTimeTracker, withTriggerTime } from './trigger-time.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';

// Key order does not matter: the API server stores objects in its schema's field order.
const same = (a: unknown, b: unknown) => jsonEqual(a ?? null, b ?? null);
const ONLY_DELETIONS: Predicate<Endpoints> = { create: () => false, update: () => false };

export const endpointsController: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  register({ manager, settings }) {
    const services = manager.lister<Service>(C.services);
    const pods = manager.lister<Pod>(C.pods);
    const endpoints = manager.lister<Endpoints>(C.endpoints);
    const slices = manager.lister<EndpointSlice>(C.endpointSlices);
    const nodes = manager.lister<Node>(C.nodes);
    const zoneOf = (nodeName: string) => nodes.get(nodeName)?.metadata.labels?.[LABEL_TOPOLOGY_ZONE] || undefined;
    const client = manager.client;
    const log = manager.log.child({ controller: 'endpoint' });
    const recorder = manager.eventRecorder('endpoint-slice-controller');
    const topology = new TopologyCache(log);
    const triggerTimes = new TriggerTimeTracker();
    const sliceTracker = new EndpointSliceTracker();
    const ownerKeyOf = managedSliceOwner(MANAGED_BY);
    const servicesForPod = (pod: DeepReadonly<Pod>): ReconcileRequest[] =>
      services
        .listInNamespace(pod.metadata.namespace ?? '')
        .filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length && selectorFromSet(s.spec.selector).matches(pod.metadata.labels))
        .map((s) => ({ namespace: s.metadata.namespace ?? '', name: s.metadata.name as string }));
    const controller = newControllerBuilder(manager, 'endpoint')
      .for<Service>(C.services)
      .watches<Pod>(C.pods, servicesForPod)
      .watches<EndpointSlice>(C.endpointSlices, (s) => (s.metadata.labels?.[SERVICE_NAME] ? [{ namespace: s.metadata.namespace ?? '', name: s.metadata.labels[SERVICE_NAME] }] : []), { predicates: [trackedSliceEvents(sliceTracker, ownerKeyOf)] })
      // As upstream's endpoints controller: only a deleted Endpoints object is news.
      .watches<Endpoints>(C.endpoints, (e) => [{ namespace: e.metadata.namespace ?? '', name: e.metadata.name as string }], { predicates: [ONLY_DELETIONS] })
      .withMaxConcurrentReconciles(settings.concurrentSyncs.endpoint ?? 5)
      .complete({
        async reconcile(req) {
          const key = `${req.namespace}/${req.name}`;
          const svc = services.get(key);
          const epApi = client.endpoints.inNamespace(req.namespace);
          const ignoreGone = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));
          if (!svc || svc.metadata.deletionTimestamp) {
            if (!svc) {
              topology.removeHints(key);
              triggerTimes.forget(key);
              sliceTracker.forget(key);
            }
            const stale = endpoints.get(key);
            if (stale && !svc) await epApi.delete(req.name, { preconditions: { uid: stale.metadata.uid } }).catch(ignoreGone);
            return;
          }
          const selector = svc.spec?.selector;
          if (!selector || !Object.keys(selector).length) return;
          // Slices on their way out are left alone (a finalizer would otherwise keep the cache stale).
          const existing = slices.listInNamespace(req.namespace).filter((s) => ownerKeyOf(s) === key && !s.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
          // As upstream, a sync waits for the cache to show this controller's own slice writes.
          if (sliceTracker.isStale(key, existing)) return { requeue: true };
          const selected = pods.listInNamespace(req.namespace, selectorFromSet(selector));
          const triggerTime = triggerTimes.compute(key, svc, selected);

          // Endpoints
          const { subsets, truncated } = truncateSubsets(desiredSubsets(svc, selected));
          const current = endpoints.get(key);
          const labels = endpointsLabels(svc);
          // Written with every change: the capacity mark and the trigger time.
          const annotate = (annotations: Record<string, string> = {}) => {
            const { [OVER_CAPACITY_ANNOTATION]: _was, ...rest } = withTriggerTime(annotations, triggerTime);
            return truncated ? { ...rest, [OVER_CAPACITY_ANNOTATION]: 'truncated' } : rest;
          };
          if (!current) {
            const annotations = annotate();
            await epApi.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: req.name, labels, ...(Object.keys(annotations).length ? { annotations } : {}) }, subsets } as Endpoints).catch((err) => (isAlreadyExists(err) ? undefined : Promise.reject(err)));
          } else if (!same(current.subsets ?? [], subsets) || !same(current.metadata.labels ?? {}, labels) || truncated !== (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined)) {
            const copy = copyJson(current);
            await epApi.update({ ...copy, metadata: { ...copy.metadata, labels, annotations: annotate(copy.metadata.annotations) }, subsets } as Endpoints).catch(ignoreGone);
          }

          // EndpointSlices: reuse existing slices in order, create what is missing, delete the rest.
          const sliceApi = client.endpointSlices.inNamespace(req.namespace);
          const wanted = desiredSlices(svc, selected, { zoneOf });
          const sliceLabels = endpointSliceLabels(svc, MANAGED_BY);
          // A stored slice that differs at most in hints is "unchanged": Auto keeps its hints while they fit.
          const unchangedApartFromHints = (have: DeepReadonly<EndpointSlice> | undefined, w: (typeof wanted)[number]) =>
            have !== undefined && same(have.ports ?? [], w.ports) && same(have.metadata.labels, sliceLabels) && same(withoutHints(have.endpoints ?? []), withoutHints(w.endpoints));
          const hinted = serviceSliceHints(topology, svc, ADDRESS_TYPE, wanted.map((w, i) => ({ desired: w.endpoints, storedIfUnchanged: unchangedApartFromHints(existing[i], w) ? (existing[i].endpoints ?? []) : undefined })));
          try {
            for (let i = 0; i < wanted.length; i++) {
              const body = { addressType: ADDRESS_TYPE, endpoints: hinted.endpoints[i], ports: wanted[i].ports };
              const have = existing[i];
              if (!have) {
                sliceTracker.recordWrite(key, await sliceApi.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${req.name}-`, labels: sliceLabels, ...(triggerTime ? { annotations: withTriggerTime(undefined, triggerTime) } : {}), ownerReferences: [newControllerRef(svc, { apiVersion: 'v1', kind: 'Service' })] }, ...body } as EndpointSlice));
              } else if (!same(have.endpoints ?? [], body.endpoints) || !same(have.ports ?? [], body.ports) || !same(have.metadata.labels, sliceLabels)) {
                const copy = copyJson(have);
                const updated = await sliceApi.update({ ...copy, metadata: { ...copy.metadata, labels: sliceLabels, annotations: withTriggerTime(copy.metadata.annotations, triggerTime) }, ...body } as EndpointSlice).catch(ignoreGone);
                if (updated) sliceTracker.recordWrite(key, updated);
              }
            }
            for (const extra of existing.slice(wanted.length)) {
              await sliceApi.delete(extra.metadata.name as string, { preconditions: { uid: extra.metadata.uid } }).catch(ignoreGone);
              sliceTracker.recordDeletion(key, extra);
            }
          } finally {
            // As upstream, the sync's topology events are recorded whether or not its writes succeeded.
            for (const e of hinted.events) recorder.event({ ...svc, apiVersion: 'v1', kind: 'Service' }, e.type, e.reason, e.message);
          }
        },
      });

    // Upstream's topology queue: Node events coalesce into one recount of the zones' CPU, after
    // which Services whose hints now overload a zone are synced again.
    let recountQueued = false;
    const recountZones = () => {
      if (recountQueued) return;
      recountQueued = true;
      queueMicrotask(() => {
        recountQueued = false;
        topology.setNodes(nodes.list());
        for (const key of topology.overloadedServices()) {
          log.debug({ key }, 'Queuing Service after Node change due to overloading');
          controller.enqueue(requestFromKey(key));
        }
      });
    };
    manager.informer<Node>(C.nodes).addEventHandler({ onAdd: recountZones, onUpdate: (oldNode, newNode) => nodeTopologyChanged(oldNode, newNode) && recountZones(), onDelete: recountZones });
  },
};
