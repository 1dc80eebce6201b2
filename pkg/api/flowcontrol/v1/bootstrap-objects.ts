/**
 * The configuration objects upstream's kube-apiserver keeps in every cluster
 * (k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap, 1.33): the mandatory `exempt` and
 * `catch-all` priority levels and flow schemas, and the suggested ones. Each carries
 * `apf.kubernetes.io/autoupdate-spec: "true"`. Pure data builders; specs are fully defaulted.
 */
import { AUTO_UPDATE_ANNOTATION, FLOWCONTROL_GROUP, type FlowSchema, type PolicyRulesWithSubjects, type PriorityLevelConfiguration, type PriorityLevelConfigurationSpec, type ResourcePolicyRule, type Subject } from './types.ts';

const API_VERSION = `${FLOWCONTROL_GROUP}/v1`;

const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', user: { name } }));
const kubeSystemServiceAccounts = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'ServiceAccount', serviceAccount: { namespace: 'kube-system', name } }));

function resourceRule(verbs: string[], apiGroups: string[], resources: string[], namespaces: string[], clusterScope: boolean): ResourcePolicyRule {
  return clusterScope ? { verbs, apiGroups, resources, clusterScope, namespaces } : { verbs, apiGroups, resources, namespaces };
}

/** Every verb on every resource (cluster-scoped and in every namespace) and every non-resource URL. */
function everything(subjects: Subject[]): PolicyRulesWithSubjects {
  return {
    subjects,
    resourceRules: [resourceRule(['*'], ['*'], ['*'], ['*'], true)],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  };
}

function flowSchema(name: string, priorityLevel: string, matchingPrecedence: number, distinguisher: 'ByUser' | 'ByNamespace' | undefined, rules: PolicyRulesWithSubjects): FlowSchema {
  return {
    apiVersion: API_VERSION,
    kind: 'FlowSchema',
    metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } },
    spec: {
      priorityLevelConfiguration: { name: priorityLevel },
      matchingPrecedence,
      ...(distinguisher ? { distinguisherMethod: { type: distinguisher } } : {}),
      rules: [rules],
    },
  };
}

function priorityLevel(name: string, spec: PriorityLevelConfigurationSpec): PriorityLevelConfiguration {
  return { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } }, spec };
}

function queued(name: string, shares: number, lendablePercent: number, queues: number, handSize: number): PriorityLevelConfiguration {
  return priorityLevel(name, {
    type: 'Limited',
    limited: { nominalConcurrencyShares: shares, lendablePercent, limitResponse: { type: 'Queue', queuing: { queues, handSize, queueLengthLimit: 50 } } },
  });
}

/** The mandatory priority levels (upstream order: catch-all, exempt). */
export function mandatoryPriorityLevels(): PriorityLevelConfiguration[] {
  return [
    priorityLevel('catch-all', { type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } }),
    priorityLevel('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
  ];
}

/** The mandatory flow schemas: `exempt` (system:masters) and `catch-all` (everyone). */
export function mandatoryFlowSchemas(): FlowSchema[] {
  return [
    flowSchema('exempt', 'exempt', 1, undefined, everything(groups('system:masters'))),
    flowSchema('catch-all', 'catch-all', 10000, 'ByUser', everything(groups('system:unauthenticated', 'system:authenticated'))),
  ];
}

export function suggestedPriorityLevels(): PriorityLevelConfiguration[] {
  return [
    queued('system', 30, 33, 64, 6),
    queued('node-high', 40, 25, 64, 6),
    queued('leader-election', 10, 0, 16, 4),
    queued('workload-high', 40, 50, 128, 6),
    queued('workload-low', 100, 90, 128, 6),
    queued('global-default', 20, 50, 128, 6),
  ];
}

const GET_CREATE_UPDATE = ['get', 'create', 'update'];

export function suggestedFlowSchemas(): FlowSchema[] {
  const leases = resourceRule(GET_CREATE_UPDATE, ['coordination.k8s.io'], ['leases'], ['*'], false);
  return [
    flowSchema('system-nodes', 'system', 500, 'ByUser', everything(groups('system:nodes'))),
    flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
      subjects: groups('system:nodes'),
      resourceRules: [
        resourceRule(['*'], [''], ['nodes', 'nodes/status'], ['*'], true),
        resourceRule(['*'], ['coordination.k8s.io'], ['leases'], ['*'], false),
      ],
    }),
    flowSchema('probes', 'exempt', 2, undefined, {
      subjects: groups('system:unauthenticated', 'system:authenticated'),
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
    }),
    flowSchema('system-leader-election', 'leader-election', 100, 'ByUser', {
      subjects: [...users('system:kube-controller-manager', 'system:kube-scheduler'), ...kubeSystemServiceAccounts('*')],
      resourceRules: [leases],
    }),
    flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', {
      subjects: kubeSystemServiceAccounts('*'),
      resourceRules: [resourceRule(GET_CREATE_UPDATE, [''], ['endpoints', 'configmaps'], ['*'], false), leases],
    }),
    flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
      subjects: [...users('system:kube-controller-manager'), ...kubeSystemServiceAccounts('endpoint-controller', 'endpointslicemirroring-controller')],
      resourceRules: [resourceRule(GET_CREATE_UPDATE, [''], ['endpoints'], ['*'], false)],
    }),
    flowSchema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', everything(users('system:kube-controller-manager'))),
    flowSchema('kube-scheduler', 'workload-high', 800, 'ByNamespace', everything(users('system:kube-scheduler'))),
    flowSchema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', everything(kubeSystemServiceAccounts('*'))),
    flowSchema('service-accounts', 'workload-low', 9000, 'ByUser', everything(groups('system:serviceaccounts'))),
    flowSchema('global-default', 'global-default', 9900, 'ByUser', everything(groups('system:unauthenticated', 'system:authenticated'))),
  ];
}
