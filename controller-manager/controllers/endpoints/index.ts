/**
 * The `endpoint` and `endpointslice` controllers in one reconciler per Service: the Endpoints
 * object named after the Service (the Service's labels, `service.kubernetes.io/headless` when
 * headless, truncated at 1,000 addresses with `endpoints.kubernetes.io/over-capacity: truncated`)
 * and discovery.k8s.io/v1 EndpointSlices (`<service>-xxxxx`, owned by the Service, labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, endpoints with their
 * node's zone), updated in place before any is created or deleted. Services without a selector
 * are left to their users (and the mirroring controller).
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Node } from '../../../pkg/api/core/v1/node.ts';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { selectorFromSet } from '../../../pkg/api/selectors/index.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, newControllerRef, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { desiredSlices, desiredSubsets, endpointsLabels, endpointSliceLabels, MANAGED_BY, MANAGED_BY_LABEL, OVER_CAPACITY_ANNOTATION, SERVICE_NAME_LABEL as SERVICE_NAME, truncateSubsets } from './desired.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';

const ZONE_LABEL = 'topology.kubernetes.io/zone';

// Key order does not matter: the API server stores objects in its schema's field order.
const same = (a: unknown, b: unknown) => jsonEqual(a ?? null, b ?? null);

export const endpointsController: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  register({ manager, settings }) {
    const services = manager.lister<Service>(C.services);
    const pods = manager.lister<Pod>(C.pods);
    const endpoints = manager.lister<Endpoints>(C.endpoints);
    const slices = manager.lister<EndpointSlice>(C.endpointSlices);
    const nodes = manager.lister<Node>(C.nodes);
    const zoneOf = (nodeName: string) => nodes.get(nodeName)?.metadata.labels?.[ZONE_LABEL] || undefined;
    const client = manager.client;
    const servicesForPod = (pod: DeepReadonly<Pod>): ReconcileRequest[] =>
      services
        .listInNamespace(pod.metadata.namespace ?? '')
        .filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length && selectorFromSet(s.spec.selector).matches(pod.metadata.labels))
        .map((s) => ({ namespace: s.metadata.namespace ?? '', name: s.metadata.name as string }));
    newControllerBuilder(manager, 'endpoint')
      .for<Service>(C.services)
      .watches<Pod>(C.pods, servicesForPod)
      .watches<EndpointSlice>(C.endpointSlices, (s) => (s.metadata.labels?.[SERVICE_NAME] ? [{ namespace: s.metadata.namespace ?? '', name: s.metadata.labels[SERVICE_NAME] }] : []))
      .watches<Endpoints>(C.endpoints, (e) => [{ namespace: e.metadata.namespace ?? '', name: e.metadata.name as string }])
      .withMaxConcurrentReconciles(settings.concurrentSyncs.endpoint ?? 5)
      .complete({
        async reconcile(req) {
          const svc = services.get(`${req.namespace}/${req.name}`);
          const epApi = client.endpoints.inNamespace(req.namespace);
          const ignoreGone = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));
          if (!svc || svc.metadata.deletionTimestamp) {
            const stale = endpoints.get(`${req.namespace}/${req.name}`);
            if (stale && !svc) await epApi.delete(req.name, { preconditions: { uid: stale.metadata.uid } }).catch(ignoreGone);
            return;
          }
          const selector = svc.spec?.selector;
          if (!selector || !Object.keys(selector).length) return;
          const selected = pods.listInNamespace(req.namespace, selectorFromSet(selector));

          // Endpoints
          const { subsets, truncated } = truncateSubsets(desiredSubsets(svc, selected));
          const current = endpoints.get(`${req.namespace}/${req.name}`);
          const labels = endpointsLabels(svc);
          const withCapacity = (annotations: Record<string, string> = {}) => {
            const { [OVER_CAPACITY_ANNOTATION]: _was, ...rest } = annotations;
            return truncated ? { ...rest, [OVER_CAPACITY_ANNOTATION]: 'truncated' } : rest;
          };
          if (!current) {
            const annotations = withCapacity();
            await epApi.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: req.name, labels, ...(truncated ? { annotations } : {}) }, subsets } as Endpoints).catch((err) => (isAlreadyExists(err) ? undefined : Promise.reject(err)));
          } else if (!same(current.subsets ?? [], subsets) || !same(current.metadata.labels ?? {}, labels) || truncated !== (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined)) {
            const copy = copyJson(current);
            await epApi.update({ ...copy, metadata: { ...copy.metadata, labels, annotations: withCapacity(copy.metadata.annotations) }, subsets } as Endpoints).catch(ignoreGone);
          }

          // EndpointSlices: reuse existing slices in order, create what is missing, delete the rest.
          const sliceApi = client.endpointSlices.inNamespace(req.namespace);
          const existing = slices.listInNamespace(req.namespace).filter((s) => s.metadata.labels?.[SERVICE_NAME] === req.name && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
          const wanted = desiredSlices(svc, selected, { zoneOf });
          const sliceLabels = endpointSliceLabels(svc, MANAGED_BY);
          for (let i = 0; i < wanted.length; i++) {
            const body = { addressType: 'IPv4', endpoints: wanted[i].endpoints, ports: wanted[i].ports };
            const have = existing[i];
            if (!have) {
              await sliceApi.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: `${req.name}-`, labels: sliceLabels, ownerReferences: [newControllerRef(svc, { apiVersion: 'v1', kind: 'Service' })] }, ...body } as EndpointSlice);
            } else if (!same(have.endpoints ?? [], body.endpoints) || !same(have.ports ?? [], body.ports) || !same(have.metadata.labels, sliceLabels)) {
              const copy = copyJson(have);
              await sliceApi.update({ ...copy, metadata: { ...copy.metadata, labels: sliceLabels }, ...body } as EndpointSlice).catch(ignoreGone);
            }
          }
          for (const extra of existing.slice(wanted.length)) await sliceApi.delete(extra.metadata.name as string, { preconditions: { uid: extra.metadata.uid } }).catch(ignoreGone);
        },
      });
  },
};
