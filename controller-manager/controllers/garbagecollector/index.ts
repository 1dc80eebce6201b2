/**
 * The `garbagecollector` controller: an ownerReference graph over the built-in resources (from
 * shared informers indexed by uid and by owner uid), requests keyed by object uid. Dependents
 * whose owners are all gone are deleted (background), dangling references are dropped, owners
 * deleted in the foreground wait for their blocking dependents, and the orphan policy detaches
 * dependents before the owner goes. Absent owners are confirmed with a live GET first.
 * Custom resources join the graph when their CustomResourceDefinition is established (each
 * served version's kind maps to the storage version's informer).
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { BUILTIN_COORDINATES, type ResourceCoordinates } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import { deletedObject, type DeepReadonly, type SharedInformer } from '../../../pkg/informer/index.ts';
import { Controller, type ReconcileRequest } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { decideDeletingOwner, decideDependent, FOREGROUND, type OwnerState } from './decide.ts';
import { CRD_COORDINATES, customResourceCoordinates } from '../custom-resources.ts';
import type { CustomResourceDefinition } from '../../../pkg/api/apiextensions/v1/customresourcedefinition.ts';

const C = BUILTIN_COORDINATES;
/** Resources in the graph (events are never owners and too many to watch for this). */
export const GC_RESOURCES: readonly ResourceCoordinates[] = [C.pods, C.services, C.endpoints, C.configMaps, C.secrets, C.serviceAccounts, C.deployments, C.replicaSets, C.replicationControllers, C.podTemplates, C.endpointSlices, C.leases, C.nodes, C.daemonSets, C.statefulSets, C.controllerRevisions, C.jobs, C.cronJobs, C.persistentVolumeClaims, C.persistentVolumes, C.csiNodes];

type Obj = DeepReadonly<KubeObject>;

export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbagecollector',
  enabledByDefault: true,
  register({ manager, settings }) {
    const informers = new Map<ResourceCoordinates, SharedInformer<KubeObject>>();
    const byKind = new Map<string, ResourceCoordinates>();
    const find = (uid: string): { coords: ResourceCoordinates; obj: Obj } | undefined => {
      for (const [coords, informer] of informers) {
        const obj = informer.store().byIndex('uid', uid)[0];
        if (obj) return { coords, obj };
      }
      return undefined;
    };
    const dependentsOf = (uid: string): Array<{ coords: ResourceCoordinates; obj: Obj }> =>
      [...informers].flatMap(([coords, informer]) => informer.store().byIndex('owner', uid).map((obj) => ({ coords, obj })));
    const client = manager.client;
    const api = (coords: ResourceCoordinates, ns: string | undefined) => client.resource(coords).inNamespace(ns ?? '');
    const ignoreGone = (err: unknown) => (isNotFound(err) || isConflict(err) ? undefined : Promise.reject(err));

    /** Live check of an owner the cache does not have (it may just be slow). */
    const ownerState = async (obj: Obj, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<OwnerState> => {
      const cached = find(ref.uid);
      if (cached) return cached.obj.metadata.deletionTimestamp && cached.obj.metadata.finalizers?.includes(FOREGROUND) ? 'deleting-foreground' : 'present';
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      const coords = byKind.get(`${group}/${ref.kind}`);
      if (!coords) return 'present'; // an owner kind outside the graph: never collect on a guess
      try {
        const live = await api(coords, coords.namespaced ? obj.metadata.namespace : undefined).get(ref.name);
        return live.metadata.uid === ref.uid ? 'present' : 'absent';
      } catch (err) {
        if (isNotFound(err)) return 'absent';
        throw err;
      }
    };

    const reconciler = {
      async reconcile(req: ReconcileRequest) {
        const found = find(req.name);
        if (!found) return;
        const { coords, obj } = found;
        const ns = obj.metadata.namespace;
        const deps = dependentsOf(obj.metadata.uid as string);
        const ownerAction = decideDeletingOwner(obj, deps.map((d) => d.obj));
        if (ownerAction.action === 'remove-finalizer') {
          const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== ownerAction.finalizer);
          await api(coords, ns).patch(obj.metadata.name as string, { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } }, { type: 'merge' }).catch(ignoreGone);
        } else if (ownerAction.action === 'delete-dependents') {
          for (const d of deps.filter((x) => ownerAction.names.includes(x.obj.metadata.name as string))) {
            const policy = dependentsOf(d.obj.metadata.uid as string).length ? 'Foreground' : 'Background';
            await api(d.coords, d.obj.metadata.namespace).delete(d.obj.metadata.name as string, { propagationPolicy: policy, preconditions: { uid: d.obj.metadata.uid } }).catch(ignoreGone);
          }
        } else if (ownerAction.action === 'orphan-dependents') {
          for (const d of deps) {
            const refs = (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
            await api(d.coords, d.obj.metadata.namespace).patch(d.obj.metadata.name as string, { metadata: { uid: d.obj.metadata.uid, ownerReferences: refs.length ? refs : null } }, { type: 'merge' }).catch(ignoreGone);
          }
        }
        const refs = obj.metadata.ownerReferences ?? [];
        if (!refs.length || obj.metadata.deletionTimestamp) return;
        const owners = new Map<string, OwnerState>();
        for (const ref of refs) owners.set(ref.uid, await ownerState(obj, ref as { apiVersion: string; kind: string; name: string; uid: string }));
        const action = decideDependent(obj, owners, deps.length > 0);
        if (action.action === 'delete') {
          await api(coords, ns).delete(obj.metadata.name as string, { propagationPolicy: action.propagation, preconditions: { uid: obj.metadata.uid } }).catch(ignoreGone);
        } else if (action.action === 'remove-refs') {
          const kept = refs.filter((r) => !action.uids.includes(r.uid));
          await api(coords, ns).patch(obj.metadata.name as string, { metadata: { uid: obj.metadata.uid, ownerReferences: kept } }, { type: 'merge' }).catch(ignoreGone);
        }
      },
    };
    const controller = new Controller({ name: 'garbagecollector', reconciler, logger: manager.log, clock: manager.clock, metrics: manager.metrics, maxConcurrentReconciles: settings.concurrentSyncs.garbagecollector ?? 20 });
    const enqueue = (uid: string | undefined) => uid && controller.enqueue({ namespace: '', name: uid });
    const touched = (o: Obj) => {
      enqueue(o.metadata.uid);
      for (const r of o.metadata.ownerReferences ?? []) enqueue(r.uid);
    };
    /** Puts a resource into the graph (idempotent); `kinds` are the group/Kind keys owner references may use. */
    const addResource = (coords: ResourceCoordinates) => {
      if (byKind.has(`${coords.group}/${coords.kind}`)) return;
      byKind.set(`${coords.group}/${coords.kind}`, coords);
      const informer = manager.informer<KubeObject>(coords);
      informer.addIndexers({ uid: (o) => [o.metadata.uid as string], owner: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid) });
      informers.set(coords, informer);
      informer.addEventHandler({
        onAdd: (o) => touched(o),
        onUpdate: (a, b) => {
          touched(b);
          for (const r of a.metadata.ownerReferences ?? []) enqueue(r.uid);
        },
        onDelete: (d) => {
          const o = deletedObject(d);
          for (const r of o.metadata.ownerReferences ?? []) enqueue(r.uid);
          for (const dep of dependentsOf(o.metadata.uid as string)) enqueue(dep.obj.metadata.uid);
        },
      });
    };
    for (const coords of GC_RESOURCES) addResource(coords);
    const crds = manager.informer<CustomResourceDefinition>(CRD_COORDINATES);
    const addCustomResource = (crd: DeepReadonly<CustomResourceDefinition>) => {
      const coords = customResourceCoordinates(crd);
      if (coords) addResource(coords);
    };
    crds.addEventHandler({ onAdd: addCustomResource, onUpdate: (_old, crd) => addCustomResource(crd) });
    manager.add(controller);
  },
};
