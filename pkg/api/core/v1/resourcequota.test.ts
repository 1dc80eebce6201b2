import { describe, expect, it } from 'vitest';
import { resourceQuotaResource, resourceQuotaStatusUpdate, type ResourceQuota } from './resourcequota.ts';
import { resourceQuotaPrinter, quotaColumns } from '../../printers/resourcequota.ts';
import { getPrinter } from '../../printers/index.ts';

const quota = (spec: Record<string, unknown>, status?: Record<string, unknown>): ResourceQuota => resourceQuotaResource.schema.parse({ metadata: { name: 'mem-cpu-demo', namespace: 'default' }, spec, status });
const show = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('ResourceQuota validation', () => {
  it.each([
    ['the tutorial quota', { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' } }, []],
    ['object counts', { hard: { pods: '2', 'count/deployments.apps': '1', 'gold.storageclass.storage.k8s.io/requests.storage': '5Gi' } }, []],
    ['an unknown resource', { hard: { foo: '1' } }, ['spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified', 'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota']],
    ['storage (a standard name, not a quota one)', { hard: { storage: '1' } }, ['spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota']],
    ['a negative quantity', { hard: { cpu: '-1' } }, ['spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['a fractional count', { hard: { pods: '1500m' } }, ['spec.hard[pods]: Invalid value: "1500m": must be an integer']],
    ['an unknown scope', { hard: { pods: '1' }, scopes: ['Foo'] }, ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"Foo"}: unsupported scope']],
    ['BestEffort with cpu', { hard: { cpu: '1' }, scopes: ['BestEffort'] }, ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource']],
    ['conflicting scopes', { hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] }, ['spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: conflicting scopes']],
    ['a PriorityClass selector without values', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } }, ['spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector']],
    ['BestEffort with In', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } }, ['spec.scopeSelector.matchExpressions.operator: Invalid value: "In": must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity']],
  ])('%s', (_name, spec, expected) => {
    expect(show(resourceQuotaResource.validate(quota(spec)))).toEqual(expected);
  });

  it('keeps scopes immutable and the status out of main-resource writes', () => {
    expect(show(resourceQuotaResource.validate(quota({ scopes: ['NotTerminating'] }), quota({ scopes: ['Terminating'] })))).toEqual(['spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotTerminating"}: field is immutable']);
    const created = quota({ hard: { pods: '1' } }, { used: { pods: '5' } });
    resourceQuotaResource.prepareForCreate!(created);
    expect(created.status).toEqual({});
    const updated = quota({ hard: { pods: '2' } }, { used: { pods: '9' } });
    resourceQuotaResource.prepareForUpdate!(updated, quota({ hard: { pods: '1' } }, { used: { pods: '1' } }));
    expect(updated.status).toEqual({ used: { pods: '1' } });
    const { object, errors } = resourceQuotaStatusUpdate(quota({ hard: { pods: '9' } }, { hard: { pods: '1' }, used: { pods: '-1' } }), quota({ hard: { pods: '1' } }));
    expect(object.spec).toEqual({ hard: { pods: '1' } });
    expect(show(errors)).toEqual(['status.used[pods]: Invalid value: "-1": must be greater than or equal to 0']);
  });
});

describe('ResourceQuota printer', () => {
  it('prints sorted used/hard pairs split into REQUEST and LIMIT', () => {
    expect(getPrinter('', 'ResourceQuota')).toBe(resourceQuotaPrinter);
    expect(resourceQuotaPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Age', 'Request', 'Limit']);
    const status = { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '2' }, used: { 'requests.cpu': '400m', 'requests.memory': '600Mi', 'limits.memory': '800Mi' } };
    expect(quotaColumns(status)).toEqual(['pods: 0/2, requests.cpu: 400m/1, requests.memory: 600Mi/1Gi', 'limits.cpu: 0/2, limits.memory: 800Mi/2Gi']);
    const row = resourceQuotaPrinter.row({ metadata: { name: 'q', creationTimestamp: '2026-01-01T00:00:00Z' }, status } as never, new Date('2026-01-01T00:05:00Z'));
    expect(row[0]).toBe('q');
    expect(row[1]).toBe('5m');
    expect(quotaColumns(undefined)).toEqual(['', '']);
  });
});
