import { describe, expect, it } from 'vitest';
import { labelsToReconcile } from './node-labels.ts';

describe('labelsToReconcile', () => {
  it.each([
    [undefined, {}],
    [{ 'kubernetes.io/os': 'linux' }, { 'beta.kubernetes.io/os': 'linux' }],
    [{ 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'amd64' }, { 'beta.kubernetes.io/os': 'linux' }],
    [{ 'beta.kubernetes.io/arch': 'arm64' }, {}],
  ])('%j → %j', (labels, want) => expect(labelsToReconcile(labels)).toEqual(want));
});
