/**
 * Event filters for controller sources: a predicate returning false drops the event before it
 * becomes a request. Omitted callbacks accept.
 */
import type { KubeObject } from '../api/meta.ts';
import type { DeepReadonly } from '../informer/index.ts';

/** Filters one source's events; each callback answers "enqueue?". */
export interface Predicate<T extends KubeObject = KubeObject> {
  create?(obj: DeepReadonly<T>): boolean;
  update?(oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>): boolean;
  delete?(obj: DeepReadonly<T>): boolean;
}

/** Passes updates only when `metadata.generation` changed (spec edits, not status writes). */
export const generationChangedPredicate: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata.generation !== newObj.metadata.generation,
};

/** Passes updates only when labels changed. */
export const labelsChangedPredicate: Predicate = {
  update: (oldObj, newObj) => JSON.stringify(oldObj.metadata.labels ?? {}) !== JSON.stringify(newObj.metadata.labels ?? {}),
};

/** Passes updates only when `metadata.resourceVersion` changed (drops periodic resyncs). */
export const resourceVersionChangedPredicate: Predicate = {
  update: (oldObj, newObj) => oldObj.metadata.resourceVersion !== newObj.metadata.resourceVersion,
};
