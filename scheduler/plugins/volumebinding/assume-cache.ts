/**
 * An informer cache with in-memory "assumed" versions on top (upstream volumebinding
 * AssumeCache): Reserve assumes a PV bound to a claim, or a claim annotated with the selected
 * node, so the next pod's cycle sees them taken before the API writes land. An assumed object
 * is shown until the informer delivers a newer resourceVersion of it or it is restored.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';

const version = (obj: { metadata?: { resourceVersion?: string } } | undefined): number => Number(obj?.metadata?.resourceVersion ?? 0) || 0;

/**
 * Contract: `get`/`list` return the informer's object unless an assumed one of at least the same
 * resourceVersion exists; `assume` throws when the object is unknown or older than the cache;
 * `restore` drops the assumption (idempotent). `getAPI` always returns the informer's object.
 */
export class AssumeCache<T extends KubeObject> {
  private readonly assumed = new Map<string, DeepReadonly<T>>();

  constructor(
    private readonly lister: Lister<T>,
    private readonly keyOf: (obj: DeepReadonly<T>) => string,
    private readonly what: string,
  ) {}

  /** The informer's object, ignoring assumptions (upstream GetAPIObj). */
  getAPI(key: string): DeepReadonly<T> | undefined {
    return this.lister.get(key);
  }

  get(key: string): DeepReadonly<T> | undefined {
    const api = this.lister.get(key);
    const mine = this.assumed.get(key);
    if (!mine) return api;
    if (!api || version(api) > version(mine)) {
      this.assumed.delete(key);
      return api;
    }
    return mine;
  }

  list(): DeepReadonly<T>[] {
    return this.lister.list().map((o) => this.get(this.keyOf(o)) ?? o);
  }

  assume(obj: DeepReadonly<T>): void {
    const key = this.keyOf(obj);
    const current = this.get(key);
    if (!current) throw new Error(`${this.what} "${key}" not found`);
    if (version(obj) < version(current)) throw new Error(`target version ${obj.metadata?.resourceVersion} of assumed object ${key} is older than latest version ${current.metadata?.resourceVersion}`);
    this.assumed.set(key, Object.freeze(obj) as DeepReadonly<T>);
  }

  restore(key: string): void {
    this.assumed.delete(key);
  }
}

/** `ns/name` of a namespaced object, `name` of a cluster-scoped one (informer keys). */
export const objectKey = (obj: { metadata?: { namespace?: string; name?: string } }): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata?.name ?? '');
