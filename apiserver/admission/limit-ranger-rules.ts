/**
 * LimitRanger's decisions (upstream plugin/pkg/admission/limitranger), pure:
 * `fillLimitRangeDefaults` fills the Container defaults of one LimitRange into a pod's containers
 * and init containers, `mergeLimitRangeDefaults` also records them in the
 * `kubernetes.io/limit-ranger` annotation;
 * `podLimitViolations` / `claimLimitViolations` list the min, max and limit/request-ratio
 * violations with upstream's texts; `aggregateMessage` joins them as `utilerrors.NewAggregate`
 * prints (one message bare, several in brackets, duplicates once). Resource maps are walked in
 * key order (Go's order is random).
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { canonicalQuantity as str, formatQuantity, parseQuantity, type QuantityFormat } from '../../pkg/api/quantity.ts';
import type { LimitRange, LimitRangeItem } from '../../pkg/api/core/v1/limitrange.ts';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type Quantity = string | number;
type List = Record<string, Quantity>;
interface Resources { requests?: List; limits?: List }
interface ContainerLike { name?: string; resources?: Resources; restartPolicy?: string }
interface PodSpecLike { containers?: ContainerLike[]; initContainers?: ContainerLike[] }

const NANO = 1_000_000_000n;
const MAX_MILLI = 9223372036854775n;
const ceilDiv = (a: bigint, b: bigint) => (a % b === 0n || a < 0n ? a / b : a / b + 1n);
const nano = (q: Quantity | undefined) => (q === undefined ? 0n : parseQuantity(q)?.nano ?? 0n);

/** Upstream requestLimitEnforcedValues: milli precision when all three fit, else whole units. */
function comparable(request: Quantity | undefined, limit: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const whole = [request, limit, enforced].map((q) => ceilDiv(nano(q), NANO));
  if (whole.every((v) => v <= MAX_MILLI)) return [request, limit, enforced].map((q) => ceilDiv(nano(q), 1_000_000n)) as [bigint, bigint, bigint];
  return whole as [bigint, bigint, bigint];
}

/** The Container defaults of a LimitRange (later items win, as upstream's loop). */
function containerDefaults(lr: LimitRange): { requests: List; limits: List } {
  const out = { requests: {} as List, limits: {} as List };
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(out.requests, item.defaultRequest ?? {});
    Object.assign(out.limits, item.default ?? {});
  }
  return out;
}

function fillContainer(c: ContainerLike, defaults: { requests: List; limits: List }, noun: string, notes: string[]): void {
  if (!c || typeof c !== 'object') return;
  const set = { requests: [] as string[], limits: [] as string[] };
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, q] of Object.entries(defaults[kind])) {
      const list = c.resources?.[kind];
      if (list && name in list) continue;
      ((c.resources ??= {})[kind] ??= {})[name] = q;
      set[kind].push(name);
    }
  }
  if (set.requests.length) notes.push(`${set.requests.sort().join(', ')} request for ${noun} ${c.name ?? ''}`);
  if (set.limits.length) notes.push(`${set.limits.sort().join(', ')} limit for ${noun} ${c.name ?? ''}`);
}

/**
 * Upstream mergePodResourceRequirements without the annotation: fills each container's and init
 * container's missing requests/limits from one LimitRange's Container defaults; mutates `pod`.
 * Returns what it set, in the annotation's words (`memory request for container a`).
 */
export function fillLimitRangeDefaults(lr: LimitRange, pod: KubeObject): string[] {
  const defaults = containerDefaults(lr);
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const notes: string[] = [];
  for (const c of spec.containers ?? []) fillContainer(c, defaults, 'container', notes);
  for (const c of spec.initContainers ?? []) fillContainer(c, defaults, 'init container', notes);
  return notes;
}

/** Upstream PodMutateLimitFunc: {@link fillLimitRangeDefaults} and the `kubernetes.io/limit-ranger` annotation; mutates `pod`. */
export function mergeLimitRangeDefaults(lr: LimitRange, pod: KubeObject): void {
  const notes = fillLimitRangeDefaults(lr, pod);
  if (notes.length) (pod.metadata.annotations ??= {})[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

function minViolation(type: string, name: string, enforced: Quantity, requests: List, limits: List): string | undefined {
  const [req, lim, want] = comparable(requests[name], limits[name], enforced);
  if (!(name in requests)) return `minimum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (req < want) return `minimum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(requests[name]!)}`;
  if (name in limits && lim < want) return `minimum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(limits[name]!)}`;
  return undefined;
}

function maxViolation(type: string, name: string, enforced: Quantity, requests: List, limits: List): string | undefined {
  const [req, lim, want] = comparable(requests[name], limits[name], enforced);
  if (!(name in limits)) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (lim > want) return `maximum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(limits[name]!)}`;
  if (name in requests && req > want) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(requests[name]!)}`;
  return undefined;
}

function ratioViolation(type: string, name: string, enforced: Quantity, requests: List, limits: List): string | undefined {
  const [req, lim] = comparable(requests[name], limits[name], enforced);
  const prefix = `${name} max limit to request ratio per ${type} is ${str(enforced)}`;
  if (!(name in requests) || req === 0n) return `${prefix}, but no request is specified or request is 0`;
  if (!(name in limits) || lim === 0n) return `${prefix}, but no limit is specified or limit is 0`;
  const observed = Number(lim) / Number(req);
  const whole = ceilDiv(nano(enforced), NANO);
  const [ratio, max] = whole <= MAX_MILLI ? [observed * 1000, Number(ceilDiv(nano(enforced), 1_000_000n))] : [observed, Number(whole)];
  return ratio > max ? `${prefix}, but provided ratio is ${observed.toFixed(6)}` : undefined;
}

const sorted = (list: List | undefined) => Object.entries(list ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function checkAll(out: string[], item: LimitRangeItem, requests: List, limits: List): void {
  for (const [name, q] of sorted(item.min)) { const v = minViolation(item.type, name, q, requests, limits); if (v) out.push(v); }
  for (const [name, q] of sorted(item.max)) { const v = maxViolation(item.type, name, q, requests, limits); if (v) out.push(v); }
  for (const [name, q] of sorted(item.maxLimitRequestRatio)) { const v = ratioViolation(item.type, name, q, requests, limits); if (v) out.push(v); }
}

/** A resource total that remembers the format of its first term (Go `Quantity.Add`). */
type Totals = Map<string, { nano: bigint; format: QuantityFormat }>;

function add(into: Totals, list: List | undefined): void {
  for (const [name, q] of Object.entries(list ?? {})) {
    const p = parseQuantity(q);
    if (!p) continue;
    const cur = into.get(name);
    into.set(name, cur ? { nano: cur.nano + p.nano, format: cur.format } : { nano: p.nano, format: p.format });
  }
}

function maxInto(into: Totals, other: Totals): void {
  for (const [name, v] of other) if (!into.has(name) || v.nano > into.get(name)!.nano) into.set(name, { ...v });
}

/** Upstream podRequests/podLimits: containers and sidecars summed, init containers as a max. */
function podTotal(spec: PodSpecLike, kind: 'requests' | 'limits'): List {
  const total: Totals = new Map();
  for (const c of spec.containers ?? []) add(total, c.resources?.[kind]);
  const sidecars: Totals = new Map();
  const init: Totals = new Map();
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      add(total, c.resources?.[kind]);
      add(sidecars, c.resources?.[kind]);
      maxInto(init, sidecars);
    } else {
      const t: Totals = new Map();
      add(t, c.resources?.[kind]);
      for (const [name, v] of sidecars) add(t, { [name]: formatQuantity(v.nano, v.format) });
      maxInto(init, t);
    }
  }
  maxInto(total, init);
  return Object.fromEntries([...total].map(([name, v]) => [name, formatQuantity(v.nano, v.format)]));
}

/** Upstream PodValidateLimitFunc against one LimitRange. */
export function podLimitViolations(lr: LimitRange, pod: KubeObject): string[] {
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const out: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) checkAll(out, item, c.resources?.requests ?? {}, c.resources?.limits ?? {});
    } else if (item.type === 'Pod') {
      checkAll(out, item, podTotal(spec, 'requests'), podTotal(spec, 'limits'));
    }
  }
  return out;
}

/** Upstream PersistentVolumeClaimValidateLimitFunc: storage min/max against the claim's requests. */
export function claimLimitViolations(lr: LimitRange, pvc: KubeObject): string[] {
  const requests = ((pvc.spec as { resources?: Resources } | undefined)?.resources?.requests ?? {}) as List;
  const out: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [name, q] of sorted(item.min)) { const v = minViolation(item.type, name, q, requests, {}); if (v) out.push(v); }
    for (const [name, q] of sorted(item.max)) {
      const [req, , want] = comparable(requests[name], undefined, q);
      if (!(name in requests)) out.push(`maximum ${name} usage per ${item.type} is ${str(q)}.  No request is specified`);
      else if (req > want) out.push(`maximum ${name} usage per ${item.type} is ${q}, but request is ${str(requests[name]!)}`);
    }
  }
  return out;
}

/** `utilerrors.NewAggregate(errs).Error()`: one message bare, several deduplicated in brackets. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
