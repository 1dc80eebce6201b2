import { describe, expect, it } from 'vitest';
import { parseLddLibraries } from './etcd-image.ts';

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
