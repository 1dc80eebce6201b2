import { describe, expect, it } from 'vitest';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { patchMetaFor, patchMetaKey, splitPatchStrategy } from './patch-meta.ts';

const meta: PatchMeta = {
  'spec.template.spec.containers': { strategy: 'merge', mergeKey: 'name' },
  'spec.template.spec.containers[].ports': { strategy: 'merge', mergeKey: 'containerPort' },
  'spec.template.spec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'spec.strategy': { strategy: 'retainKeys' },
  'metadata.finalizers': { strategy: 'merge' },
  'spec.replaced': { strategy: 'replace' },
};

describe('patchMetaKey', () => {
  it.each<[(string | number)[], string]>([
    [['spec', 'template', 'spec', 'containers'], 'spec.template.spec.containers'],
    [['spec', 'template', 'spec', 'containers', '[]', 'ports'], 'spec.template.spec.containers[].ports'],
    [['spec', 'template', 'spec', 'containers', 0, 'ports'], 'spec.template.spec.containers[].ports'],
    [['spec', 'template', 'spec', 'containers[]', 'ports'], 'spec.template.spec.containers[].ports'],
    [['items', '[]', '[]'], 'items[][]'],
    [[], ''],
  ])('%j → %s', (path, key) => {
    expect(patchMetaKey(path)).toBe(key);
  });
});

describe('patchMetaFor', () => {
  it.each<[(string | number)[], ReturnType<typeof patchMetaFor>]>([
    [['spec', 'template', 'spec', 'containers'], { strategy: 'merge', retainKeys: false, mergeKey: 'name' }],
    [['spec', 'template', 'spec', 'containers', 2, 'ports'], { strategy: 'merge', retainKeys: false, mergeKey: 'containerPort' }],
    [['spec', 'template', 'spec', 'volumes'], { strategy: 'merge', retainKeys: true, mergeKey: 'name' }],
    [['spec', 'strategy'], { strategy: '', retainKeys: true, mergeKey: '' }],
    [['metadata', 'finalizers'], { strategy: 'merge', retainKeys: false, mergeKey: '' }],
    [['spec', 'replaced'], { strategy: 'replace', retainKeys: false, mergeKey: '' }],
    [['spec', 'template', 'spec', 'containers', '[]', 'args'], { strategy: '', retainKeys: false, mergeKey: '' }],
    [['toString'], { strategy: '', retainKeys: false, mergeKey: '' }],
  ])('%j', (path, expected) => {
    expect(patchMetaFor(meta, path)).toEqual(expected);
  });
});

describe('splitPatchStrategy', () => {
  it.each([
    ['merge', { strategy: 'merge', retainKeys: false }],
    ['replace', { strategy: 'replace', retainKeys: false }],
    ['retainKeys', { strategy: '', retainKeys: true }],
    ['merge,retainKeys', { strategy: 'merge', retainKeys: true }],
    ['retainKeys,merge', { strategy: 'merge', retainKeys: true }],
    ['', { strategy: '', retainKeys: false }],
  ])('%s', (tag, expected) => {
    expect(splitPatchStrategy(tag)).toEqual(expected);
  });
});
