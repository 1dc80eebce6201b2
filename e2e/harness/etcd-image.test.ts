import { describe, expect, it } from 'vitest';
import { fileSetKey, parseLddLibraries } from './etcd-image.ts';

describe('parseLddLibraries', () => {
  it.each([
    {
      case: 'dynamically linked Go binary',
      out: '\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f31)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f31)\n',
      libs: ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'],
    },
    { case: 'static binary', out: '\tnot a dynamic executable\n', libs: [] },
    { case: 'duplicates once', out: 'a.so => /lib/a.so (0x1)\nb => /lib/a.so (0x2)\n', libs: ['/lib/a.so'] },
  ])('$case', ({ out, libs }) => {
    expect(parseLddLibraries(out)).toEqual(libs);
  });
});

describe('fileSetKey', () => {
  const files = [
    { path: '/usr/bin/etcd', size: 10, mtimeMs: 1000.4 },
    { path: '/lib/libc.so.6', size: 20, mtimeMs: 2000 },
  ];
  it('ignores order and sub-millisecond noise', () => {
    expect(fileSetKey([...files].reverse())).toBe(fileSetKey([{ ...files[0]!, mtimeMs: 1000.9 }, files[1]!]));
  });
  it.each([
    { case: 'size', change: { size: 11 } },
    { case: 'mtime', change: { mtimeMs: 1001 } },
    { case: 'path', change: { path: '/usr/bin/etcd2' } },
  ])('changes with the $case', ({ change }) => {
    expect(fileSetKey([{ ...files[0]!, ...change }, files[1]!])).not.toBe(fileSetKey(files));
  });
});
