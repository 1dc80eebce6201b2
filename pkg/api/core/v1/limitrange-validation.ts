/**
 * Upstream ValidateLimitRange (pkg/apis/core/validation): the type is a standard limit type or
 * fully qualified and appears once; resource names are container resources for Pod/Container items
 * and standard or qualified names otherwise; Pod items take no defaults; PVC items need a storage
 * min or max; per resource min ≤ defaultRequest ≤ default ≤ max and 1 ≤ maxLimitRequestRatio ≤
 * max/min; resources that may not overcommit need default = defaultRequest. Quantities in
 * `Invalid value:` print as Go's `%#v` of a Quantity, as upstream's do. Maps are walked in key order.
 */
import type { FieldError } from '../../../errors/index.ts';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../../quantity.ts';
import { duplicate, forbidden, index, invalidValue, key, required } from '../../validation/field-errors.ts';
import { goQuantityValue } from '../../validation/go-quantity.ts';
import { isQualifiedName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import type { LimitRange, LimitRangeItem } from './limitrange.ts';
import { containerResourceNameErrors } from './pod-validation.ts';

type Quantity = string | number;
type List = Record<string, Quantity>;

/** Upstream `standardResources` (IsStandardResourceName), hugepages aside. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers', 'storage', 'requests.storage']);

/** Upstream validateResourceName: a qualified name, and a standard one unless it has a domain. Pure. */
export function resourceNameErrors(name: string): string[] {
  const qualified = isQualifiedName(name);
  if (qualified.length) return qualified;
  if (name.includes('/') || STANDARD_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-')) return [];
  return ['must be a standard resource type or fully qualified'];
}

/** Upstream validateLimitRangeTypeName. */
function typeErrors(path: string, type: string): FieldError[] {
  const qualified = isQualifiedName(type);
  if (qualified.length) return qualified.map((msg) => invalidValue(path, type, msg));
  if (!type.includes('/') && !['Pod', 'Container', 'PersistentVolumeClaim'].includes(type)) return [invalidValue(path, type, 'must be a standard limit type or fully qualified')];
  return [];
}

/** Upstream IsOvercommitAllowed: native resources except hugepages. */
function overcommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return native && !name.startsWith('hugepages-');
}

function invalidQuantity(path: string, value: Quantity, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${goQuantityValue(value)}: ${detail}` };
}

/** Names and quantity syntax of one list; returns the parsable entries. */
function checkList(errs: FieldError[], path: string, type: string, list: List | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const name of Object.keys(list ?? {}).sort()) {
    const p = key(path, name);
    const nameErrs = type === 'Pod' || type === 'Container' ? containerResourceNameErrors(name) : resourceNameErrors(name);
    for (const msg of nameErrs) errs.push(invalidValue(p, name, msg));
    const v = list![name]!;
    if (parseQuantity(v)) out.set(name, v);
    else errs.push(invalidValue(p, v, QUANTITY_FORMAT_ERROR));
  }
  return out;
}

const n = (q: Quantity) => parseQuantity(q)!.nano;
const s = (q: Quantity) => String(q);

/** Go `%f`. */
const goFloat = (x: number) => (Number.isFinite(x) ? x.toFixed(6) : x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN');

/** Upstream's comparisons at milli precision when every value fits (else whole units). */
function ratioLimit(min: Quantity, max: Quantity, ratio: Quantity): { ratio: number; limit: number } {
  const MAX_MILLI = 9223372036854775n;
  const whole = (q: Quantity) => { const x = n(q); return x % 1000000000n === 0n ? x / 1000000000n : x / 1000000000n + (x > 0n ? 1n : 0n); };
  const milli = (q: Quantity) => { const x = n(q); return x % 1000000n === 0n ? x / 1000000n : x / 1000000n + (x > 0n ? 1n : 0n); };
  if (whole(ratio) < MAX_MILLI && whole(min) < MAX_MILLI && whole(max) < MAX_MILLI) {
    return { ratio: Number(milli(ratio)) / 1000, limit: Number(milli(max)) / Number(milli(min)) };
  }
  return { ratio: Number(whole(ratio)), limit: Number(whole(max)) / Number(whole(min)) };
}

function validateItem(item: LimitRangeItem, path: string, errs: FieldError[]): void {
  const type = item.type;
  const max = checkList(errs, `${path}.max`, type, item.max);
  const min = checkList(errs, `${path}.min`, type, item.min);
  let def = new Map<string, Quantity>();
  let request = new Map<string, Quantity>();
  if (type === 'Pod') {
    if (Object.keys(item.default ?? {}).length) errs.push(forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length) errs.push(forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  } else {
    def = checkList(errs, `${path}.default`, type, item.default);
    request = checkList(errs, `${path}.defaultRequest`, type, item.defaultRequest);
  }
  if (type === 'PersistentVolumeClaim' && !(item.min && 'storage' in item.min) && !(item.max && 'storage' in item.max)) {
    errs.push(required(`${path}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  const ratios = checkList(errs, `${path}.maxLimitRequestRatio`, type, item.maxLimitRequestRatio);
  const names = [...new Set([...max.keys(), ...min.keys(), ...def.keys(), ...request.keys(), ...ratios.keys()])].sort();
  for (const name of names) {
    const [lo, hi, d, r, ratio] = [min.get(name), max.get(name), def.get(name), request.get(name), ratios.get(name)];
    if (lo !== undefined && hi !== undefined && n(lo) > n(hi)) errs.push(invalidQuantity(key(`${path}.min`, name), lo, `min value ${s(lo)} is greater than max value ${s(hi)}`));
    if (r !== undefined && lo !== undefined && n(lo) > n(r)) errs.push(invalidQuantity(key(`${path}.defaultRequest`, name), r, `min value ${s(lo)} is greater than default request value ${s(r)}`));
    if (r !== undefined && hi !== undefined && n(r) > n(hi)) errs.push(invalidQuantity(key(`${path}.defaultRequest`, name), r, `default request value ${s(r)} is greater than max value ${s(hi)}`));
    if (r !== undefined && d !== undefined && n(r) > n(d)) errs.push(invalidQuantity(key(`${path}.defaultRequest`, name), r, `default request value ${s(r)} is greater than default limit value ${s(d)}`));
    // Upstream reports these two with min and max as the bad value.
    if (d !== undefined && lo !== undefined && n(lo) > n(d)) errs.push(invalidQuantity(key(`${path}.default`, name), lo, `min value ${s(lo)} is greater than default value ${s(d)}`));
    if (d !== undefined && hi !== undefined && n(d) > n(hi)) errs.push(invalidQuantity(key(`${path}.default`, name), hi, `default value ${s(d)} is greater than max value ${s(hi)}`));
    if (ratio !== undefined && n(ratio) < 1000000000n) errs.push(invalidQuantity(key(`${path}.maxLimitRequestRatio`, name), ratio, `ratio ${s(ratio)} is less than 1`));
    if (ratio !== undefined && lo !== undefined && hi !== undefined) {
      const got = ratioLimit(lo, hi, ratio);
      if (got.ratio > got.limit) errs.push(invalidQuantity(key(`${path}.maxLimitRequestRatio`, name), ratio, `ratio ${s(ratio)} is greater than max/min = ${goFloat(got.limit)}`));
    }
    if (!overcommitAllowed(name) && d !== undefined && r !== undefined && n(d) !== n(r)) {
      errs.push(invalidQuantity(key(`${path}.defaultRequest`, name), r, `default value ${s(d)} must equal to defaultRequest value ${s(r)} in ${name}`));
    }
  }
}

/** Every field error of a LimitRange (create and update alike, as upstream). Pure. */
export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs = validateObjectMeta(lr.metadata, { namespaced: true });
  const seen = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const path = index('spec.limits', i);
    errs.push(...typeErrors(`${path}.type`, item.type));
    if (seen.has(item.type)) errs.push(duplicate(`${path}.type`, item.type));
    seen.add(item.type);
    validateItem(item, path, errs);
  });
  return errs;
}
