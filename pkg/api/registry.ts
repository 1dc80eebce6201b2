/**
 * The set of served resources. Mutable so that CRDs can add and remove kinds at run time;
 * listeners hear about every change (discovery and OpenAPI caches invalidate on it).
 */
import type { ResourceInfo } from './resource.ts';
import { compareKubeAwareVersions } from './version-priority.ts';

export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceInfo>();
  private readonly listeners = new Set<() => void>();

  /** Adds or replaces the resource at group/version/plural. */
  register(info: ResourceInfo): void {
    this.byPath.set(key(info.group, info.version, info.plural), info as ResourceInfo);
    this.emit();
  }

  unregister(group: string, version: string, plural: string): void {
    if (this.byPath.delete(key(group, version, plural))) this.emit();
  }

  /** Every resource, in registration order. */
  all(): ResourceInfo[] {
    return [...this.byPath.values()];
  }

  /** By URL coordinates: group ('' for core), version, plural. */
  lookup(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(key(group, version, plural));
  }

  /** By group, version and Kind (e.g. from an object's apiVersion/kind). */
  byKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    for (const info of this.byPath.values()) {
      if (info.group === group && info.version === version && info.kind === kind) return info;
    }
    return undefined;
  }

  /**
   * The served versions of each group, preferred version first: built-in groups in registration
   * order (their own priority), groups served only from CRDs in kube-aware version order, as
   * upstream's CRD discovery sorts them (`v2` before `v1` before `v1beta1`).
   */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const builtIn = new Set<string>();
    for (const info of this.byPath.values()) {
      const versions = out.get(info.group) ?? [];
      if (!versions.includes(info.version)) versions.push(info.version);
      out.set(info.group, versions);
      if (!info.customResource) builtIn.add(info.group);
    }
    for (const [group, versions] of out) if (!builtIn.has(group)) versions.sort(compareKubeAwareVersions);
    return out;
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function key(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}
