/**
 * The `endpointslicemirroring` controller (upstream `endpointslice-mirroring-controller`): an
 * Endpoints object whose Service has no selector — written by hand or by another controller —
 * is mirrored into EndpointSlices `<endpoints>-xxxxx`, owned by the Endpoints and labelled
 * `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`, so the
 * proxy and DNS (which read only slices) see those endpoints. One reconcile per Endpoints key;
 * the decisions are the pure functions next to this file.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { ApiError, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, requestForObject, requestFromKey, type Predicate, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import { EndpointSliceTracker, managedSliceOwner, trackedSliceEvents } from '../endpointslice-tracker.ts';
import type { ControllerDescriptor } from '../types.ts';
import { DEFAULT_MAX_ENDPOINTS_PER_SUBSET, desiredMirror } from './desired.ts';
import { planSliceChanges } from './plan.ts';
import { endpointsAllowMirroring, hasSelector, mirroringDecision } from './should-mirror.ts';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MIRRORING_CONTROLLER_NAME, REASON_INVALID_IP, REASON_TOO_MANY_ADDRESSES } from './well-known.ts';

const NAME = 'endpointslicemirroring';

/** The `namespace/name` of the Endpoints a slice mirrors, if this controller manages it. */
const mirroredKeyOf = managedSliceOwner(MIRRORING_CONTROLLER_NAME);

const namespaceTerminating = (err: unknown) => err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
const ignoreNotFound = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));

/** Endpoints events that can change the mirror: the object allows mirroring before or after. */
const mirrorableEndpoints: Predicate<Endpoints> = {
  create: endpointsAllowMirroring,
  update: (oldEp, newEp) => endpointsAllowMirroring(oldEp) || endpointsAllowMirroring(newEp),
  delete: endpointsAllowMirroring,
};

/** Service events that can change the mirror: selectorless ones appearing or going, a selector added or removed. */
const selectorlessServices: Predicate<Service> = {
  create: (svc) => !hasSelector(svc),
  update: (oldSvc, newSvc) => hasSelector(oldSvc) !== hasSelector(newSvc),
  delete: (svc) => !hasSelector(svc),
};

export const endpointSliceMirroringController: ControllerDescriptor = {
  name: NAME,
  enabledByDefault: true,
  register({ manager, settings }) {
    const endpointsLister = manager.lister<Endpoints>(C.endpoints);
    const services = manager.lister<Service>(C.services);
    const slices = manager.lister<EndpointSlice>(C.endpointSlices);
    const client = manager.client;
    const events = manager.eventRecorder('endpoint-slice-mirroring-controller');
    const maxEndpointsPerSubset = settings.mirroringMaxEndpointsPerSubset ?? DEFAULT_MAX_ENDPOINTS_PER_SUBSET;
    const tracker = new EndpointSliceTracker();

    const mirroredSlices = (namespace: string, name: string) =>
      slices
        .listInNamespace(namespace, `${LABEL_SERVICE_NAME}=${name},${LABEL_MANAGED_BY}=${MIRRORING_CONTROLLER_NAME}`)
        // Slices on their way out are left alone (a finalizer would otherwise keep the cache stale).
        .filter((s) => !s.metadata.deletionTimestamp)
        .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const endpointsOfSlice = (slice: DeepReadonly<EndpointSlice>): ReconcileRequest[] => {
      const key = mirroredKeyOf(slice);
      return key ? [requestFromKey(key)] : [];
    };

    newControllerBuilder(manager, NAME)
      .for<Endpoints>(C.endpoints, { predicates: [mirrorableEndpoints] })
      .watches<Service>(C.services, requestForObject, { predicates: [selectorlessServices] })
      .watches<EndpointSlice>(C.endpointSlices, endpointsOfSlice, { predicates: [trackedSliceEvents(tracker, mirroredKeyOf)] })
      .withMaxConcurrentReconciles(settings.concurrentSyncs[NAME] ?? 5)
      .complete({
        async reconcile(req, { log }) {
          const key = `${req.namespace}/${req.name}`;
          const sliceApi = client.endpointSlices.inNamespace(req.namespace);
          const endpoints = endpointsLister.get(key);
          const existing = mirroredSlices(req.namespace, req.name);
          const decision = mirroringDecision(endpoints, services.get(key));
          if (!decision.mirror) {
            tracker.forget(key);
            if (existing.length) log.debug({ reason: decision.reason, slices: existing.length }, 'deleting mirrored EndpointSlices');
            for (const slice of existing) await sliceApi.delete(slice.metadata.name as string, { preconditions: { uid: slice.metadata.uid } }).catch(ignoreNotFound);
            return;
          }
          if (tracker.isStale(key, existing)) return { requeue: true };
          const source = endpoints as DeepReadonly<Endpoints>; // present: the decision was to mirror

          const desired = desiredMirror(source, maxEndpointsPerSubset);
          if (desired.invalidAddresses > 0) events.event(source, 'Warning', REASON_INVALID_IP, `Skipped ${desired.invalidAddresses} invalid IP addresses when mirroring to EndpointSlices`);
          if (desired.skippedAddresses > desired.invalidAddresses) {
            events.event(source, 'Warning', REASON_TOO_MANY_ADDRESSES, `A max of ${maxEndpointsPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. ${desired.skippedAddresses} addresses were skipped`);
          }

          const changes = planSliceChanges(source, desired.slices, existing);
          // No new slices for an Endpoints on its way out (its slices follow it through the GC).
          if (!source.metadata.deletionTimestamp) {
            for (const slice of changes.create) {
              const created = await sliceApi.create(slice).catch((err: unknown) => (namespaceTerminating(err) ? undefined : Promise.reject(err)));
              if (!created) return;
              tracker.recordWrite(key, created);
            }
          }
          for (const slice of changes.update) tracker.recordWrite(key, await sliceApi.update(slice));
          for (const slice of changes.delete) {
            await sliceApi.delete(slice.metadata.name as string, { preconditions: { uid: slice.metadata.uid } }).catch(ignoreNotFound);
            tracker.recordDeletion(key, slice);
          }
        },
      });
  },
};
