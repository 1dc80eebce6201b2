import { describe, expect, it } from 'vitest';
import { type StatefulSet, statefulSetResource } from './statefulset.ts';
import { FORBIDDEN_UPDATE_MESSAGE } from './statefulset-validation.ts';
import { statefulSetPrinter } from '../../printers/statefulset.ts';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.24' }], ...spec },
});

const base = { serviceName: 'nginx', selector: { matchLabels: { app: 'nginx' } }, template: template({ app: 'nginx' }) };

/** Decoded, created and defaulted as the API server does on create. */
function sts(spec: Record<string, unknown>, name = 'web'): StatefulSet {
  const s = statefulSetResource.schema.parse({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' }, spec });
  statefulSetResource.prepareForCreate!(s);
  statefulSetResource.applyDefaults(s);
  return s;
}

const errors = (obj: StatefulSet, old?: StatefulSet) => statefulSetResource.validate(obj, old).map((e) => `${e.field}: ${e.detail}`);

describe('StatefulSet defaults', () => {
  it('defaults as apps/v1 1.33 does', () => {
    const s = sts(base);
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' } },
    });
    expect(s.status).toEqual({ replicas: 0, availableReplicas: 0 });
    expect(errors(s)).toEqual([]);
  });

  it.each([
    [{ updateStrategy: { type: 'OnDelete' } }, { type: 'OnDelete' }],
    [{ updateStrategy: { type: 'RollingUpdate' } }, { type: 'RollingUpdate' }],
    [{ updateStrategy: { type: 'RollingUpdate', rollingUpdate: {} } }, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    [{ updateStrategy: { rollingUpdate: { partition: 2 } } }, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }],
  ])('updateStrategy %j → %j', (spec, strategy) => {
    expect(sts({ ...base, ...spec }).spec?.updateStrategy).toEqual(strategy);
  });

  it('defaults claim templates (volumeMode Filesystem, phase Pending)', () => {
    const s = sts({ ...base, volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
    expect(s.spec?.volumeClaimTemplates?.[0]).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
  });

  it('drops rollingUpdate.maxUnavailable on create (MaxUnavailableStatefulSet is off in 1.33) but keeps one already stored', () => {
    const s = sts({ ...base, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    expect(s.spec?.updateStrategy?.rollingUpdate).toEqual({ partition: 0 });
    const old = structuredClone(s);
    old.spec!.updateStrategy!.rollingUpdate!.maxUnavailable = 2;
    const next = structuredClone(old);
    next.spec!.updateStrategy!.rollingUpdate!.maxUnavailable = 3;
    statefulSetResource.prepareForUpdate!(next, old);
    expect(next.spec?.updateStrategy?.rollingUpdate?.maxUnavailable).toBe(3);
  });
});

describe('StatefulSet validation', () => {
  it.each([
    [{ ...base, podManagementPolicy: 'Eager' }, 'spec.podManagementPolicy: Invalid value: "Eager": must be \'OrderedReady\' or \'Parallel\''],
    [{ ...base, updateStrategy: { type: 'Canary' } }, 'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Canary", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be \'RollingUpdate\' or \'OnDelete\''],
    [{ ...base, updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }, 'spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy \'RollingUpdate\''],
    [{ ...base, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }, 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    [{ ...base, replicas: -1 }, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [{ ...base, minReadySeconds: -5 }, 'spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0'],
    [{ ...base, ordinals: { start: -1 } }, 'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0'],
    [{ ...base, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
    [{ ...base, selector: undefined }, 'spec.selector: Required value'],
    [{ ...base, selector: {} }, 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset'],
    [{ ...base, selector: { matchLabels: { app: 'other' } } }, 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
    [{ ...base, template: template({ app: 'nginx' }, { restartPolicy: 'OnFailure' }) }, 'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    [{ ...base, template: template({ app: 'nginx' }, { activeDeadlineSeconds: 10 }) }, 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported'],
  ])('%j → %s', (spec, message) => {
    expect(errors(sts(spec))).toContain(message);
  });

  it('does not validate the template\'s pod spec (upstream leaves that to pod creation)', () => {
    expect(errors(sts({ ...base, template: { metadata: { labels: { app: 'nginx' } } } }))).toEqual([]);
  });

  it('requires a DNS-1123 label as name (pods are named after it)', () => {
    expect(errors(sts(base, 'web.v1'))).toEqual([
      'metadata.name: Invalid value: "web.v1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
    ]);
  });

  it.each([
    ['replicas', (s: StatefulSet) => { s.spec!.replicas = 5; }, []],
    ['template', (s: StatefulSet) => { s.spec!.template!.spec!.containers![0].image = 'nginx:1.27'; }, []],
    ['updateStrategy', (s: StatefulSet) => { s.spec!.updateStrategy = { type: 'OnDelete' }; }, []],
    ['minReadySeconds', (s: StatefulSet) => { s.spec!.minReadySeconds = 3; }, []],
    ['ordinals', (s: StatefulSet) => { s.spec!.ordinals = { start: 1 }; }, []],
    ['retention policy', (s: StatefulSet) => { s.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' }; }, []],
    ['serviceName', (s: StatefulSet) => { s.spec!.serviceName = 'other'; }, [`spec: Forbidden: ${FORBIDDEN_UPDATE_MESSAGE}`]],
    ['podManagementPolicy', (s: StatefulSet) => { s.spec!.podManagementPolicy = 'Parallel'; }, [`spec: Forbidden: ${FORBIDDEN_UPDATE_MESSAGE}`]],
    ['revisionHistoryLimit', (s: StatefulSet) => { s.spec!.revisionHistoryLimit = 3; }, [`spec: Forbidden: ${FORBIDDEN_UPDATE_MESSAGE}`]],
    ['an empty volumeClaimTemplates list (same as none)', (s: StatefulSet) => { s.spec!.volumeClaimTemplates = []; }, []],
  ])('updating %s → %j', (_what, change, expected) => {
    const old = sts({ ...base, replicas: 3 });
    const next = structuredClone(old);
    change(next);
    expect(errors(next, old)).toEqual(expected);
  });

  it('says exactly upstream 1.33\'s forbidden-update text', () => {
    expect(FORBIDDEN_UPDATE_MESSAGE).toBe("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
  });

  it.each([
    [{ replicas: 2, readyReplicas: 3 }, ['status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas']],
    [{ replicas: 2, readyReplicas: 1, availableReplicas: 2 }, ['status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas']],
    [{ replicas: 1, collisionCount: 0 }, ['status.collisionCount: Invalid value: 0: cannot be decremented']],
  ])('status %j → %j', (status, expected) => {
    const old = sts(base);
    old.status = { replicas: 1, availableReplicas: 0, collisionCount: 1 };
    const next = structuredClone(old);
    next.status = { availableReplicas: 0, collisionCount: 1, ...status };
    expect(errors(next, old)).toEqual(expected);
  });
});

describe('StatefulSet printer', () => {
  it.each([
    [{ replicas: 3 }, { readyReplicas: 2 }, ['web', '2/3']],
    [{ replicas: 0 }, {}, ['web', '0/0']],
  ])('spec %j status %j → %j', (spec, status, cells) => {
    const s = { ...sts({ ...base, ...spec }), status } as StatefulSet;
    const row = statefulSetPrinter.row(s, new Date());
    expect(row.slice(0, 2)).toEqual(cells);
    expect(row.slice(3)).toEqual(['nginx', 'registry.k8s.io/nginx-slim:0.24']);
  });

  it('has upstream\'s columns', () => {
    expect(statefulSetPrinter.columns.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]]);
  });
});
