import { describe, expect, it } from 'vitest';
import { DEBIAN_ROOTFS, rootfsKey } from './rootfs.ts';

describe('root filesystem cache key', () => {
  it.each([
    ['the same spec', DEBIAN_ROOTFS, true],
    ['packages in another order', { ...DEBIAN_ROOTFS, packages: [...DEBIAN_ROOTFS.packages].reverse() }, true],
    ['another mirror', { ...DEBIAN_ROOTFS, mirror: 'http://mirror.example/debian' }, true],
    ['one more package', { ...DEBIAN_ROOTFS, packages: [...DEBIAN_ROOTFS.packages, 'curl'] }, false],
    ['another suite', { ...DEBIAN_ROOTFS, suite: 'trixie' }, false],
  ])('%s → same key: %s', (_name, spec, same) => {
    expect(rootfsKey(spec) === rootfsKey(DEBIAN_ROOTFS)).toBe(same);
  });
});
