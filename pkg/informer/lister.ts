/**
 * Read-only listers over an informer's store (one generic type, no per-kind listers).
 */
import type { KubeObject } from '../api/meta.ts';
import { everything, parseLabelSelector, type LabelSelectorMatcher } from '../api/selectors/index.ts';
import type { DeepReadonly } from './deep-readonly.ts';
import { NAMESPACE_INDEX, type ReadonlyStore } from './store.ts';

/** A label selector as a string (`app=web`) or a parsed matcher. */
export type SelectorInput = string | LabelSelectorMatcher | undefined;

function toMatcher(selector: SelectorInput): LabelSelectorMatcher {
  if (selector === undefined) return everything();
  return typeof selector === 'string' ? parseLabelSelector(selector) : selector;
}

/**
 * Contract: returns frozen objects straight from the cache (never copies, never mutate);
 * results are in key order; a bad selector string throws `SelectorParseError`.
 */
export interface Lister<T extends KubeObject> {
  /** Every cached object matching the label selector. */
  list(selector?: SelectorInput): DeepReadonly<T>[];
  /** Objects of one namespace matching the label selector (namespace index). */
  listInNamespace(namespace: string, selector?: SelectorInput): DeepReadonly<T>[];
  /** By key: `ns/name` or `name` for cluster-scoped objects. */
  get(key: string): DeepReadonly<T> | undefined;
  byIndex(indexName: string, value: string): DeepReadonly<T>[];
}

export function newLister<T extends KubeObject>(store: ReadonlyStore<T>): Lister<T> {
  const filter = (objs: DeepReadonly<T>[], selector: SelectorInput): DeepReadonly<T>[] => {
    const m = toMatcher(selector);
    return m.empty() ? objs : objs.filter((o) => m.matches((o as DeepReadonly<KubeObject>).metadata?.labels));
  };
  return Object.freeze({
    list: (selector?: SelectorInput) => filter(store.list(), selector),
    listInNamespace: (namespace: string, selector?: SelectorInput) => filter(store.byIndex(NAMESPACE_INDEX, namespace), selector),
    get: (key: string) => store.get(key),
    byIndex: (indexName: string, value: string) => store.byIndex(indexName, value),
  });
}
