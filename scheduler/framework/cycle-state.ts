/**
 * Per-scheduling-cycle state shared by the plugins of one profile: typed keys instead of
 * string-keyed `any`.
 */

/** A typed key into {@link CycleState}; create one per plugin datum at module level. */
export interface StateKey<T> {
  readonly name: string;
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T;
}

/** Creates a {@link StateKey}. Keys compare by identity, the name is for diagnostics. */
export function stateKey<T>(name: string): StateKey<T> {
  return Object.freeze({ name }) as StateKey<T>;
}

/** State data may implement `clone()` when it is mutated by AddPod/RemovePod extensions. */
export interface Cloneable<T> {
  clone(): T;
}

function isCloneable(v: unknown): v is Cloneable<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { clone?: unknown }).clone === 'function';
}

/**
 * Contract: one CycleState per pod scheduling attempt; written by PreFilter/PreScore and
 * read by later extension points of the same attempt. `clone()` copies every entry (calling
 * the entry's own `clone()` when it has one) so preemption can simulate removing victims
 * without disturbing the real cycle. `read` throws when the key was never written — a plugin
 * bug, surfaced as an Error status by the framework.
 */
export class CycleState {
  private readonly data = new Map<StateKey<unknown>, unknown>();
  /** Plugins whose PreFilter returned Skip (their Filter is not run). */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip (their Score is not run). */
  readonly skipScorePlugins = new Set<string>();

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key as StateKey<unknown>, value);
  }

  /** The value for `key`; throws if absent. */
  read<T>(key: StateKey<T>): T {
    // One lookup on the hot path (plugins read their state once per node).
    const value = this.data.get(key as StateKey<unknown>);
    if (value === undefined && !this.data.has(key as StateKey<unknown>)) throw new Error(`error reading ${JSON.stringify(key.name)} from cycleState: not found`);
    return value as T;
  }

  /** The value for `key`, or undefined. */
  tryRead<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key as StateKey<unknown>) as T | undefined;
  }

  delete<T>(key: StateKey<T>): void {
    this.data.delete(key as StateKey<unknown>);
  }

  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, isCloneable(v) ? v.clone() : v);
    for (const p of this.skipFilterPlugins) copy.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) copy.skipScorePlugins.add(p);
    return copy;
  }
}
