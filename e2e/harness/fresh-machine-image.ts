/**
 * A "fresh machine" as a container image, for tests proving that `k8ts join` needs nothing
 * installed by hand: Debian bookworm `debootstrap --variant=minbase` (the machine cache's
 * root filesystem builder, nothing included), this machine's apt sources and apt settings (the
 * only archive these machines reach; no credentials), Node 20 and npm (the host's `/usr/bin/node`
 * — bookworm's own libc/libstdc++ satisfy it, checked with `ldd` in the tree — and the host's
 * npm package, with the machine's CA bundle and `cafile` npmrc — the registry is reached through
 * a TLS proxy here), and the project's dependencies installed by `npm ci --ignore-scripts` run
 * inside that tree (chroot) from the npm registry. Nothing else: no containerd, runc, CNI
 * plugins, iptables, … — `k8ts join` has to install them with apt-get.
 *
 * The result is one rootfs tarball in the machine cache (`test-images/fresh-machine-<key>.tar`),
 * keyed by the root filesystem, the node binary, the npm version and package(-lock).json, so it
 * is built once per dependency change (npm ci under load takes minutes) and `podman import`ed
 * per run. The checkout itself (`git archive HEAD`) is copied in by the test, not baked in.
 *
 * Needs debootstrap, util-linux (unshare, mount) and tar (scripts/install-deps.sh).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { contentKey, imageCacheDir, withCacheLock } from '../../cli/up/images/cache.ts';
import { ensureRootfs, rootfsKey, type RootfsSpec } from '../../cli/up/images/rootfs.ts';
import { repoRoot } from './processes.ts';

const run = promisify(execFile);

/** minbase and nothing else (`apt` is part of minbase: the rootfs builder needs a non-empty --include). */
export const FRESH_MACHINE_ROOTFS: RootfsSpec = { suite: 'bookworm', packages: ['apt'] };
const NODE_BINARY = '/usr/bin/node';
const NPM_PACKAGE = '/usr/lib/node_modules/npm';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** Where the checkout lives inside the image. */
export const FRESH_MACHINE_CHECKOUT = '/opt/k8ts';

/**
 * Which files of the host's /etc/apt a fresh machine gets: sources and apt.conf.d settings,
 * never `auth.conf.d` (credentials) nor the docker-clean hook (it would delete every
 * downloaded package, defeating the test's archive cache). Pure.
 */
export function aptFilesToCopy(sourcesListD: string[], aptConfD: string[]): string[] {
  return [
    ...sourcesListD.filter((n) => n.endsWith('.sources') || n.endsWith('.list')).map((n) => `sources.list.d/${n}`),
    ...aptConfD.filter((n) => !/docker-clean/.test(n)).map((n) => `apt.conf.d/${n}`),
  ].sort();
}

/** Libraries `ldd` (run inside `root`) reports missing (`=> not found`); pure. */
export function missingLibraries(lddOutput: string): string[] {
  return lddOutput.split('\n').flatMap((line) => {
    const m = /^\s*(\S+)\s+=>\s+not found/.exec(line);
    return m ? [m[1]!] : [];
  });
}

/** The path of the cached fresh-machine rootfs tarball, building it first when missing. */
export async function ensureFreshMachineTarball(log: (line: string) => void = () => undefined): Promise<string> {
  const cacheDir = imageCacheDir();
  const lock = createHash('sha256').update(readFileSync(join(repoRoot, 'package.json'))).update(readFileSync(join(repoRoot, 'package-lock.json'))).digest('hex');
  const npmVersion = (JSON.parse(readFileSync(join(NPM_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  const node = statSync(NODE_BINARY);
  const key = contentKey('fresh-machine/v2', rootfsKey(FRESH_MACHINE_ROOTFS), node.size, Math.trunc(node.mtimeMs), npmVersion, lock);
  const dir = join(cacheDir, 'test-images');
  const tarball = join(dir, `fresh-machine-${key}.tar`);
  if (existsSync(tarball)) return tarball;
  return withCacheLock(dir, `fresh-machine-${key}`, async () => {
    if (existsSync(tarball)) return tarball;
    log('building the Debian minbase root filesystem (cached)');
    const rootfs = await ensureRootfs(cacheDir, FRESH_MACHINE_ROOTFS);
    const work = join(dir, `.fresh-machine-build-${process.pid}`);
    const root = join(work, 'root');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    try {
      await run('tar', ['--numeric-owner', '-C', root, '-xf', rootfs]);
      copyFileSync(NODE_BINARY, join(root, 'usr/bin/node'));
      cpSync(NPM_PACKAGE, join(root, NPM_PACKAGE), { recursive: true, dereference: false, verbatimSymlinks: true });
      symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/bin/npm'));
      symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/bin/npx'));
      copyAptConfig(root);
      copyFileSync('/etc/resolv.conf', join(root, 'etc/resolv.conf'));
      // The registry is reached through this network's TLS proxy: the machine's CA bundle, as npm here uses it.
      mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true });
      copyFileSync(CA_BUNDLE, join(root, CA_BUNDLE));
      writeFileSync(join(root, 'etc/npmrc'), `cafile=${CA_BUNDLE}\n`);
      const app = join(root, FRESH_MACHINE_CHECKOUT);
      mkdirSync(app, { recursive: true });
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(repoRoot, f), join(app, f));
      mkdirSync(join(root, 'dev'), { recursive: true });
      const missing = missingLibraries((await inChroot(root, 'ldd /usr/bin/node')).stdout);
      if (missing.length) throw new Error(`/usr/bin/node in the minbase tree lacks ${missing.join(', ')}`);
      log('npm ci inside the fresh root filesystem (once per package-lock.json)');
      await inChroot(root, `cd ${FRESH_MACHINE_CHECKOUT} && npm ci --ignore-scripts --no-audit --no-fund --cache /tmp/npm-cache && rm -rf /tmp/npm-cache /root/.npm`);
      await run('tar', ['--numeric-owner', '-C', root, '-cf', `${tarball}.tmp`, '.']);
      renameSync(`${tarball}.tmp`, tarball);
      return tarball;
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(`${tarball}.tmp`, { force: true });
    }
  });
}

/** The host's apt sources and settings (see {@link aptFilesToCopy}); the tree's own sources.list is replaced. */
function copyAptConfig(root: string): void {
  const ls = (d: string) => (existsSync(d) ? readdirSync(d) : []);
  const files = aptFilesToCopy(ls('/etc/apt/sources.list.d'), ls('/etc/apt/apt.conf.d'));
  if (files.some((f) => f.startsWith('sources.list.d/'))) rmSync(join(root, 'etc/apt/sources.list'), { force: true });
  if (existsSync('/etc/apt/sources.list')) copyFileSync('/etc/apt/sources.list', join(root, 'etc/apt/sources.list'));
  for (const f of files) {
    mkdirSync(join(root, 'etc/apt', f, '..'), { recursive: true });
    copyFileSync(join('/etc/apt', f), join(root, 'etc/apt', f));
  }
  // Keyrings named by Signed-By in the sources.
  for (const d of ['/etc/apt/keyrings', '/etc/apt/trusted.gpg.d']) if (existsSync(d)) cpSync(d, join(root, d), { recursive: true });
}

/** Runs `script` with sh inside `root` (private mount namespace holding /dev and /proc, gone afterwards). */
function inChroot(root: string, script: string): Promise<{ stdout: string; stderr: string }> {
  const setup = `mount --rbind /dev '${root}/dev' && mount -t proc proc '${root}/proc' && exec chroot '${root}' /bin/sh -c "$1"`;
  return run('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', setup, 'sh', script], { maxBuffer: 64 << 20, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', NODE_EXTRA_CA_CERTS: CA_BUNDLE } }).catch((err: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`in the fresh root filesystem: ${script}: ${(err.stderr || err.stdout || err.message).trim().split('\n').slice(-8).join('\n')}`);
  });
}
