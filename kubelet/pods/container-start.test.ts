import { describe, expect, it } from 'vitest';
import { containerTypeOf } from './container-start.ts';

describe('containerTypeOf (the container_type label of container start metrics)', () => {
  it.each([
    ['an app container', { init: false }, 'container'],
    ['an init container', { init: true }, 'init_container'],
    ['an ephemeral container', { init: false, ephemeral: {} }, 'ephemeral_container'],
    ['an ephemeral container with a target', { init: false, ephemeral: { targetContainerName: 'app' } }, 'ephemeral_container'],
  ])('%s', (_name, start, expected) => {
    expect(containerTypeOf(start)).toBe(expected);
  });
});
