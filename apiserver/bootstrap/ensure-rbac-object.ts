/**
 * Writes one default RBAC object the way upstream's `rbac/bootstrap-roles` post-start hook does:
 * created when missing, else reconciled with {@link reconcileRole} / {@link reconcileRoleBinding}
 * (missing rules, selectors, subjects, labels and annotations added; a binding whose `roleRef`
 * changed deleted and created again), left alone when annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` — with upstream's log lines. Safe to run
 * from several API servers at once: writes are compare-and-swap and a lost race is retried.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { StorageError, type Storage } from '../../pkg/storage/types.ts';
import { compactString } from '../auth/rbac/covers.ts';
import { reconcileRole, reconcileRoleBinding, type ReconcileResult, type Subject } from './rbac-reconcile.ts';
import { createIfAbsent } from '../../pkg/storage/create-if-absent.ts';

/** Where the reconcile lines go (a pino or fastify logger). */
export interface RbacReconcileLog {
  info(message: string): void;
  warn(message: string): void;
}

/** What happened to the object. */
export type EnsureRbacOutcome = 'created' | 'updated' | 'recreated' | 'protected' | 'unchanged';

const RECREATE_ATTEMPTS = 3;

const isBinding = (obj: KubeObject): boolean => obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding';

/** `clusterrole.rbac.authorization.k8s.io/admin`, `role.rbac.authorization.k8s.io/kube-system/x` as upstream logs them. */
function describe(obj: KubeObject): string {
  const [group] = (obj.apiVersion ?? '').split('/');
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  return `${(obj.kind ?? '').toLowerCase()}.${group}/${ns}${obj.metadata.name}`;
}

const subjectText = (s: Subject): string => `{${s.kind} ${s.apiGroup ?? ''} ${s.name}${s.namespace ? ` ${s.namespace}` : ''}}`;

const missingText = (obj: KubeObject, r: ReconcileResult): string =>
  isBinding(obj) ? `subjects: [${r.missingSubjects.map(subjectText).join(' ')}]` : `permissions: [${r.missingRules.map(compactString).join(' ')}]`;

/** Creates `expected` at `key`, or reconciles the object there with it. Returns what was done. */
export async function ensureRbacObject(storage: Storage, key: string, expected: KubeObject, logger: RbacReconcileLog): Promise<EnsureRbacOutcome> {
  const reconcile = isBinding(expected) ? reconcileRoleBinding : reconcileRole;
  for (let attempt = 0; attempt < RECREATE_ATTEMPTS; attempt++) {
    if (await createIfAbsent(storage, key, expected)) return 'created';
    let last: ReconcileResult | undefined;
    let recreateFrom: KubeObject | undefined;
    await storage.guaranteedUpdate(key, (current) => {
      if (!current) return expected;
      last = reconcile(current, expected);
      if (last.protected || last.operation === 'none') return current;
      if (last.operation === 'recreate') {
        recreateFrom = current;
        return current;
      }
      return last.object;
    });
    if (!last) return 'created';
    if (last.protected) {
      if (last.operation !== 'none') logger.warn(`skipped reconcile-protected ${describe(expected)} with missing ${missingText(expected, last)}`);
      return last.operation === 'none' ? 'unchanged' : 'protected';
    }
    if (last.operation === 'none') return 'unchanged';
    if (last.operation === 'update') {
      logger.info(`updated ${describe(expected)} with additional ${missingText(expected, last)}`);
      return 'updated';
    }
    // A changed roleRef: delete exactly what was read, then create (upstream `ReconcileRecreate`).
    const revision = Number(recreateFrom?.metadata.resourceVersion);
    try {
      await storage.delete(key, Number.isFinite(revision) ? revision : undefined);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'Conflict') continue;
      if (!(err instanceof StorageError && err.code === 'NotFound')) throw err;
    }
    if (await createIfAbsent(storage, key, expected)) {
      logger.info(`recreated ${describe(expected)}`);
      return 'recreated';
    }
  }
  throw new Error(`reconciling ${describe(expected)}: exceeded maximum attempts`);
}
