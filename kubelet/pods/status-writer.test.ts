import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { knownStatus, movesToRunning, statusTargetOf } from './status-writer.ts';

const pod = (phase?: string): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1', resourceVersion: '7' }, spec: { containers: [] }, ...(phase ? { status: { phase } } : {}) }) as unknown as Pod;

describe('knownStatus', () => {
  it.each([
    ['no baseline, a live pod: none', pod('Running'), undefined, undefined],
    ['a live pod: the baseline', pod('Pending'), { phase: 'Running' }, { phase: 'Running' }],
    ['a final phase the caller decided wins over a live baseline', pod('Failed'), { phase: 'Running' }, { phase: 'Failed' }],
    ['a final phase the caller decided wins over no baseline', pod('Succeeded'), undefined, { phase: 'Succeeded' }],
    ['a final baseline stays', pod('Failed'), { phase: 'Succeeded' }, { phase: 'Succeeded' }],
  ])('%s', (_name, p, baseline, expected) => {
    expect(knownStatus(p, baseline)).toEqual(expected);
  });

  it('answers the pod’s own status object, so the caller can tell it from a written one', () => {
    const p = pod('Failed');
    expect(knownStatus(p, { phase: 'Pending' })).toBe(p.status);
  });
});

describe('movesToRunning', () => {
  it.each([
    ['Pending → Running', 'Running', 'Pending', true],
    ['nothing known → Running', 'Running', undefined, true],
    ['Running → Running', 'Running', 'Running', false],
    ['Pending → Pending', 'Pending', 'Pending', false],
    ['Running → Failed', 'Failed', 'Running', false],
  ])('%s', (_name, next, known, expected) => {
    expect(movesToRunning(next, known)).toBe(expected);
  });
});

describe('statusTargetOf', () => {
  it('names the pod itself at the resourceVersion it was read at', () => {
    expect(statusTargetOf(pod())).toEqual({ namespace: 'ns', name: 'p', uid: 'u1', resourceVersion: '7' });
  });

  it('defaults the namespace', () => {
    expect(statusTargetOf({ metadata: { name: 'p', uid: 'u2' } } as Pod)).toEqual({ namespace: 'default', name: 'p', uid: 'u2', resourceVersion: undefined });
  });
});
