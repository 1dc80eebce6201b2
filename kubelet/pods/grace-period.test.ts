import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { deletionGraceSeconds, podGraceSeconds } from './grace-period.ts';

const pod = (terminationGracePeriodSeconds?: number, deletionGracePeriodSeconds?: number): Pod =>
  ({
    metadata: { name: 'p', ...(deletionGracePeriodSeconds !== undefined ? { deletionGracePeriodSeconds } : {}) },
    spec: { containers: [], ...(terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds } : {}) },
  }) as unknown as Pod;

describe('podGraceSeconds', () => {
  it.each([
    ['unset: 30 s', pod(), 30],
    ['the pod’s own', pod(5), 5],
    ['zero stays zero', pod(0), 0],
  ])('%s', (_name, p, expected) => {
    expect(podGraceSeconds(p)).toBe(expected);
  });
});

describe('deletionGraceSeconds', () => {
  it.each([
    ['neither set: 30 s', pod(), 30],
    ['a shorter deletion wins', pod(60, 10), 10],
    ['the pod’s shorter own wins', pod(5, 20), 5],
    ['deletion unset, pod’s own under 30 s', pod(12), 12],
    ['deletion unset, pod’s own over 30 s: 30 s', pod(90), 30],
    ['a forced deletion (0)', pod(30, 0), 0],
  ])('%s', (_name, p, expected) => {
    expect(deletionGraceSeconds(p)).toBe(expected);
  });
});
