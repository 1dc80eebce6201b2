import { describe, expect, it } from 'vitest';
import { flowSchemaResource } from './flowschema.ts';
import { mandatoryFlowSchemas, suggestedFlowSchemas } from './bootstrap-objects.ts';
import type { FlowSchema } from './types.ts';

function decode(spec: Record<string, unknown>, name = 'fs'): FlowSchema {
  const fs = flowSchemaResource.schema.parse({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name }, spec });
  flowSchemaResource.applyDefaults(fs);
  return fs;
}

const errors = (fs: FlowSchema) => flowSchemaResource.validate(fs).map((e) => `${e.field}: ${e.detail}`);

const userRule = { subjects: [{ kind: 'User', user: { name: 'bob' } }], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], namespaces: ['default'] }] };

describe('FlowSchema', () => {
  it('is cluster-scoped with a status subresource', () => {
    expect(flowSchemaResource).toMatchObject({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1', plural: 'flowschemas', namespaced: false, subresources: { status: true } });
  });

  it('defaults matchingPrecedence to 1000 and keeps a valid schema valid', () => {
    const fs = decode({ priorityLevelConfiguration: { name: 'global-default' }, rules: [userRule] });
    expect(fs.spec.matchingPrecedence).toBe(1000);
    expect(errors(fs)).toEqual([]);
  });

  it.each([
    [{ priorityLevelConfiguration: { name: '' }, matchingPrecedence: 10 }, 'spec.priorityLevelConfiguration.name: Required value: must reference a priority level'],
    [{ priorityLevelConfiguration: { name: 'x' }, matchingPrecedence: 10001 }, 'spec.matchingPrecedence: Invalid value: 10001: must not be greater than 10000'],
    [{ priorityLevelConfiguration: { name: 'x' }, matchingPrecedence: -3 }, 'spec.matchingPrecedence: Invalid value: -3: must be a positive value'],
    [{ priorityLevelConfiguration: { name: 'x' }, matchingPrecedence: 1 }, "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1"],
    [{ priorityLevelConfiguration: { name: 'x' }, distinguisherMethod: { type: 'ByFoo' } }, 'spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:"ByFoo"}: supported values: "ByNamespace", "ByUser"'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [], nonResourceRules: [] }] }, 'spec.rules[0].subjects: Required value: subjects must contain at least one value'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'a' } }] }] }, 'spec.rules[0]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'Robot' }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }] }, 'spec.rules[0].subjects[0].kind: Unsupported value: "Robot": supported values: "Group", "ServiceAccount", "User"'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', group: { name: 'g' }, user: { name: 'u' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }] }, "spec.rules[0].subjects[0].group: Forbidden: group is forbidden when subject kind is not 'Group'"],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: '*' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }] }, 'spec.rules[0].subjects[0].serviceAccount.namespace: Required value: must specify namespace for service account'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'Group' }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }] }, "spec.rules[0].subjects[0].group: Required value: group is required when subject kind is 'Group'"],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], resourceRules: [{ verbs: ['fly'], apiGroups: [''], resources: ['pods'], clusterScope: true }] }] }, 'spec.rules[0].resourceRules[0].verbs: Unsupported value: []string{"fly"}: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], resourceRules: [{ verbs: ['*', 'get'], apiGroups: [''], resources: ['pods'], clusterScope: true }] }] }, 'spec.rules[0].resourceRules[0].verbs: Invalid value: []string{"*", "get"}: if \'*\' is present, must not specify other verbs'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }] }, 'spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], namespaces: ['Bad_NS'] }] }] }, "spec.rules[0].resourceRules[0].namespaces[0]: Invalid value: \"Bad_NS\": each member of this list must be '*' or a DNS-1123 label; a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/a/*/b'] }] }] }, 'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "/a/*/b": wildcard can only do suffix matching'],
    [{ priorityLevelConfiguration: { name: 'x' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'u' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['healthz'] }] }] }, 'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "healthz": must start with slash'],
  ])('refuses %j', (spec, message) => {
    expect(errors(decode(spec))).toContain(message);
  });

  it('keeps the mandatory schemas fixed', () => {
    for (const fs of [...mandatoryFlowSchemas(), ...suggestedFlowSchemas()]) expect(errors(decode(fs.spec, fs.metadata.name)), fs.metadata.name).toEqual([]);
    const changed = decode({ ...mandatoryFlowSchemas()[1]!.spec, matchingPrecedence: 9000 }, 'catch-all');
    expect(errors(changed).some((e) => e.startsWith('spec: Invalid value: ') && e.endsWith("spec of 'catch-all' must equal the fixed value"))).toBe(true);
  });

  it('validates only the conditions on the status subresource', () => {
    const fs = decode({ priorityLevelConfiguration: { name: '' } });
    fs.status = { conditions: [{ type: 'Dangling', status: 'False' }, { type: 'Dangling' }, { status: 'True' }] };
    expect(flowSchemaResource.validate(fs, fs, { subresource: 'status' }).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'status.conditions[1].type: Duplicate value: "Dangling"',
      'status.conditions[2].type: Required value: must not be empty',
    ]);
  });
});
