import { describe, expect, it } from 'vitest';
import { renderContainerdConfig } from './config.ts';

describe('renderContainerdConfig', () => {
  it('renders an isolated CRI config with the traps of these machines handled', () => {
    expect(renderContainerdConfig({ dir: '/tmp/n1', sandboxImage: 'k8ts.local/pause:3.9', mirrors: { 'docker.io': ['http://127.0.0.1:5000'] } })).toBe(`version = 2
root = "/tmp/n1/root"
state = "/tmp/n1/state"

[grpc]
  address = "/tmp/n1/containerd.sock"
[ttrpc]
  address = "/tmp/n1/containerd.sock.ttrpc"
[debug]
  address = "/tmp/n1/debug.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "/tmp/n1/opt"
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
  sandbox_image = "k8ts.local/pause:3.9"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/tmp/n1/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
    endpoint = ["http://127.0.0.1:5000"]
`);
  });
});
