/**
 * Declares a controller in one expression (controller-runtime's builder):
 *
 * ```ts
 * newControllerBuilder(manager, 'replicaset')
 *   .for(BUILTIN_COORDINATES.replicaSets)
 *   .owns(BUILTIN_COORDINATES.pods)
 *   .watches(BUILTIN_COORDINATES.nodes, (node) => requestsFor(node), { predicates: [labelsChangedPredicate] })
 *   .withMaxConcurrentReconciles(5)
 *   .complete(new ReplicaSetReconciler(...));
 * ```
 *
 * Event handlers only turn events into requests; the reconciler reads state itself.
 */
import type { KubeObject } from '../api/meta.ts';
import type { ResourceCoordinates } from '../client/index.ts';
import { deletedObject, type DeepReadonly, type DeletedFinalStateUnknown } from '../informer/index.ts';
import { Controller } from './controller.ts';
import { controllerRefOf } from './controller-ref.ts';
import type { Manager } from './manager.ts';
import type { Predicate } from './predicates.ts';
import type { ReconcileRequest, Reconciler } from './reconciler.ts';

/** Maps an object of a watched resource to the requests it should trigger. */
export type MapFunction<T extends KubeObject> = (obj: DeepReadonly<T>) => ReconcileRequest[];

/** Options of one source. */
export interface SourceOptions<T extends KubeObject> {
  predicates?: readonly Predicate<T>[];
}

interface Source {
  coords: ResourceCoordinates;
  map: MapFunction<KubeObject>;
  predicates: readonly Predicate<KubeObject>[];
}

function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : (apiVersion as string).slice(0, slash);
}

/** Request for the object itself. */
export function requestForObject(obj: DeepReadonly<KubeObject>): ReconcileRequest[] {
  return [{ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name as string }];
}

/** Request for the controller owner of `obj` when the owner is of type `owner`. */
export function requestForControllerOwner(owner: ResourceCoordinates): MapFunction<KubeObject> {
  return (obj) => {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) return [];
    return [{ namespace: owner.namespaced ? (obj.metadata.namespace ?? '') : '', name: ref.name }];
  };
}

/** Collects sources and options; `complete` builds the controller and adds it to the manager. */
export class ControllerBuilder {
  private forCoords: ResourceCoordinates | undefined;
  private readonly sources: Source[] = [];
  private concurrency = 1;

  constructor(
    private readonly manager: Manager,
    private readonly name: string,
  ) {}

  /** The primary resource: each of its events reconciles that object. Exactly once per builder. */
  for<T extends KubeObject>(coords: ResourceCoordinates, options: SourceOptions<T> = {}): this {
    if (this.forCoords) throw new Error(`controller ${this.name}: for() called twice`);
    this.forCoords = coords;
    this.sources.push({ coords, map: requestForObject, predicates: (options.predicates ?? []) as readonly Predicate<KubeObject>[] });
    return this;
  }

  /** Owned children: each event reconciles the controller owner (of the `for` type). */
  owns<T extends KubeObject>(coords: ResourceCoordinates, options: SourceOptions<T> = {}): this {
    if (!this.forCoords) throw new Error(`controller ${this.name}: call for() before owns()`);
    this.sources.push({ coords, map: requestForControllerOwner(this.forCoords), predicates: (options.predicates ?? []) as readonly Predicate<KubeObject>[] });
    return this;
  }

  /** Any resource with a map function choosing the requests. */
  watches<T extends KubeObject>(coords: ResourceCoordinates, map: MapFunction<T>, options: SourceOptions<T> = {}): this {
    this.sources.push({ coords, map: map as MapFunction<KubeObject>, predicates: (options.predicates ?? []) as readonly Predicate<KubeObject>[] });
    return this;
  }

  withMaxConcurrentReconciles(n: number): this {
    this.concurrency = Math.max(1, Math.floor(n));
    return this;
  }

  /** Builds the controller, wires its sources and adds it to the manager. */
  complete(reconciler: Reconciler): Controller {
    if (!this.sources.length) throw new Error(`controller ${this.name}: no sources (call for() or watches())`);
    const { manager } = this;
    const controller = new Controller({ name: this.name, reconciler, logger: manager.log, clock: manager.clock, metrics: manager.metrics, maxConcurrentReconciles: this.concurrency });
    for (const source of this.sources) wireSource(manager, controller, source);
    manager.add(controller);
    return controller;
  }
}

function wireSource(manager: Manager, controller: Controller, source: Source): void {
  const enqueueAll = (obj: DeepReadonly<KubeObject>) => {
    for (const request of source.map(obj)) controller.enqueue(request);
  };
  const passes = (check: (p: Predicate<KubeObject>) => boolean) => source.predicates.every(check);
  manager.informer(source.coords).addEventHandler({
    onAdd: (obj) => passes((p) => p.create?.(obj) ?? true) && enqueueAll(obj),
    onUpdate: (oldObj, newObj) => {
      if (!passes((p) => p.update?.(oldObj, newObj) ?? true)) return;
      enqueueAll(oldObj);
      enqueueAll(newObj);
    },
    onDelete: (obj: DeepReadonly<KubeObject> | DeletedFinalStateUnknown<KubeObject>) => {
      const last = deletedObject(obj);
      if (passes((p) => p.delete?.(last) ?? true)) enqueueAll(last);
    },
  });
}

/** Starts declaring a controller named `name` (used in logs and metrics). */
export function newControllerBuilder(manager: Manager, name: string): ControllerBuilder {
  return new ControllerBuilder(manager, name);
}
