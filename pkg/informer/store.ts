/**
 * The informer's cache: objects by `ns/name` key, plus secondary indexes. Every object in it is
 * deep-frozen. Only the informer writes to it; everyone else reads through a {@link Lister}.
 */
import type { KubeObject } from '../api/meta.ts';
import { objectKey } from '../client/coordinates.ts';
import { deepFreeze, type DeepReadonly } from './deep-readonly.ts';

/** Computes the index values of an object (e.g. its namespace, its node name). */
export type IndexFunc<T extends KubeObject> = (obj: DeepReadonly<T>) => readonly string[];

export type Indexers<T extends KubeObject> = Readonly<Record<string, IndexFunc<T>>>;

/** Name of the namespace index every store has. */
export const NAMESPACE_INDEX = 'namespace';

/** Indexes objects by `metadata.namespace` ('' for cluster-scoped). */
export const namespaceIndexFunc: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

/** The key of an object: `ns/name` or `name`. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return objectKey(obj.metadata ?? {});
}

/** Read access to a store (what listers and tests use). */
export interface ReadonlyStore<T extends KubeObject> {
  get(key: string): DeepReadonly<T> | undefined;
  list(): DeepReadonly<T>[];
  listKeys(): string[];
  /** Objects whose index `indexName` contains `value`; throws for an unknown index. */
  byIndex(indexName: string, value: string): DeepReadonly<T>[];
  size(): number;
}

/**
 * A keyed object cache with indexes. Contract: `put` freezes and stores (replacing the same
 * key), `remove` deletes by key, `replace` swaps the whole content; indexes always agree with
 * the content. Listing order is key order.
 */
export class Store<T extends KubeObject> implements ReadonlyStore<T> {
  private readonly items = new Map<string, DeepReadonly<T>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc as IndexFunc<T>, ...indexers });
  }

  /**
   * Adds indexes (existing objects are indexed at once). A name may be added only once, except
   * that adding the very same function under the same name again is a no-op (controllers sharing
   * an informer each ask for the common indexes they use).
   */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.get(name) === fn) continue;
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.indexOne(index, fn, key, obj);
    }
  }

  get(key: string): DeepReadonly<T> | undefined {
    return this.items.get(key);
  }

  list(): DeepReadonly<T>[] {
    return [...this.items.keys()].sort().map((k) => this.items.get(k)!);
  }

  listKeys(): string[] {
    return [...this.items.keys()].sort();
  }

  size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): DeepReadonly<T>[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index ${indexName} does not exist`);
    return [...(index.get(value) ?? [])].sort().map((k) => this.items.get(k)!);
  }

  /** Stores an object (frozen) under its key; returns the previous one. */
  put(obj: T | DeepReadonly<T>): { key: string; old: DeepReadonly<T> | undefined; obj: DeepReadonly<T> } {
    const frozen = deepFreeze(obj) as DeepReadonly<T>;
    const key = keyOf(frozen as KubeObject);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, frozen);
    for (const [name, fn] of this.indexers) this.indexOne(this.indices.get(name)!, fn, key, frozen);
    return { key, old, obj: frozen };
  }

  /** Removes a key; returns the object it held. */
  remove(key: string): DeepReadonly<T> | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private indexOne(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: DeepReadonly<T>): void {
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: DeepReadonly<T>): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
