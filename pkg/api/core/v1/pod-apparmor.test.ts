import { describe, expect, it } from 'vitest';
import { appArmorAnnotationForProfile, appArmorProfileForAnnotation, validateAppArmorProfileField, type AppArmorProfile } from './pod-apparmor.ts';
import { applyAppArmorVersionSkew, type AppArmorSkewTarget } from './pod-apparmor-skew.ts';
import { appArmorProfileFormatError, validateAppArmorAnnotationsMatchOnCreate, validateAppArmorAnnotationUpdates, validateAppArmorPodAnnotations } from './pod-apparmor-validation.ts';
import type { PodSpec } from './pod-spec.ts';
import { validatePodTemplateSpec } from './podtemplate.ts';
import { builtinFor } from '../../builtin.ts';

const KEY = 'container.apparmor.security.beta.kubernetes.io/';
const WARN = (c: string) => `metadata.annotations[${KEY}${c}]: deprecated since v1.30; use the "appArmorProfile" field instead`;
const local = (name: string): AppArmorProfile => ({ type: 'Localhost', localhostProfile: name });
const RD: AppArmorProfile = { type: 'RuntimeDefault' };
const UN: AppArmorProfile = { type: 'Unconfined' };

describe('annotation ↔ field conversions', () => {
  it.each<[string, AppArmorProfile | undefined]>([
    ['runtime/default', RD],
    ['unconfined', UN],
    ['localhost/my-profile', local('my-profile')],
    ['localhost/', undefined],
    ['docker-default', undefined],
    ['', undefined],
  ])('annotation %j → %j', (value, want) => expect(appArmorProfileForAnnotation(value)).toEqual(want));

  it.each<[AppArmorProfile, string | undefined]>([
    [RD, 'runtime/default'],
    [UN, 'unconfined'],
    [local('p'), 'localhost/p'],
    [{ type: 'Localhost' }, undefined],
    [{ type: 'Bogus' }, undefined],
  ])('field %j → %j', (profile, want) => expect(appArmorAnnotationForProfile(profile)).toEqual(want));
});

describe('validateAppArmorProfileField', () => {
  const P = 'spec.securityContext.appArmorProfile';
  it.each<[string, AppArmorProfile, string[]]>([
    ['RuntimeDefault', RD, []],
    ['Unconfined', UN, []],
    ['Localhost with a name', local('p'), []],
    ['missing type', { type: '' }, [`${P}.type: Required value: type is required when appArmorProfile is set`]],
    ['unknown type', { type: 'Bogus' }, [`${P}.type: Unsupported value: "Bogus": supported values: "Localhost", "RuntimeDefault", "Unconfined"`]],
    ['Localhost without a name', { type: 'Localhost' }, [`${P}.localhostProfile: Required value: must be set when AppArmor type is Localhost`]],
    ['Localhost with an empty name', local(''), [`${P}.localhostProfile: Required value: must be set when AppArmor type is Localhost`]],
    ['Localhost padded', local(' p'), [`${P}.localhostProfile: Invalid value: " p": must not be padded with whitespace`]],
    ['Localhost too long', local('x'.repeat(4096)), [`${P}.localhostProfile: Too long: may not be more than 4095 bytes`]],
    ['Localhost at the limit', local('x'.repeat(4095)), []],
    ['RuntimeDefault with a name', { type: 'RuntimeDefault', localhostProfile: 'p' }, [`${P}.localhostProfile: Invalid value: "p": can only be set when AppArmor type is Localhost`]],
    ['Unconfined with a name', { type: 'Unconfined', localhostProfile: 'p' }, [`${P}.localhostProfile: Invalid value: "p": can only be set when AppArmor type is Localhost`]],
  ])('%s', (_name, profile, want) => {
    expect(validateAppArmorProfileField(profile, P).map((e) => `${e.field}: ${e.detail}`)).toEqual(want);
  });
});

type Pod = Required<Pick<AppArmorSkewTarget, 'spec'>> & AppArmorSkewTarget;
const pod = (opts: { annotations?: Record<string, string>; podProfile?: AppArmorProfile; app?: AppArmorProfile; init?: AppArmorProfile; os?: string }): Pod => ({
  metadata: opts.annotations ? { annotations: { ...opts.annotations } } : {},
  spec: {
    ...(opts.os ? { os: { name: opts.os } } : {}),
    ...(opts.podProfile ? { securityContext: { appArmorProfile: opts.podProfile } } : {}),
    initContainers: [{ name: 'init', ...(opts.init ? { securityContext: { appArmorProfile: opts.init } } : {}) }],
    containers: [{ name: 'app', ...(opts.app ? { securityContext: { appArmorProfile: opts.app } } : {}) }],
  },
});

describe('applyAppArmorVersionSkew', () => {
  it.each<[string, Parameters<typeof pod>[0], { annotations?: Record<string, string>; app?: AppArmorProfile; init?: AppArmorProfile; warnings: string[] }]>([
    ['nothing set: nothing changes', {}, { warnings: [] }],
    ['container field → annotation', { app: local('p') }, { annotations: { [`${KEY}app`]: 'localhost/p' }, app: local('p'), warnings: [] }],
    ['pod field → annotation on every container', { podProfile: RD }, { annotations: { [`${KEY}init`]: 'runtime/default', [`${KEY}app`]: 'runtime/default' }, warnings: [] }],
    ['container field wins over the pod field', { podProfile: RD, app: UN }, { annotations: { [`${KEY}init`]: 'runtime/default', [`${KEY}app`]: 'unconfined' }, app: UN, warnings: [] }],
    ['annotation → container field, with a warning', { annotations: { [`${KEY}app`]: 'localhost/p' } }, { annotations: { [`${KEY}app`]: 'localhost/p' }, app: local('p'), warnings: [WARN('app')] }],
    ['annotation equal to the pod field: no container field, no warning', { annotations: { [`${KEY}app`]: 'runtime/default' }, podProfile: RD },
      { annotations: { [`${KEY}app`]: 'runtime/default', [`${KEY}init`]: 'runtime/default' }, warnings: [] }],
    ['annotation different from the pod field: container field set', { annotations: { [`${KEY}app`]: 'unconfined' }, podProfile: RD },
      { annotations: { [`${KEY}app`]: 'unconfined', [`${KEY}init`]: 'runtime/default' }, app: UN, warnings: [WARN('app')] }],
    ['unconvertible annotation: warning, no field', { annotations: { [`${KEY}app`]: 'localhost/' } }, { annotations: { [`${KEY}app`]: 'localhost/' }, warnings: [WARN('app')] }],
    ['annotation converting to an invalid field: warning, no field', { annotations: { [`${KEY}app`]: 'localhost/ p' } }, { annotations: { [`${KEY}app`]: 'localhost/ p' }, warnings: [WARN('app')] }],
    ['both set: left alone', { annotations: { [`${KEY}app`]: 'unconfined' }, app: RD }, { annotations: { [`${KEY}app`]: 'unconfined' }, app: RD, warnings: [] }],
    ['init containers too', { annotations: { [`${KEY}init`]: 'unconfined' } }, { annotations: { [`${KEY}init`]: 'unconfined' }, init: UN, warnings: [WARN('init')] }],
    ['Windows pods are skipped', { annotations: { [`${KEY}app`]: 'unconfined' }, os: 'windows' }, { annotations: { [`${KEY}app`]: 'unconfined' }, warnings: [] }],
  ])('%s', (_name, input, want) => {
    const p = pod(input);
    const warnings = applyAppArmorVersionSkew(p);
    expect(warnings).toEqual(want.warnings);
    expect(p.metadata.annotations).toEqual(want.annotations);
    expect(p.spec.containers?.[0]?.securityContext?.appArmorProfile).toEqual(want.app);
    expect(p.spec.initContainers?.[0]?.securityContext?.appArmorProfile).toEqual(want.init);
  });
});

const errs = (list: { field: string; detail: string }[]) => list.map((e) => `${e.field}: ${e.detail}`);
const SPEC: PodSpec = { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }], ephemeralContainers: [{ name: 'debug' }] };

describe('AppArmor annotation validation', () => {
  it.each<[string, string | undefined]>([
    ['', undefined], ['runtime/default', undefined], ['unconfined', undefined], ['localhost/x', undefined], ['localhost/', undefined],
    ['docker/default', 'invalid AppArmor profile name: "docker/default"'],
  ])('format of %j', (value, want) => expect(appArmorProfileFormatError(value)).toEqual(want));

  it('annotations must name a container (any kind) and a valid profile', () => {
    const annotations = { [`${KEY}app`]: 'runtime/default', [`${KEY}init`]: 'unconfined', [`${KEY}debug`]: 'localhost/x', [`${KEY}nope`]: 'bad', other: 'x' };
    expect(errs(validateAppArmorPodAnnotations(annotations, SPEC, 'metadata.annotations'))).toEqual([
      `metadata.annotations[${KEY}nope]: Invalid value: "nope": container not found`,
      `metadata.annotations[${KEY}nope]: Invalid value: "bad": invalid AppArmor profile name: "bad"`,
    ]);
  });

  const M = 'spec.containers[0].securityContext.appArmorProfile';
  it.each<[string, Parameters<typeof pod>[0], string[]]>([
    ['matching container field', { annotations: { [`${KEY}app`]: 'localhost/p' }, app: local('p') }, []],
    ['matching pod field', { annotations: { [`${KEY}app`]: 'runtime/default' }, podProfile: RD }, []],
    ['type mismatch', { annotations: { [`${KEY}app`]: 'unconfined' }, app: RD }, [`${M}.type: Forbidden: apparmor type in annotation and field must match`]],
    ['Unconfined mismatch', { annotations: { [`${KEY}app`]: 'runtime/default' }, app: UN }, [`${M}.type: Forbidden: apparmor type in annotation and field must match`]],
    ['Localhost type mismatch', { annotations: { [`${KEY}app`]: 'runtime/default' }, app: local('p') }, [`${M}.type: Forbidden: apparmor type in annotation and field must match`]],
    ['Localhost name mismatch', { annotations: { [`${KEY}app`]: 'localhost/q' }, app: local('p') }, [`${M}.localhostProfile: Forbidden: apparmor profile in annotation and field must match`]],
    ['mismatch with the pod field', { annotations: { [`${KEY}init`]: 'unconfined' }, podProfile: RD },
      ['spec.initContainers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match']],
    ['Windows pods are not checked', { annotations: { [`${KEY}app`]: 'unconfined' }, app: RD, os: 'windows' }, []],
  ])('create: %s', (_name, input, want) => {
    const p = pod(input);
    expect(errs(validateAppArmorAnnotationsMatchOnCreate(p.metadata.annotations, p.spec, 'spec'))).toEqual(want);
  });

  const P = 'metadata.annotations';
  it.each<[string, Record<string, string> | undefined, Record<string, string> | undefined, string[]]>([
    ['unchanged', { [`${KEY}app`]: 'unconfined', a: '1' }, { [`${KEY}app`]: 'unconfined', a: '2' }, []],
    ['changed', { [`${KEY}app`]: 'unconfined' }, { [`${KEY}app`]: 'runtime/default' }, [`${P}[${KEY}app]: Forbidden: may not remove or update AppArmor annotations`]],
    ['removed', { [`${KEY}app`]: 'unconfined' }, undefined, [`${P}[${KEY}app]: Forbidden: may not remove or update AppArmor annotations`]],
    ['added', { a: '1' }, { a: '1', [`${KEY}app`]: 'unconfined' }, [`${P}[${KEY}app]: Forbidden: may not add AppArmor annotations`]],
    ['other annotations are free', { a: '1' }, { b: '2' }, []],
  ])('update: %s', (_name, old, next, want) => {
    expect(errs(validateAppArmorAnnotationUpdates(next, old, P))).toEqual(want);
  });
});

describe('pod templates (upstream ValidatePodTemplateSpec → ValidatePodSpecificAnnotations)', () => {
  it('refuses an annotation naming no container of the template, at <template>.annotations', () => {
    const template = { metadata: { labels: { app: 'a' }, annotations: { [`${KEY}nope`]: 'runtime/default', [`${KEY}app`]: 'bogus' } }, spec: { containers: [{ name: 'app', image: 'x' }] } };
    const appArmor = (list: { field: string; detail: string }[]) => errs(list.filter((e) => e.field.includes('apparmor')));
    expect(appArmor(validatePodTemplateSpec(template, 'template'))).toEqual([
      `template.annotations[${KEY}app]: Invalid value: "bogus": invalid AppArmor profile name: "bogus"`,
      `template.annotations[${KEY}nope]: Invalid value: "nope": container not found`,
    ]);
    const deployment = builtinFor('apps/v1', 'Deployment')!;
    const d = deployment.schema.parse({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template } });
    deployment.applyDefaults(d);
    expect(appArmor(deployment.validate(d))).toEqual([
      `spec.template.annotations[${KEY}app]: Invalid value: "bogus": invalid AppArmor profile name: "bogus"`,
      `spec.template.annotations[${KEY}nope]: Invalid value: "nope": container not found`,
    ]);
  });
});
