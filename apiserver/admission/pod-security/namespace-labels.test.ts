import { describe, expect, it } from 'vitest';
import { policyToEvaluate, PRIVILEGED_POLICY, type LevelVersion, type PodSecurityPolicy } from './namespace-labels.ts';

const lv = (level: LevelVersion['level'], version = 'latest'): LevelVersion => ({ level, version });
const p = lv('privileged');
const labels = (kv: Record<string, string>) => Object.fromEntries([['other-label', 'foo-bar'], ...Object.entries(kv).map(([k, v]) => [`pod-security.kubernetes.io/${k}`, v])]);
const policy = (enforce: LevelVersion, warn: LevelVersion, audit: LevelVersion): PodSecurityPolicy => ({ enforce, warn, audit });

describe('policyToEvaluate (upstream TestPolicyToEvaluate, privileged defaults)', () => {
  it.each([
    ['simple enforce', { enforce: 'baseline' }, policy(lv('baseline'), lv('baseline'), p), false],
    ['simple warn', { warn: 'restricted' }, policy(p, lv('restricted'), p), false],
    ['simple audit', { audit: 'baseline' }, policy(p, p, lv('baseline')), false],
    ['enforce & warn', { enforce: 'baseline', warn: 'restricted' }, policy(lv('baseline'), lv('restricted'), p), false],
    ['enforce version', { enforce: 'baseline', 'enforce-version': 'v1.22' }, policy(lv('baseline', 'v1.22'), lv('baseline', 'v1.22'), p), false],
    ['enforce version & warn-version', { enforce: 'baseline', 'enforce-version': 'v1.22', 'warn-version': 'latest' }, policy(lv('baseline', 'v1.22'), lv('baseline'), p), false],
    ['enforce & warn-version', { enforce: 'baseline', 'warn-version': 'v1.23' }, policy(lv('baseline'), lv('baseline', 'v1.23'), p), false],
    ['fully specified', { enforce: 'baseline', 'enforce-version': 'v1.20', warn: 'restricted', 'warn-version': 'v1.21', audit: 'restricted', 'audit-version': 'v1.22' }, policy(lv('baseline', 'v1.20'), lv('restricted', 'v1.21'), lv('restricted', 'v1.22')), false],
    ['enforce no warn', { enforce: 'baseline', warn: 'privileged' }, policy(lv('baseline'), p, p), false],
    ['enforce warn error', { enforce: 'baseline', warn: 'foo' }, policy(lv('baseline'), p, p), true],
    ['enforce error', { enforce: 'foo' }, policy(lv('restricted'), p, p), true],
  ])('%s', (_name, kv, expected, hasErrors) => {
    const { policy: actual, errors } = policyToEvaluate(labels(kv), PRIVILEGED_POLICY);
    expect(actual).toEqual(expected);
    expect(errors.length > 0).toBe(hasErrors);
  });

  it('reports invalid labels with upstream text', () => {
    expect(policyToEvaluate(labels({ enforce: 'foo', 'audit-version': '1.2' })).errors.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "1.2": must be "latest" or "v1.x"',
    ]);
  });
});

describe('policyToEvaluate over configured defaults', () => {
  const defaults = policy(lv('baseline', 'v1.30'), lv('restricted'), lv('baseline'));

  it('no labels: the defaults, untouched', () => {
    expect(policyToEvaluate(undefined, defaults).policy).toEqual(defaults);
    expect(policyToEvaluate({}, defaults).policy).toEqual(defaults);
    expect(policyToEvaluate({ app: 'x' }, defaults).policy).toEqual(defaults);
    expect(defaults.enforce).toEqual(lv('baseline', 'v1.30'));
  });

  it.each([
    ['enforce label overrides only enforce (the default version stays)', { enforce: 'privileged' }, policy(lv('privileged', 'v1.30'), lv('restricted'), lv('baseline'))],
    ['enforce-version alone keeps the default level', { 'enforce-version': 'v1.25' }, policy(lv('baseline', 'v1.25'), lv('restricted'), lv('baseline'))],
    ['warn label overrides the default warn', { warn: 'baseline' }, policy(lv('baseline', 'v1.30'), lv('baseline'), lv('baseline'))],
    ['audit label overrides the default audit', { audit: 'privileged' }, policy(lv('baseline', 'v1.30'), lv('restricted'), p)],
    ['enforce as strict as the default warn leaves warn (and its version) alone', { enforce: 'restricted', 'enforce-version': 'v1.29' }, policy(lv('restricted', 'v1.29'), lv('restricted'), lv('baseline'))],
  ])('%s', (_name, kv, expected) => {
    expect(policyToEvaluate(labels(kv), defaults).policy).toEqual(expected);
  });

  it('an enforce label stricter than the default warn raises warn to it; an invalid one does not', () => {
    const warnBaseline = policy(p, lv('baseline', 'v1.28'), p);
    expect(policyToEvaluate(labels({ enforce: 'baseline' }), warnBaseline).policy.warn).toEqual(lv('baseline', 'v1.28'));
    expect(policyToEvaluate(labels({ enforce: 'restricted', 'enforce-version': 'v1.29' }), warnBaseline).policy.warn).toEqual(lv('restricted', 'v1.29'));
    expect(policyToEvaluate(labels({ enforce: 'restricted', 'warn-version': 'v1.27' }), warnBaseline).policy.warn).toEqual(lv('restricted', 'v1.27'));
    expect(policyToEvaluate(labels({ enforce: 'strict' }), warnBaseline).policy).toEqual(policy(lv('restricted'), lv('baseline', 'v1.28'), p));
  });
});
