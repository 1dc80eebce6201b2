import { describe, expect, it } from 'vitest';
import { stopWaves } from './down.ts';

describe('stopWaves', () => {
  it("stops the API server's clients, then the API server, then etcd", () => {
    expect(stopWaves(['etcd', 'apiserver', 'registry', 'containerd-vm', 'controller-manager', 'dns', 'scheduler', 'kubelet-vm', 'proxy-vm'])).toEqual([
      ['registry', 'containerd-vm', 'controller-manager', 'dns', 'scheduler', 'kubelet-vm', 'proxy-vm'],
      ['apiserver'],
      ['etcd'],
    ]);
  });

  it('leaves out empty waves', () => {
    expect(stopWaves(['etcd', 'controller-manager'])).toEqual([['controller-manager'], ['etcd']]);
  });
});
