import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { hasLocalStorageLimit, localStorageViolation, type PodStorageUsage } from './local-storage.ts';

const MI = 1024 * 1024;

function pod(spec: Record<string, unknown>): Pod {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'a', image: 'busybox' }], ...spec } } as Pod;
}

const limited = (name: string, limit?: string) => ({ name, image: 'busybox', ...(limit ? { resources: { limits: { 'ephemeral-storage': limit } } } : {}) });

function usage(volumes: Record<string, number>, containers: Record<string, { rootfsBytes?: number; logsBytes?: number }>): PodStorageUsage {
  return { volumes: new Map(Object.entries(volumes)), containers: new Map(Object.entries(containers)) };
}

describe('hasLocalStorageLimit', () => {
  it.each([
    ['no limit', pod({}), false],
    ['an emptyDir without sizeLimit', pod({ volumes: [{ name: 'd', emptyDir: {} }] }), false],
    ['an emptyDir sizeLimit of 0', pod({ volumes: [{ name: 'd', emptyDir: { sizeLimit: '0' } }] }), false],
    ['an emptyDir sizeLimit', pod({ volumes: [{ name: 'd', emptyDir: { sizeLimit: '10Mi' } }] }), true],
    ['a container limit', pod({ containers: [limited('a', '1Gi')] }), true],
    ['an init container limit', pod({ initContainers: [limited('i', '1Gi')] }), true],
  ])('%s: %s', (_what, p, expected) => {
    expect(hasLocalStorageLimit(p)).toBe(expected);
  });
});

describe('localStorageViolation (upstream localStorageEviction, its order and messages)', () => {
  it('an emptyDir over its sizeLimit, named with the limit as written canonically', () => {
    const p = pod({ volumes: [{ name: 'small', emptyDir: { sizeLimit: '5120Ki' } }, { name: 'big', emptyDir: {} }] });
    expect(localStorageViolation(p, usage({ small: 5 * MI }, {}))).toBeUndefined();
    expect(localStorageViolation(p, usage({ small: 5 * MI + 1, big: 900 * MI }, {}))).toEqual({ signal: 'emptydirfs.limit', message: 'Usage of EmptyDir volume "small" exceeds the limit "5Mi". ' });
  });

  it("the pod's storage (writable layers, logs, disk emptyDirs; not memory ones) over the sum of its limits", () => {
    const p = pod({ containers: [limited('a', '5Mi'), limited('b', '3Mi'), limited('c')], volumes: [{ name: 'd', emptyDir: {} }, { name: 'm', emptyDir: { medium: 'Memory' } }] });
    expect(localStorageViolation(p, usage({ d: 2 * MI, m: 50 * MI }, { a: { rootfsBytes: 2 * MI, logsBytes: 1 * MI }, c: { rootfsBytes: 3 * MI } }))).toBeUndefined();
    expect(localStorageViolation(p, usage({ d: 2 * MI + 1 }, { a: { rootfsBytes: 2 * MI, logsBytes: 1 * MI }, c: { rootfsBytes: 3 * MI } }))).toEqual({ signal: 'ephemeralpodfs.limit', message: 'Pod ephemeral local storage usage exceeds the total limit of containers 8Mi. ' });
  });

  it('a container over its own limit when the pod is within the sum (its writable layer and logs)', () => {
    const p = pod({ containers: [limited('a', '5Mi'), limited('b', '100Mi')] });
    expect(localStorageViolation(p, usage({}, { a: { rootfsBytes: 4 * MI, logsBytes: 2 * MI } }))).toEqual({ signal: 'ephemeralcontainerfs.limit', message: 'Container a exceeded its local ephemeral storage limit "5Mi". ' });
    expect(localStorageViolation(p, usage({}, { a: { rootfsBytes: 4 * MI, logsBytes: MI }, b: { rootfsBytes: 90 * MI } }))).toBeUndefined();
  });

  it('checks the emptyDir first, then the pod, then the containers', () => {
    const p = pod({ containers: [limited('a', '1Mi')], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] });
    expect(localStorageViolation(p, usage({ d: 2 * MI }, { a: { rootfsBytes: 2 * MI } }))?.signal).toBe('emptydirfs.limit');
    expect(localStorageViolation(p, usage({ d: MI }, { a: { rootfsBytes: 2 * MI } }))?.signal).toBe('ephemeralpodfs.limit');
  });
});
