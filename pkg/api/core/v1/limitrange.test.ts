import { describe, expect, it } from 'vitest';
import { applyLimitRangeDefaults, LimitRangeSchema, type LimitRange } from './limitrange.ts';
import { validateLimitRange } from './limitrange-validation.ts';
import { goQuantityValue } from '../../validation/go-quantity.ts';
import { QUANTITY_FORMAT_ERROR } from '../../quantity.ts';

function lr(limits: unknown[]): LimitRange {
  return LimitRangeSchema.parse({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits } });
}
function defaulted(limits: unknown[]): LimitRange {
  const obj = lr(limits);
  applyLimitRangeDefaults(obj);
  return obj;
}
function messages(limits: unknown[]): string[] {
  return validateLimitRange(defaulted(limits)).map((e) => `${e.field}: ${e.detail}`);
}
const Q = (v: number, scale: number, s: string, format = 'DecimalSI') => `resource.Quantity{i:resource.int64Amount{value:${v}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${s}", Format:"${format}"}`;

describe('LimitRange defaults (SetDefaults_LimitRangeItem)', () => {
  it.each([
    ['the docs memory-defaults range keeps its default and default request', { type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }, { type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }],
    ['the cpu min/max range gets default and request from max', { type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }, { type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' }, default: { cpu: '800m' }, defaultRequest: { cpu: '800m' } }],
    ['a default limit alone becomes the request too', { type: 'Container', default: { cpu: 1 } }, { type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }],
    ['min only fills the default request', { type: 'Container', min: { memory: '1024Mi' } }, { type: 'Container', min: { memory: '1Gi' }, defaultRequest: { memory: '1Gi' } }],
    ['Pod items get nothing', { type: 'Pod', max: { cpu: '2' } }, { type: 'Pod', max: { cpu: '2' } }],
    ['PVC items get nothing', { type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }, { type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }],
  ])('%s', (_name, item, want) => {
    const once = defaulted([item]);
    expect(once.spec?.limits?.[0]).toEqual(want);
    const again = structuredClone(once);
    applyLimitRangeDefaults(again);
    expect(again).toEqual(once);
  });
});

describe('goQuantityValue (Go %#v of a Quantity)', () => {
  it.each([
    ['0', Q(0, 0, '0')],
    ['2', Q(2, 0, '2')],
    ['500m', Q(500, -3, '500m')],
    ['1Gi', Q(1073741824, 0, '1Gi', 'BinarySI')],
    ['512Mi', Q(536870912, 0, '', 'BinarySI')],
    ['1000m', Q(1000, -3, '')],
    ['1e3', Q(1, 3, '1e3', 'DecimalExponent')],
  ])('%s', (input, want) => expect(goQuantityValue(input)).toBe(want));
});

describe('ValidateLimitRange', () => {
  it('accepts the docs examples', () => {
    expect(messages([{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }])).toEqual([]);
    expect(messages([{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }])).toEqual([]);
    expect(messages([{ type: 'Pod', max: { cpu: '2', memory: '2Gi' } }, { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } }])).toEqual([]);
    expect(messages([{ type: 'example.com/Thing', max: { 'example.com/widgets': '3' } }])).toEqual([]);
  });

  it.each([
    ['min above max', [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }], [`spec.limits[0].min[cpu]: Invalid value: ${Q(2, 0, '2')}: min value 2 is greater than max value 1`]],
    ['an unknown type', [{ type: 'Foo', max: { cpu: '1' } }], ['spec.limits[0].type: Invalid value: "Foo": must be a standard limit type or fully qualified']],
    ['a duplicate type', [{ type: 'Pod', max: { cpu: '1' } }, { type: 'Pod', max: { cpu: '2' } }], ['spec.limits[1].type: Duplicate value: "Pod"']],
    ['defaults on a Pod item', [{ type: 'Pod', default: { cpu: '1' }, defaultRequest: { cpu: '1' } }], ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'", "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'"]],
    ['a default above max (reported with max)', [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '2' }, defaultRequest: { cpu: '500m' } }], [`spec.limits[0].default[cpu]: Invalid value: ${Q(1, 0, '1')}: default value 2 is greater than max value 1`]],
    ['a default request below min and above the default', [{ type: 'Container', min: { memory: '1Gi' }, default: { memory: '2Gi' }, defaultRequest: { memory: '512Mi' } }], [`spec.limits[0].defaultRequest[memory]: Invalid value: ${Q(536870912, 0, '', 'BinarySI')}: min value 1Gi is greater than default request value 512Mi`]],
    ['a default request above the default', [{ type: 'Container', default: { cpu: '200m' }, defaultRequest: { cpu: '300m' } }], [`spec.limits[0].defaultRequest[cpu]: Invalid value: ${Q(300, -3, '300m')}: default request value 300m is greater than default limit value 200m`]],
    ['a ratio below 1', [{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }], [`spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: ${Q(500, -3, '500m')}: ratio 500m is less than 1`]],
    ['a ratio above max/min', [{ type: 'Pod', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }], [`spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: ${Q(3, 0, '3')}: ratio 3 is greater than max/min = 2.000000`]],
    ['a PVC item without storage bounds', [{ type: 'PersistentVolumeClaim', max: { cpu: '1' } }], ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided']],
    ['a non-container resource on a Container item', [{ type: 'Container', max: { storage: '1Gi' } }], ['spec.limits[0].max[storage]: Invalid value: "storage": must be a standard resource for containers', 'spec.limits[0].default[storage]: Invalid value: "storage": must be a standard resource for containers', 'spec.limits[0].defaultRequest[storage]: Invalid value: "storage": must be a standard resource for containers']],
    ['an unknown resource on a PVC item', [{ type: 'PersistentVolumeClaim', max: { storage: '1Gi', bogus: '1' } }], ['spec.limits[0].max[bogus]: Invalid value: "bogus": must be a standard resource type or fully qualified']],
    ['hugepages defaults that differ', [{ type: 'Container', default: { 'hugepages-2Mi': '4Mi' }, defaultRequest: { 'hugepages-2Mi': '2Mi' } }], [`spec.limits[0].defaultRequest[hugepages-2Mi]: Invalid value: ${Q(2097152, 0, '2Mi', 'BinarySI')}: default value 4Mi must equal to defaultRequest value 2Mi in hugepages-2Mi`]],
  ])('%s', (_name, limits, want) => {
    expect(messages(limits)).toEqual(want);
  });
  it('an unparsable quantity fails decoding, before validation (upstream: a 400 from Quantity.UnmarshalJSON)', () => {
    const result = LimitRangeSchema.safeParse({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits: [{ type: 'Pod', max: { cpu: 'lots' } }] } });
    expect(result.error?.issues.map((i) => i.message)).toEqual([QUANTITY_FORMAT_ERROR]);
  });
});
