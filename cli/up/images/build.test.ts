import { describe, expect, it } from 'vitest';
import { recipeKey, umociConfigFlags } from './build.ts';
import { IMAGE_CATALOG, type ImageRecipe } from './catalog.ts';

const nginx = IMAGE_CATALOG.find((r) => r.name === 'nginx') as ImageRecipe;
const read = (content: string) => () => content;

describe('image build keys', () => {
  it.each([
    ['same inputs', nginx, 'base-a', read('x'), true],
    ['another base layer', nginx, 'base-b', read('x'), false],
    ['a changed file', nginx, 'base-a', read('y'), false],
    ['a changed command', { ...nginx, config: { ...nginx.config, cmd: ['nginx'] } }, 'base-a', read('x'), false],
    ['another reference only', { ...nginx, references: ['nginx:9'] }, 'base-a', read('x'), true],
  ])('%s → key unchanged: %s', (_name, recipe, base, reader, same) => {
    expect(recipeKey(recipe, base, reader) === recipeKey(nginx, 'base-a', read('x'))).toBe(same);
  });
});

describe('umoci config flags', () => {
  it('clears inherited entrypoint and cmd, then sets each field', () => {
    expect(umociConfigFlags({ entrypoint: ['python3', '/http-echo'], cmd: ['-text=hello'], env: ['PATH=/bin'], workingDir: '/app', exposedPorts: ['5678/tcp'], stopSignal: 'SIGQUIT' })).toEqual([
      '--clear=config.entrypoint', '--clear=config.cmd',
      '--config.env', 'PATH=/bin',
      '--config.entrypoint=python3', '--config.entrypoint=/http-echo',
      '--config.cmd=-text=hello',
      '--config.workingdir', '/app',
      '--config.exposedports', '5678/tcp',
      '--config.stopsignal', 'SIGQUIT',
    ]);
  });
});
