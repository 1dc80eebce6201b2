import { describe, expect, it } from 'vitest';
import { compareKubeAwareVersions } from './version-priority.ts';

describe('compareKubeAwareVersions', () => {
  it('orders as upstream: GA, beta, alpha; higher numbers first; other versions last alphabetically', () => {
    const versions = ['foo1', 'v1alpha1', 'v10', 'v1beta1', 'v2beta1', 'v1', 'v11alpha2', 'foo10', 'v2', 'v12alpha1', 'v1beta2', 'v3beta1'];
    expect([...versions].sort(compareKubeAwareVersions)).toEqual(['v10', 'v2', 'v1', 'v3beta1', 'v2beta1', 'v1beta2', 'v1beta1', 'v12alpha1', 'v11alpha2', 'v1alpha1', 'foo1', 'foo10']);
  });
});
