import { describe, expect, it } from 'vitest';
import { type DaemonSet, daemonSetResource, TEMPLATE_GENERATION_ANNOTATION } from './daemonset.ts';
import { goIntOrString } from './daemonset-validation.ts';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }], ...spec },
});
const valid = { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) };

/** As the API server creates one: decode, strategy, defaults. */
function created(spec: Record<string, unknown>, annotations?: Record<string, string>): DaemonSet {
  const ds = daemonSetResource.schema.parse({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'kube-system', annotations }, spec });
  daemonSetResource.prepareForCreate!(ds);
  daemonSetResource.applyDefaults(ds);
  return ds;
}

/** As the API server updates one: strategy against the stored object, then defaults. */
function updated(old: DaemonSet, change: (ds: DaemonSet) => void): DaemonSet {
  const next = structuredClone(old);
  change(next);
  daemonSetResource.prepareForUpdate!(next, old);
  daemonSetResource.applyDefaults(next);
  return next;
}

const errors = (ds: DaemonSet, old?: DaemonSet) => daemonSetResource.validate(ds, old).map((e) => `${e.field}: ${e.detail}`);

describe('DaemonSet defaults and strategy', () => {
  it('defaults as apps/v1 does and starts at template generation 1 with an empty status', () => {
    const ds = created(valid);
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 } },
    });
    expect(ds.metadata.annotations).toEqual({ [TEMPLATE_GENERATION_ANNOTATION]: '1' });
    expect(ds.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    expect(errors(ds)).toEqual([]);
  });

  it.each([
    [{ type: 'OnDelete' }, { type: 'OnDelete' }],
    [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } }],
    [{ rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }],
  ])('updateStrategy %j → %j', (given, expected) => {
    expect(created({ ...valid, updateStrategy: given }).spec?.updateStrategy).toEqual(expected);
  });

  it.each([
    ['a template change bumps the template generation', (ds: DaemonSet) => (ds.spec!.template!.spec!.containers![0]!.image = 'fluentd:v2'), '2'],
    ['a template label change too', (ds: DaemonSet) => (ds.spec!.template!.metadata!.labels = { app: 'a', tier: 'x' }), '2'],
    ['another field does not', (ds: DaemonSet) => (ds.spec!.minReadySeconds = 5), '1'],
    ['an undefaulted copy of the same template does not', (ds: DaemonSet) => (ds.spec!.template = template({ app: 'a' }) as never), '1'],
    ['a user cannot set it', (ds: DaemonSet) => (ds.metadata.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '7' }), '1'],
  ])('%s', (_name, change, generation) => {
    const next = updated(created(valid), change);
    expect(next.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]).toBe(generation);
  });

  it('an update keeps the stored status', () => {
    const old = created(valid);
    old.status = { ...old.status!, desiredNumberScheduled: 3 };
    expect(updated(old, (ds) => (ds.status = undefined)).status?.desiredNumberScheduled).toBe(3);
  });

  it('a template generation given at creation is kept when at least 1', () => {
    expect(created(valid, { [TEMPLATE_GENERATION_ANNOTATION]: '4' }).metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]).toBe('4');
    expect(created(valid, { [TEMPLATE_GENERATION_ANNOTATION]: '0' }).metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]).toBe('1');
  });

  it('is ds, in category all, with a status subresource', () => {
    expect(daemonSetResource).toMatchObject({ shortNames: ['ds'], categories: ['all'], subresources: { status: true }, plural: 'daemonsets', namespaced: true });
  });
});

describe('DaemonSet validation (upstream messages)', () => {
  const ru = (rollingUpdate: Record<string, unknown>) => ({ ...valid, updateStrategy: { type: 'RollingUpdate', rollingUpdate } });
  it.each([
    ['restartPolicy Never', { ...valid, template: template({ app: 'a' }, { restartPolicy: 'Never' }) }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['selector not matching', { ...valid, selector: { matchLabels: { app: 'b' } } }, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`']],
    ['no selector (selects nothing; no Required error upstream)', { template: template({ app: 'a' }) }, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`']],
    ['empty selector', { ...valid, selector: {} }, ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset']],
    ['activeDeadlineSeconds', { ...valid, template: template({ app: 'a' }, { activeDeadlineSeconds: 30 }) }, ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported']],
    ['both zero', ru({ maxUnavailable: 0, maxSurge: 0 }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    ['both zero percent', ru({ maxUnavailable: '0%', maxSurge: '0%' }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    ['both non-zero', ru({ maxUnavailable: 1, maxSurge: '10%' }), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero']],
    ['surge without maxUnavailable (defaulted to 1)', ru({ maxSurge: 1 }), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero']],
    ['over 100%', ru({ maxUnavailable: '150%', maxSurge: 0 }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%']],
    ['not a percent', ru({ maxUnavailable: 'x', maxSurge: 0 }), [`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`, 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    ['negative', ru({ maxUnavailable: -1, maxSurge: 0 }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0']],
    ['unknown strategy type', { ...valid, updateStrategy: { type: 'Recreate' } }, ['spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Recreate", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"']],
    ['negative minReadySeconds and revisionHistoryLimit', { ...valid, minReadySeconds: -1, revisionHistoryLimit: -2 }, ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0', 'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0']],
    ['OnDelete with zero rollingUpdate is fine', { ...valid, updateStrategy: { type: 'OnDelete', rollingUpdate: { maxUnavailable: 0 } } }, []],
    ['maxSurge alone with maxUnavailable 0 is fine', ru({ maxUnavailable: 0, maxSurge: '25%' }), []],
  ])('%s', (_name, spec, expected) => {
    expect(errors(created(spec))).toEqual(expected);
  });

  it('the selector is immutable; status counts may not go negative nor collisionCount down', () => {
    const old = created({ ...valid, template: template({ app: 'a', v: '1' }) });
    old.status = { ...old.status!, collisionCount: 2 };
    const next = structuredClone(old);
    next.spec!.selector = { matchLabels: { v: '1' } };
    next.status = { ...next.status!, numberReady: -1, collisionCount: 1 };
    expect(errors(next, old)).toEqual([
      'status.numberReady: Invalid value: -1: must be greater than or equal to 0',
      'status.collisionCount: Invalid value: 1: cannot be decremented',
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"v":"1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it.each([
    [1, 'intstr.IntOrString{Type:0, IntVal:1, StrVal:""}'],
    ['25%', 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}'],
    [undefined, 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}'],
  ])('goIntOrString(%j) → %s', (value, text) => expect(goIntOrString(value)).toBe(text));
});
