/**
 * Builds the catalog's images into the machine-wide cache, once: the Debian root filesystem
 * becomes one shared base layer of an OCI layout (`<cache>/oci/layout`), each Debian recipe a
 * tag `<name>-<key>` adding its files and config on top; busybox and pause are OCI archives of
 * their own. Keys hash the recipe, the files it adds and its base, so a changed recipe is
 * rebuilt and an unchanged one never is. Needs umoci, debootstrap, gcc + libc6-dev (static
 * pause), busybox-static.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, copyFile, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildBusyboxImage } from '../../../kubelet/containerd/images.ts';
import { contentKey, withCacheLock } from './cache.ts';
import { IMAGE_CATALOG, type ImageRecipe, type RecipeConfig } from './catalog.ts';
import { DEBIAN_ROOTFS, ensureRootfs, rootfsKey, type RootfsSpec } from './rootfs.ts';

const run = promisify(execFile);
const FILES_DIR = fileURLToPath(new URL('./files/', import.meta.url));

/** The tag the pause archive carries (imported as `k8ts.local/pause:3.9`). */
export const PAUSE_TAG = '3.9';

/** A built image: where skopeo reads it. */
export interface BuiltImage {
  recipe: ImageRecipe;
  /** A skopeo source, `oci:<layout>:<tag>` or `oci-archive:<tar>:<tag>`. */
  source: string;
  /** Identifies the build (changes whenever the image does). */
  key: string;
}

/** Everything {@link buildImages} made. */
export interface BuiltImages {
  images: BuiltImage[];
  /** OCI archive of the pause image (tag {@link PAUSE_TAG}) for `ctr images import`. */
  pauseArchive: string;
}

/** The build key of a recipe: its fields, the bytes of the files it adds, and its base's key. Pure given the file reader. */
export function recipeKey(recipe: ImageRecipe, baseKey: string, readSource: (name: string) => string | Buffer): string {
  const files = recipe.files.map((f) => ({ ...f, content: f.from ? createHash('sha256').update(readSource(f.from)).digest('hex') : undefined }));
  return contentKey('recipe/v1', recipe.name, recipe.base, files, recipe.config, baseKey);
}

/** `umoci config` flags for `config`. Pure. */
export function umociConfigFlags(config: RecipeConfig): string[] {
  const flags: string[] = ['--clear=config.entrypoint', '--clear=config.cmd'];
  for (const e of config.env ?? []) flags.push('--config.env', e);
  for (const e of config.entrypoint ?? []) flags.push(`--config.entrypoint=${e}`);
  for (const c of config.cmd ?? []) flags.push(`--config.cmd=${c}`);
  if (config.workingDir) flags.push('--config.workingdir', config.workingDir);
  for (const p of config.exposedPorts ?? []) flags.push('--config.exposedports', p);
  if (config.stopSignal) flags.push('--config.stopsignal', config.stopSignal);
  return flags;
}

const readSource = (name: string) => readFileSync(join(FILES_DIR, name));

function layoutTags(layout: string): Set<string> {
  try {
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests?: Array<{ annotations?: Record<string, string> }> };
    return new Set((index.manifests ?? []).map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((t): t is string => Boolean(t)));
  } catch {
    return new Set();
  }
}

/** Writes a recipe's files into `dir` (a staging root inserted at `/`). */
async function stageFiles(recipe: ImageRecipe, dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const f of recipe.files) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    if (f.dir) await mkdir(target, { recursive: true, mode: f.mode ?? 0o755 });
    else if (f.symlink) await symlink(f.symlink, target);
    else if (f.from) {
      await copyFile(join(FILES_DIR, f.from), target);
      await chmod(target, f.mode ?? 0o644);
    }
  }
}

/** The static pause binary compiled from files/pause.c and packed alone at /pause. */
async function buildPauseArchive(work: string, recipe: ImageRecipe, archive: string): Promise<void> {
  const root = join(work, 'root');
  await mkdir(root, { recursive: true, mode: 0o755 });
  await chmod(root, 0o755);
  await run('gcc', ['-static', '-Os', '-s', '-o', join(root, 'pause'), join(FILES_DIR, 'pause.c')]);
  const layout = join(work, 'oci');
  const image = `${layout}:${PAUSE_TAG}`;
  await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', image]);
  await run('umoci', ['insert', '--image', image, join(root, 'pause'), '/pause']);
  await run('umoci', ['config', '--image', image, ...umociConfigFlags(recipe.config)]);
  await run('tar', ['-C', layout, '-cf', `${archive}.tmp`, '.']);
  await rename(`${archive}.tmp`, archive);
}

/** Options of {@link buildImages}. */
export interface BuildImagesOptions {
  cacheDir: string;
  catalog?: readonly ImageRecipe[];
  rootfs?: RootfsSpec;
  /** Called with a line for each thing actually built (not for cache hits). */
  progress?: (line: string) => void;
}

/** Builds whatever of the catalog is not cached yet and returns where every image is. */
export async function buildImages(options: BuildImagesOptions): Promise<BuiltImages> {
  const catalog = options.catalog ?? IMAGE_CATALOG;
  const rootfs = options.rootfs ?? DEBIAN_ROOTFS;
  const dir = join(options.cacheDir, 'oci');
  const layout = join(dir, 'layout');
  const baseTag = `debian-${rootfsKey(rootfs)}`;
  const busyboxStat = statSync('/usr/bin/busybox');
  const busyboxKey = contentKey('busybox/v1', busyboxStat.size, Math.trunc(busyboxStat.mtimeMs));
  const pauseRecipe = catalog.find((r) => r.base === 'pause');
  if (!pauseRecipe) throw new Error('the image catalog has no pause recipe');
  const plan = catalog.map((recipe) => {
    const key = recipeKey(recipe, recipe.base === 'debian' ? baseTag : recipe.base === 'busybox' ? busyboxKey : 'gcc-static', readSource);
    const tag = `${recipe.name}-${key}`;
    const archive = join(dir, `${tag}.tar`);
    const source = recipe.base === 'debian' ? `oci:${layout}:${tag}` : `oci-archive:${archive}:${recipe.base === 'pause' ? PAUSE_TAG : 'latest'}`;
    return { recipe, key, tag, archive, source };
  });
  const missing = () => {
    const tags = layoutTags(layout);
    return plan.filter((p) => (p.recipe.base === 'debian' ? !tags.has(p.tag) : !existsSync(p.archive)));
  };
  if (missing().length) {
    await withCacheLock(dir, 'build', async () => {
      const todo = missing();
      if (todo.some((p) => p.recipe.base === 'debian')) {
        const t0 = Date.now();
        const tarball = await ensureRootfs(options.cacheDir, rootfs);
        if (!existsSync(join(layout, 'index.json'))) await run('umoci', ['init', '--layout', layout]);
        if (!layoutTags(layout).has(baseTag)) {
          await run('umoci', ['new', '--image', `${layout}:${baseTag}`]);
          await run('umoci', ['raw', 'add-layer', '--image', `${layout}:${baseTag}`, tarball]);
          options.progress?.(`Debian ${rootfs.suite} base layer (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        }
      }
      for (const p of todo) {
        const t0 = Date.now();
        const work = await mkdtemp(join(dir, `.build-${p.recipe.name}-`));
        try {
          if (p.recipe.base === 'debian') {
            const stage = join(work, 'root');
            await mkdir(stage);
            await stageFiles(p.recipe, stage);
            await run('umoci', ['insert', '--image', `${layout}:${baseTag}`, '--tag', p.tag, stage, '/']);
            await run('umoci', ['config', '--image', `${layout}:${p.tag}`, ...umociConfigFlags(p.recipe.config)]);
          } else if (p.recipe.base === 'busybox') {
            await buildBusyboxImage({ tag: 'latest', cmd: p.recipe.config.cmd, outputTar: join(work, 'image.tar') });
            await rename(join(work, 'image.tar'), p.archive);
          } else {
            await buildPauseArchive(work, p.recipe, p.archive);
          }
          options.progress?.(`image ${p.recipe.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      }
    });
  }
  const pause = plan.find((p) => p.recipe === pauseRecipe);
  return { images: plan.map(({ recipe, source, key }) => ({ recipe, source, key })), pauseArchive: (pause as (typeof plan)[number]).archive };
}

