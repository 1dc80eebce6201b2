import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../../pkg/api/registry.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { resourcePrefixFinder } from './watch-cache.ts';

function resource(group: string, plural: string): ResourceInfo {
  return { group, version: 'v1', plural, namespaced: true } as ResourceInfo;
}

describe('resourcePrefixFinder', () => {
  it('finds the resource prefix of keys and list prefixes, following registry changes', () => {
    const registry = new ResourceRegistry();
    registry.register(resource('', 'configmaps'));
    const find = resourcePrefixFinder(registry, '/registry');
    expect(find('/registry/configmaps/ns/a')).toBe('/registry/configmaps/');
    expect(find('/registry/configmaps/ns/')).toBe('/registry/configmaps/');
    expect(find('/registry/example.com/widgets/ns/a')).toBeUndefined();
    registry.register(resource('example.com', 'widgets'));
    expect(find('/registry/example.com/widgets/ns/a')).toBe('/registry/example.com/widgets/');
    registry.unregister('example.com', 'v1', 'widgets');
    expect(find('/registry/example.com/widgets/ns/a')).toBeUndefined();
    expect(find('/other/configmaps/ns/a')).toBeUndefined();
  });
});
