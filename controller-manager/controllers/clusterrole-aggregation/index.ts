/**
 * The `clusterrole-aggregation` controller (upstream's of that name): keeps the rules of every
 * ClusterRole with an `aggregationRule` equal to the union of the rules of the ClusterRoles its
 * selectors match ({@link aggregatedRules}). Any ClusterRole change re-reconciles every aggregated
 * role, so a chain (view → edit → admin) settles in as many passes as it is long.
 */
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import { aggregatedRules, type AggregatableClusterRole } from '../../../pkg/rbac/aggregate-rules.ts';
import type { ControllerDescriptor } from '../types.ts';

const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false, kind: 'ClusterRole' } as const;

type ClusterRole = KubeObject & AggregatableClusterRole;

export const clusterRoleAggregationController: ControllerDescriptor = {
  name: 'clusterrole-aggregation',
  enabledByDefault: true,
  register({ manager }) {
    const roles = manager.lister<ClusterRole>(CLUSTER_ROLES);
    const client = manager.client.resource<ClusterRole>(CLUSTER_ROLES);
    const aggregatedRoleRequests = () => roles.list().filter((r) => r.aggregationRule).map((r) => ({ namespace: '', name: r.metadata.name ?? '' }));
    newControllerBuilder(manager, 'clusterrole-aggregation')
      .watches<ClusterRole>(CLUSTER_ROLES, aggregatedRoleRequests)
      .complete({
        async reconcile(req) {
          const role = roles.get(req.name);
          if (!role) return;
          const rules = aggregatedRules(role as AggregatableClusterRole, roles.list() as readonly AggregatableClusterRole[]);
          if (rules === undefined || JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) return;
          await client
            .update({ ...(structuredClone(role) as ClusterRole), rules })
            .catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
        },
      });
  },
};
