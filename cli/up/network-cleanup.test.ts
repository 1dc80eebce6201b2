import { describe, expect, it } from 'vitest';
import { kubeChainCleanup, splitRule } from './network-cleanup.ts';

describe('kubeChainCleanup', () => {
  it('removes jumps from built-in chains, then flushes and deletes KUBE-* chains, leaving others alone', () => {
    const save = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]',
      ':DOCKER - [0:0]',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A PREROUTING -j DOCKER',
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -j KUBE-SVC-NPX46M4PTMTKRN6Y',
      'COMMIT',
    ].join('\n');
    expect(kubeChainCleanup('nat', save)).toEqual([
      ['-t', 'nat', '-D', 'PREROUTING', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'],
      ['-t', 'nat', '-F', 'KUBE-SERVICES'],
      ['-t', 'nat', '-F', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
      ['-t', 'nat', '-X', 'KUBE-SERVICES'],
      ['-t', 'nat', '-X', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
    ]);
  });

  it('splits quoted arguments', () => {
    expect(splitRule('-m comment --comment "a \\"b\\" c" -j X')).toEqual(['-m', 'comment', '--comment', 'a "b" c', '-j', 'X']);
  });
});
