/**
 * Upstream's per-controller bootstrap roles (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
 * controller_policy.go): a ClusterRole `system:controller:<name>` per controller, bound by a
 * ClusterRoleBinding of the same name to the service account `kube-system/<name>` the
 * controller-manager runs that controller as (`--use-service-account-credentials`).
 * Only the controllers whose roles the cluster is asked to carry are listed here.
 */
import type { PolicyRule } from '../auth/rules.ts';

/** Upstream `saRolePrefix`. */
export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

/** The namespace of the controllers' service accounts. */
export const CONTROLLER_SA_NAMESPACE = 'kube-system';

export interface ControllerRoleSpec {
  /** The controller's name: the role is `system:controller:<name>`, the service account `kube-system/<name>`. */
  controller: string;
  rules: PolicyRule[];
}

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });

/** Upstream `eventsRule()`: every controller records events, in core and events.k8s.io. */
export const EVENTS_RULE: PolicyRule = rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);

export const CONTROLLER_ROLES: readonly ControllerRoleSpec[] = [
  {
    controller: 'horizontal-pod-autoscaler',
    rules: [
      rule(['get', 'list', 'watch'], ['autoscaling'], ['horizontalpodautoscalers']),
      rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
      // any scalable resource, in any group
      rule(['get', 'update'], ['*'], ['*/scale']),
      rule(['list'], [''], ['pods']),
      // resource, custom and external metrics
      rule(['list'], ['metrics.k8s.io'], ['pods']),
      rule(['get', 'list'], ['custom.metrics.k8s.io'], ['*']),
      rule(['get', 'list'], ['external.metrics.k8s.io'], ['*']),
      EVENTS_RULE,
    ],
  },
  {
    controller: 'replication-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update'], [''], ['replicationcontrollers']),
      rule(['update'], [''], ['replicationcontrollers/status']),
      rule(['update'], [''], ['replicationcontrollers/finalizers']),
      rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
      EVENTS_RULE,
    ],
  },
  {
    controller: 'service-cidrs-controller',
    rules: [
      rule(['get', 'list', 'watch', 'patch', 'update'], ['networking.k8s.io'], ['servicecidrs']),
      rule(['patch', 'update'], ['networking.k8s.io'], ['servicecidrs/finalizers']),
      rule(['patch', 'update'], ['networking.k8s.io'], ['servicecidrs/status']),
      rule(['get', 'list', 'watch'], ['networking.k8s.io'], ['ipaddresses']),
      EVENTS_RULE,
    ],
  },
  {
    controller: 'validatingadmissionpolicy-status-controller',
    rules: [
      rule(['get', 'list', 'watch'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
      rule(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
      EVENTS_RULE,
    ],
  },
];
