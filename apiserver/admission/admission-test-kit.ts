/**
 * Test-only: a minimal write path over MemoryStorage that runs admission plugins the way the
 * server does (admit → validate → commit; onFailure on any failure, onSuccess after commit).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionOperation, AdmissionPlugin } from './types.ts';

export function testKeyFor(info: Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return `/registry/${info.group ? `${info.group}/` : ''}${info.plural}/${info.namespaced ? `${namespace}/` : ''}${name}`;
}

export function testContext(storage: Storage = new MemoryStorage()): AdmissionContext {
  return { storage, keyFor: testKeyFor };
}

export function testInfo(group: string, kind: string, plural: string, namespaced: boolean): ResourceInfo {
  return { group, version: 'v1', kind, plural, namespaced, singular: kind.toLowerCase() } as unknown as ResourceInfo;
}

export const SERVICES = testInfo('', 'Service', 'services', true);
export const NAMESPACES = testInfo('', 'Namespace', 'namespaces', false);
export const CONFIGMAPS = testInfo('', 'ConfigMap', 'configmaps', true);

export interface TestWrite {
  operation: AdmissionOperation;
  info: ResourceInfo;
  namespace?: string;
  name: string;
  object?: KubeObject;
  dryRun?: boolean;
  subresource?: string;
  /** Make the storage write fail after admission. */
  failCommit?: boolean;
  /** DELETE only marks the object (finalizers pending): sets deletionTimestamp. */
  markOnly?: boolean;
  /** UPDATE removes the object (its last finalizer went while it was being deleted). */
  updateDeletes?: boolean;
}

/** Runs the plugins and commits; returns the stored object (or the admitted one for dry-run/DELETE). */
export async function runWrite(ctx: AdmissionContext, plugins: AdmissionPlugin[], write: TestWrite): Promise<KubeObject | undefined> {
  const key = ctx.keyFor(write.info, write.namespace, write.name);
  const oldObject = write.operation === 'CREATE' ? undefined : await ctx.storage.get(key);
  const failure: Array<() => Promise<void>> = [];
  const success: Array<() => Promise<void>> = [];
  const object = write.object && structuredClone(write.object);
  if (object && write.operation === 'CREATE') object.metadata.uid ??= `uid-${write.name}`;
  const attrs: AdmissionAttributes = {
    operation: write.operation,
    info: write.info,
    subresource: write.subresource,
    namespace: write.namespace,
    name: write.name,
    object,
    oldObject,
    dryRun: write.dryRun ?? false,
    onFailure: (fn) => failure.push(fn),
    onSuccess: (fn) => success.push(fn),
  };
  let stored: KubeObject | undefined;
  try {
    // As the server: a DELETE runs only the validating phase.
    if (write.operation !== 'DELETE') for (const plugin of plugins) await plugin.admit?.(attrs);
    for (const plugin of plugins) await plugin.validate?.(attrs);
    if (write.dryRun) return object;
    if (write.failCommit) throw new Error('injected storage failure');
    if (write.operation === 'CREATE') stored = await ctx.storage.create(key, object!);
    else if (write.operation === 'UPDATE') stored = write.updateDeletes ? await ctx.storage.delete(key) : await ctx.storage.update(key, object!);
    else if (write.operation === 'DELETE' && write.markOnly) {
      stored = await ctx.storage.update(key, { ...oldObject!, metadata: { ...oldObject!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    } else if (write.operation === 'DELETE') stored = await ctx.storage.delete(key);
  } catch (err) {
    for (const fn of failure) await fn();
    throw err;
  }
  for (const fn of success) await fn();
  return stored;
}

/** A Service object. */
export function service(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

/** A deterministic [0,1) sequence (cycles). */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}
