import { describe, expect, it } from 'vitest';
import { type Deployment, deploymentResource } from './deployment.ts';
import { type ReplicaSet, replicaSetResource } from './replicaset.ts';
import { goStringMap, selectorMatches } from './workload.ts';
import { controllerRevisionResource } from './controllerrevision.ts';
import { controllerRevisionPrinter } from '../../printers/workloads.ts';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx' }], ...spec },
});

function deployment(spec: Record<string, unknown>): Deployment {
  const d = deploymentResource.schema.parse({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec });
  deploymentResource.prepareForCreate!(d);
  deploymentResource.applyDefaults(d);
  return d;
}

const errors = (info: { validate(o: never, old?: never): { field: string; detail: string }[] }, obj: unknown, old?: unknown) =>
  info.validate(obj as never, old as never).map((e) => `${e.field}: ${e.detail}`);

describe('Deployment', () => {
  it('defaults as apps/v1 does', () => {
    const d = deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' } },
    });
    expect(d.spec?.template?.spec?.containers?.[0]?.imagePullPolicy).toBe('Always');
    expect(errors(deploymentResource, d)).toEqual([]);
  });

  it.each([
    [{ template: template({ app: 'a' }) }, 'spec.selector: Required value'],
    [{ selector: { matchLabels: { app: 'b' } }, template: template({ app: 'a' }) }, 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`'],
    [{ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }, { restartPolicy: 'Never' }) }, 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    [{ replicas: -1, selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) }, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [{ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }, 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    [{ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }), strategy: { type: 'Recreate', rollingUpdate: {} } }, 'spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\''],
    [{ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '150%' } } }, 'spec.strategy.rollingUpdate.maxSurge: Invalid value: "150%": must not be greater than 100%'],
  ])('%j → %s', (spec, message) => {
    expect(errors(deploymentResource, deployment(spec))).toContain(message);
  });

  it('a missing selector selects nothing: the template labels do not match either (as upstream reports both)', () => {
    expect(errors(deploymentResource, deployment({ template: template({ app: 'a' }) }))).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`',
    ]);
  });

  it('a missing template is validated as an empty one', () => {
    const d = deployment({ selector: { matchLabels: { app: 'a' } } });
    expect(d.spec?.template?.spec?.restartPolicy).toBe('Always');
    expect(errors(deploymentResource, d)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
      'spec.template.spec.containers: Required value',
    ]);
  });

  it('activeDeadlineSeconds in the template is rejected as upstream does', () => {
    const d = deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }, { activeDeadlineSeconds: 30 }) });
    expect(errors(deploymentResource, d)).toEqual(['spec.template.spec.activeDeadlineSeconds: Invalid value: 30: activeDeadlineSeconds in ReplicaSet is not Supported']);
  });

  it('the selector is immutable', () => {
    const old = deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a', v: '1' }) });
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { v: '1' } };
    expect(errors(deploymentResource, next, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('serves /scale and is in category all', () => {
    expect(deploymentResource.subresources.scale?.specReplicasPath).toBe('spec.replicas');
    expect(deploymentResource.shortNames).toEqual(['deploy']);
    expect(deploymentResource.categories).toEqual(['all']);
  });
});

describe('ReplicaSet', () => {
  it('defaults replicas to 1 and validates the template', () => {
    const rs = replicaSetResource.schema.parse({ metadata: { name: 'r', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) } }) as ReplicaSet;
    replicaSetResource.prepareForCreate!(rs);
    replicaSetResource.applyDefaults(rs);
    expect(rs.spec?.replicas).toBe(1);
    expect(rs.status).toEqual({ replicas: 0 });
    expect(errors(replicaSetResource, rs)).toEqual([]);
    rs.spec!.template!.metadata!.labels = { app: 'b' };
    expect(errors(replicaSetResource, rs)).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`']);
  });
});

describe('ReplicaSet without a selector', () => {
  it('reports the missing selector and the unmatched template labels', () => {
    const rs = replicaSetResource.schema.parse({ metadata: { name: 'frontend', namespace: 'default' }, spec: { template: template({ app: 'frontend' }) } }) as ReplicaSet;
    replicaSetResource.applyDefaults(rs);
    expect(errors(replicaSetResource, rs)).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"frontend"}: `selector` does not match template `labels`',
    ]);
  });
});

describe('label selectors', () => {
  it.each([
    [{ matchLabels: { a: '1' } }, { a: '1', b: '2' }, true],
    [{ matchLabels: { a: '1' } }, { a: '2' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {}, true],
  ])('%j matches %j: %s', (selector, labels, match) => {
    expect(selectorMatches(selector, labels)).toBe(match);
  });

  it('renders maps as Go does', () => {
    expect(goStringMap({ b: '2', a: '1' })).toBe('map[string]string{"a":"1", "b":"2"}');
  });
});

describe('ControllerRevision', () => {
  const cr = (fields: Record<string, unknown>) => controllerRevisionResource.schema.parse({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-5d8f7c', namespace: 'default' }, ...fields });

  it.each([
    [{ data: { spec: { template: {} } }, revision: 2 }, []],
    [{ revision: 1 }, ['data: Required value: data is mandatory']],
    [{ data: {}, revision: -1 }, ['revision: Invalid value: -1: must be greater than or equal to 0']],
  ])('validates %j', (fields, expected) => {
    const obj = cr(fields);
    controllerRevisionResource.applyDefaults(obj);
    expect(errors(controllerRevisionResource, obj)).toEqual(expected);
  });

  it('defaults revision to 0 and keeps data immutable', () => {
    const old = cr({ data: { a: 1 } });
    controllerRevisionResource.applyDefaults(old);
    expect(old.revision).toBe(0);
    expect(errors(controllerRevisionResource, cr({ data: { a: 2 }, revision: 0 }), old)).toEqual(['data: Invalid value: {"a":2}: field is immutable']);
  });

  it('prints the controller as kind.group/name', () => {
    const obj = cr({ data: {}, revision: 3, metadata: { name: 'fluentd-6b9c', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u', controller: true }] } });
    expect(controllerRevisionPrinter.row(obj, new Date()).slice(0, 3)).toEqual(['fluentd-6b9c', 'daemonset.apps/fluentd', 3]);
    expect(controllerRevisionPrinter.row(cr({ data: {} }), new Date())[1]).toBe('<none>');
  });
});
