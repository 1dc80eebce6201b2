import { describe, expect, it } from 'vitest';
import { mandatoryFlowSchemas, mandatoryPriorityLevels, suggestedFlowSchemas, suggestedPriorityLevels } from '../../pkg/api/flowcontrol/v1/bootstrap-objects.ts';
import { requestAttributes } from '../auth/request-attributes.ts';
import { classify } from './classify.ts';

const snapshot = { schemas: [...mandatoryFlowSchemas(), ...suggestedFlowSchemas()], levels: [...mandatoryPriorityLevels(), ...suggestedPriorityLevels()] };
const authenticated = (username: string, ...groups: string[]) => ({ username, groups: [...groups, 'system:authenticated'] });

describe('classify', () => {
  it.each([
    ['an admin', authenticated('kubernetes-admin', 'system:masters'), 'GET', '/api/v1/pods', 'exempt', 'exempt'],
    ['a readiness probe', authenticated('alice'), 'GET', '/readyz', 'probes', 'exempt'],
    ['a kubelet updating its node status', authenticated('system:node:n1', 'system:nodes'), 'PUT', '/api/v1/nodes/n1/status', 'system-node-high', 'node-high'],
    ['a kubelet reading a pod', authenticated('system:node:n1', 'system:nodes'), 'GET', '/api/v1/namespaces/default/pods/p', 'system-nodes', 'system'],
    ['the scheduler renewing its lease', authenticated('system:kube-scheduler'), 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler', 'system-leader-election', 'leader-election'],
    ['the scheduler binding a pod', authenticated('system:kube-scheduler'), 'POST', '/api/v1/namespaces/default/pods/p/binding', 'kube-scheduler', 'workload-high'],
    ['a kube-system service account', authenticated('system:serviceaccount:kube-system:coredns', 'system:serviceaccounts'), 'GET', '/api/v1/services', 'kube-system-service-accounts', 'workload-high'],
    ['another service account', authenticated('system:serviceaccount:default:app', 'system:serviceaccounts'), 'GET', '/api/v1/namespaces/default/configmaps', 'service-accounts', 'workload-low'],
    ['a user', authenticated('alice'), 'GET', '/api/v1/namespaces/default/pods?watch=true', 'global-default', 'global-default'],
    ['an anonymous user', { username: 'system:anonymous', groups: ['system:unauthenticated'] }, 'GET', '/version', 'global-default', 'global-default'],
  ])('puts %s into %s / %s', (_label, user, method, url, flowSchema, priorityLevel) => {
    const found = classify(snapshot, requestAttributes(user, method, url));
    expect([found?.flowSchema.metadata.name, found?.priorityLevel.metadata.name]).toEqual([flowSchema, priorityLevel]);
  });

  it('skips a schema whose priority level is missing and falls through to catch-all', () => {
    const levels = snapshot.levels.filter((pl) => pl.metadata.name !== 'global-default');
    const found = classify({ ...snapshot, levels }, requestAttributes(authenticated('alice'), 'GET', '/api/v1/pods'));
    expect(found?.flowSchema.metadata.name).toBe('catch-all');
  });
});
