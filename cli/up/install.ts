/**
 * Installs the Debian packages a cluster needs when some are missing (`apt-get update` once,
 * then `apt-get install -y`), as the README's first command promises on a fresh machine.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Packages `k8ts up` uses. */
export const CLUSTER_PACKAGES = ['etcd-server', 'containerd', 'runc', 'containernetworking-plugins', 'iptables', 'nftables', 'conntrack', 'iproute2', 'umoci', 'busybox-static', 'openssl', 'util-linux', 'docker-registry', 'skopeo', 'debootstrap', 'gcc', 'libc6-dev'] as const;

/** The packages of `wanted` that dpkg does not report installed. */
export async function missingPackages(wanted: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of wanted) {
    const ok = await run('dpkg-query', ['-W', '-f=${Status}', p]).then((r) => r.stdout.includes('install ok installed'), () => false);
    if (!ok) missing.push(p);
  }
  return missing;
}

function apt(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`apt-get ${args.join(' ')} exited with ${code}`))));
  });
}

/** Installs what is missing; returns the installed names. */
export async function ensurePackages(wanted: readonly string[]): Promise<string[]> {
  const missing = await missingPackages(wanted);
  if (!missing.length) return [];
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(' ')}; run as root or install them: apt-get install -y ${missing.join(' ')}`);
  await apt(['update']);
  await apt(['install', '-y', ...missing]);
  return missing;
}
