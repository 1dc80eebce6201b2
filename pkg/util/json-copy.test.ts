import { describe, expect, it } from 'vitest';
import { copyJson } from './json-copy.ts';

/** Every object and array reachable from `v`. */
function containers(v: unknown, out: unknown[] = []): unknown[] {
  if (v === null || typeof v !== 'object') return out;
  out.push(v);
  for (const member of Object.values(v)) containers(member, out);
  return out;
}

describe('copyJson', () => {
  const pod = {
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'x' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': {} } } } }] },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], nodeName: undefined, priority: 0, hostNetwork: false },
    status: { conditions: [], podIP: null },
  };

  it('makes an equal value with the same key order, sharing no object or array', () => {
    const copy = copyJson(pod);
    expect(copy).toStrictEqual(pod);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(pod));
    expect(Object.keys(copy.spec)).toEqual(Object.keys(pod.spec));
    const originals = new Set(containers(pod));
    expect(containers(copy).filter((c) => originals.has(c))).toEqual([]);
  });

  it('keeps members whose value is undefined, as structuredClone does', () => {
    const copy = copyJson(pod);
    expect('nodeName' in copy.spec).toBe(true);
    expect(copy).toStrictEqual(structuredClone(pod));
  });

  it('copies frozen values into unfrozen ones', () => {
    const frozen = Object.freeze({ a: Object.freeze([Object.freeze({ b: 1 })]) });
    const copy = copyJson(frozen) as { a: Array<{ b: number }> };
    copy.a[0]!.b = 2;
    copy.a.push({ b: 3 });
    expect(Object.isFrozen(copy)).toBe(false);
    expect(frozen.a[0]!.b).toBe(1);
  });

  it('keeps an own __proto__ key an own data property, never the prototype', () => {
    const decoded = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": [1]}}') as Record<string, unknown>;
    const copy = copyJson(decoded);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(decoded));
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).not.toBe(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value);
  });

  it('copies objects without a prototype as plain objects', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const copy = copyJson(bare);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toEqual({ a: 1 });
  });

  it('hands anything but plain objects and arrays to structuredClone', () => {
    const when = new Date(0);
    const copy = copyJson({ when, sizes: new Map([['a', 1]]) });
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(0);
    expect(copy.sizes.get('a')).toBe(1);
  });

  it('returns scalars as they are', () => {
    for (const v of ['s', 0, -1.5, true, null, undefined]) expect(copyJson(v)).toBe(v);
  });
});
