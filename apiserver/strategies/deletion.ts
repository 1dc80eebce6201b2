/**
 * Deletion decisions (upstream `Store.Delete`, `BeforeDelete`, `deletionFinalizersForGarbageCollection`),
 * pure: given the stored object and the DeleteOptions, either delete now or mark the object
 * (deletionTimestamp, grace period, GC finalizers) and keep it.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { badRequest } from '../../pkg/errors/index.ts';
import { rfc3339 } from './time.ts';
import { queryBool } from '../../pkg/util/query-bool.ts';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

export type DeletionDecision =
  | { action: 'delete' }
  | { action: 'mark'; object: KubeObject }
  /** Already being deleted and nothing to change. */
  | { action: 'unchanged' };

/** Upstream pods' graceful deletion: scheduled, not finished pods get a grace period. */
function gracePeriodFor(info: Pick<ResourceInfo, 'group' | 'kind'>, obj: KubeObject, requested: number | undefined): number {
  if (info.group !== '' || info.kind !== 'Pod') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((obj.status ?? {}) as { phase?: string }).phase;
  if (!spec.nodeName || phase === 'Failed' || phase === 'Succeeded') return 0;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(grace, 0) === 0 ? 0 : grace;
}

function finalizersFor(existing: string[], options: DeleteOptions, defaultPolicy?: 'Orphan'): string[] {
  let policy = options.propagationPolicy;
  if (!policy && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
  policy ??= defaultPolicy;
  const rest = existing.filter((f) => f !== FOREGROUND_FINALIZER && f !== ORPHAN_FINALIZER);
  if (policy === 'Foreground') return [...rest, FOREGROUND_FINALIZER];
  if (policy === 'Orphan') return [...rest, ORPHAN_FINALIZER];
  if (policy === 'Background') return rest;
  return existing;
}

/** Decides what a DELETE does to `obj` at `now`. */
export function decideDeletion(info: Pick<ResourceInfo, 'group' | 'kind' | 'defaultPropagationPolicy'>, obj: KubeObject, options: DeleteOptions, now: Date): DeletionDecision {
  const meta = obj.metadata;
  const finalizers = finalizersFor(meta.finalizers ?? [], options, info.defaultPropagationPolicy);
  const grace = gracePeriodFor(info, obj, options.gracePeriodSeconds);
  if (meta.deletionTimestamp) {
    // Already deleting: a shorter grace period may hasten it; finalizers may change.
    const currentGrace = meta.deletionGracePeriodSeconds ?? 0;
    if (finalizers.length === 0 && (grace === 0 || currentGrace === 0)) {
      return (meta.finalizers ?? []).length === 0 ? { action: 'delete' } : { action: 'mark', object: withDeletion(obj, finalizers, meta.deletionTimestamp, 0) };
    }
    const sameFinalizers = JSON.stringify(finalizers) === JSON.stringify(meta.finalizers ?? []);
    if (grace < currentGrace) {
      const when = rfc3339(new Date(now.getTime() + grace * 1000));
      return { action: 'mark', object: withDeletion(obj, finalizers, when, grace) };
    }
    return sameFinalizers ? { action: 'unchanged' } : { action: 'mark', object: withDeletion(obj, finalizers, meta.deletionTimestamp, currentGrace) };
  }
  if (finalizers.length === 0 && grace === 0) return { action: 'delete' };
  const when = rfc3339(new Date(now.getTime() + grace * 1000));
  return { action: 'mark', object: withDeletion(obj, finalizers, when, grace) };
}

function withDeletion(obj: KubeObject, finalizers: string[], timestamp: string, grace: number): KubeObject {
  const metadata = { ...obj.metadata, deletionTimestamp: timestamp, deletionGracePeriodSeconds: grace };
  // Upstream BeforeDelete bumps the generation when deletion starts.
  if (!obj.metadata.deletionTimestamp && metadata.generation !== undefined && metadata.generation > 0) metadata.generation += 1;
  if (finalizers.length) metadata.finalizers = finalizers;
  else delete metadata.finalizers;
  return { ...obj, metadata };
}

/** Parses a DeleteOptions body (or `{}`) merged with the query parameters. */
export function parseDeleteOptions(body: Record<string, unknown> | undefined, query: Record<string, string | undefined>, dryRun: boolean): DeleteOptions {
  const b = body ?? {};
  const options: DeleteOptions = { dryRun };
  const policy = (b.propagationPolicy as string | undefined) ?? query.propagationPolicy;
  if (policy !== undefined && policy !== '') {
    if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
      throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    options.propagationPolicy = policy;
  }
  const grace = b.gracePeriodSeconds ?? query.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== '') {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw badRequest(`gracePeriodSeconds: Invalid value: "${grace}": must be an integer`);
    options.gracePeriodSeconds = n;
  }
  const orphan = b.orphanDependents ?? query.orphanDependents;
  if (orphan !== undefined && orphan !== null && orphan !== '') options.orphanDependents = orphan === true || (typeof orphan === 'string' && queryBool(orphan));
  if (options.orphanDependents !== undefined && options.propagationPolicy) {
    throw badRequest('Using both OrphanDependents and PropagationPolicy in DeleteOptions is not allowed');
  }
  const pre = b.preconditions as { uid?: string; resourceVersion?: string } | undefined | null;
  if (pre && (pre.uid || pre.resourceVersion)) options.preconditions = { uid: pre.uid || undefined, resourceVersion: pre.resourceVersion || undefined };
  return options;
}

/** The precondition failure text, or undefined when the preconditions hold. */
export function preconditionFailure(obj: KubeObject, pre: DeleteOptions['preconditions']): string | undefined {
  if (!pre) return undefined;
  if (pre.uid && pre.uid !== obj.metadata.uid) return `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`;
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    return `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`;
  }
  return undefined;
}
