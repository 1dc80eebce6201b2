/**
 * A containerd 1.6 configuration for one k8ts node: its own root, state and sockets (so several
 * nodes and tests never collide), the CRI plugin with `restrict_oom_score_adj` (these machines
 * lack CAP_SYS_RESOURCE), the project's pause image, runc v2, CNI from the Debian plugin
 * directory, and optional registry mirrors (plain-HTTP local registry). Pure.
 */

/** What differs between nodes. */
export interface ContainerdConfigOptions {
  /** Root of everything this containerd writes: `root/`, `state/`, `opt/`, sockets. */
  dir: string;
  /** The sandbox (pause) image; must already be present. */
  sandboxImage: string;
  /** CNI binaries (default `/usr/lib/cni`). */
  cniBinDir?: string;
  /** CNI config directory (default `<dir>/cni`). */
  cniConfDir?: string;
  /** registry host → endpoints, e.g. `{ 'docker.io': ['http://127.0.0.1:5000'] }`. */
  mirrors?: Readonly<Record<string, readonly string[]>>;
}

/** The socket paths of a containerd rendered for `dir`. */
export function containerdSocket(dir: string): string {
  return `${dir}/containerd.sock`;
}

const q = (s: string) => JSON.stringify(s);

/** The config.toml text. */
export function renderContainerdConfig(options: ContainerdConfigOptions): string {
  const { dir } = options;
  const lines = [
    'version = 2',
    `root = ${q(`${dir}/root`)}`,
    `state = ${q(`${dir}/state`)}`,
    '',
    '[grpc]',
    `  address = ${q(containerdSocket(dir))}`,
    '[ttrpc]',
    `  address = ${q(`${containerdSocket(dir)}.ttrpc`)}`,
    '[debug]',
    `  address = ${q(`${dir}/debug.sock`)}`,
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(`${dir}/opt`)}`,
    '[plugins."io.containerd.grpc.v1.cri"]',
    '  restrict_oom_score_adj = true',
    `  sandbox_image = ${q(options.sandboxImage)}`,
    '  [plugins."io.containerd.grpc.v1.cri".cni]',
    `    bin_dir = ${q(options.cniBinDir ?? '/usr/lib/cni')}`,
    `    conf_dir = ${q(options.cniConfDir ?? `${dir}/cni`)}`,
    '  [plugins."io.containerd.grpc.v1.cri".containerd]',
    '    default_runtime_name = "runc"',
    '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '      runtime_type = "io.containerd.runc.v2"',
  ];
  for (const [host, endpoints] of Object.entries(options.mirrors ?? {})) {
    lines.push(`  [plugins."io.containerd.grpc.v1.cri".registry.mirrors.${q(host)}]`, `    endpoint = [${endpoints.map(q).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
