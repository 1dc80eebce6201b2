import { describe, expect, it } from 'vitest';
import { aptFilesToCopy, missingLibraries } from './fresh-machine-image.ts';

describe('aptFilesToCopy', () => {
  it.each([
    { name: 'sources and settings', d: ['debian.sources', 'extra.list'], conf: ['70debconf', '99artifact-registry'], want: ['apt.conf.d/70debconf', 'apt.conf.d/99artifact-registry', 'sources.list.d/debian.sources', 'sources.list.d/extra.list'] },
    { name: 'disabled sources are not sources', d: ['nodesource.sources.disabled-by-farm', 'x.list.save'], conf: [], want: [] },
    { name: 'the docker-clean hook stays behind', d: [], conf: ['docker-clean', 'docker-gzip-indexes'], want: ['apt.conf.d/docker-gzip-indexes'] },
  ])('$name', ({ d, conf, want }) => {
    expect(aptFilesToCopy(d, conf)).toEqual(want);
  });
});

describe('missingLibraries', () => {
  it.each([
    { name: 'all found', out: '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x1)\n\t/lib64/ld-linux-x86-64.so.2 (0x2)\n', want: [] },
    { name: 'missing ones named', out: '\tlibstdc++.so.6 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n\tlibuv.so.1 => not found\n', want: ['libstdc++.so.6', 'libuv.so.1'] },
  ])('$name', ({ out, want }) => {
    expect(missingLibraries(out)).toEqual(want);
  });
});
