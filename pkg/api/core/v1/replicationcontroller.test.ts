import { describe, expect, it } from 'vitest';
import { applyReplicationControllerDefaults, ReplicationControllerSchema, replicationControllerResource, type ReplicationController, validateReplicationController } from './replicationcontroller.ts';
import { applyPodTemplateDefaults, PodTemplateSchema, validatePodTemplate } from './podtemplate.ts';

function rc(spec: Record<string, unknown>, labels?: Record<string, string>): ReplicationController {
  return ReplicationControllerSchema.parse({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: 'default', labels }, spec });
}
const template = (labels: Record<string, string> | undefined, extra: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra } });
function defaulted(spec: Record<string, unknown>, labels?: Record<string, string>): ReplicationController {
  const obj = rc(spec, labels);
  applyReplicationControllerDefaults(obj);
  return obj;
}
const messages = (obj: ReplicationController, subresource?: string) => validateReplicationController(obj, undefined, { subresource }).map((e) => `${e.field}: ${e.detail}`);

describe('ReplicationController defaults (SetDefaults_ReplicationController)', () => {
  it('takes selector and labels from the template, replicas 1, and defaults the pod spec', () => {
    const obj = defaulted({ template: template({ app: 'web' }) });
    expect(obj.spec?.selector).toEqual({ app: 'web' });
    expect(obj.metadata.labels).toEqual({ app: 'web' });
    expect(obj.spec?.replicas).toBe(1);
    expect(obj.spec?.template?.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    const again = structuredClone(obj);
    applyReplicationControllerDefaults(again);
    expect(again).toEqual(obj);
  });

  it('keeps a given selector, labels and replicas (0 included)', () => {
    const obj = defaulted({ replicas: 0, selector: { app: 'web' }, template: template({ app: 'web', tier: 'fe' }) }, { team: 'a' });
    expect(obj.spec?.selector).toEqual({ app: 'web' });
    expect(obj.metadata.labels).toEqual({ team: 'a' });
    expect(obj.spec?.replicas).toBe(0);
  });

  it('leaves a missing template missing', () => {
    expect(defaulted({}).spec).toEqual({ replicas: 1 });
  });
});

describe('ReplicationController validation', () => {
  it('accepts a defaulted controller', () => {
    expect(messages(defaulted({ template: template({ app: 'web' }) }))).toEqual([]);
  });

  it.each([
    ['no template', {}, ['spec.selector: Required value', 'spec.template: Required value']],
    ['a template without labels', { template: template(undefined) }, ['spec.selector: Required value']],
    ['a selector the labels miss', { selector: { app: 'x' }, template: template({ app: 'web' }) }, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    ['negative replicas', { replicas: -1, template: template({ app: 'web' }) }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['restartPolicy Never', { template: template({ app: 'web' }, { restartPolicy: 'Never' }) }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['activeDeadlineSeconds', { template: template({ app: 'web' }, { activeDeadlineSeconds: 5 }) }, ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported']],
    ['a bad template label', { selector: { app: 'web' }, template: template({ app: 'web', 'bad key!': 'x' }) }, [expect.stringMatching(/^spec\.template\.labels: Invalid value: "bad key!": name part must consist of/)]],
  ])('%s', (_name, spec, want) => {
    expect(messages(defaulted(spec, { team: 'a' }))).toEqual(want);
  });

  it('checks only the status on the status subresource', () => {
    const obj = defaulted({ template: template({ app: 'web' }) });
    obj.status = { replicas: 1, readyReplicas: 2, availableReplicas: 2 };
    expect(messages(obj, 'status')).toEqual([
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ]);
    obj.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2 };
    expect(messages(obj, 'status')).toEqual(['status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas']);
  });

  it('warns on create about a name that is no DNS label (it becomes pod names)', () => {
    expect(replicationControllerResource.warningsOnCreate?.(defaulted({ template: template({ app: 'web' }) }))).toEqual([]);
    const dotted = defaulted({ template: template({ app: 'web' }) });
    dotted.metadata.name = 'web.v1';
    expect(replicationControllerResource.warningsOnCreate?.(dotted)).toEqual([expect.stringMatching(/^metadata\.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: \[a lowercase RFC 1123 label must consist of/)]);
  });

  it('is served as core/v1 replicationcontrollers (rc) with status and a scale whose selector is a map', () => {
    expect(replicationControllerResource).toMatchObject({ group: '', plural: 'replicationcontrollers', shortNames: ['rc'], categories: ['all'] });
    expect(replicationControllerResource.subresources.scale).toMatchObject({ labelSelectorPath: 'spec.selector', labelSelectorIsMap: true });
  });
});

describe('PodTemplate', () => {
  it('defaults the template pod spec and validates it under template.*', () => {
    const pt = PodTemplateSchema.parse({ metadata: { name: 'pt', namespace: 'default' }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    applyPodTemplateDefaults(pt);
    expect(pt.template?.spec?.restartPolicy).toBe('Always');
    expect(validatePodTemplate(pt)).toEqual([]);
    const empty = PodTemplateSchema.parse({ metadata: { name: 'pt', namespace: 'default' } });
    applyPodTemplateDefaults(empty);
    expect(validatePodTemplate(empty).map((e) => `${e.field}: ${e.detail}`)).toEqual(['template.spec.containers: Required value']);
  });
});
