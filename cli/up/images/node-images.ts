/**
 * What one node's containerd gets from the cluster's images: registry mirrors to the local
 * registry (so manifests' `nginx`, `k8s.gcr.io/busybox`, … are pulled from it), the pause
 * archive imported with `ctr` (the sandbox image must be present before any pull), and — for a
 * node with no local registry to pull from (`k8ts join` on another machine) — busybox imported
 * directly under its usual names.
 */
import { importImage } from '../../../kubelet/containerd/images.ts';
import { buildImages, type BuiltImages } from './build.ts';
import { IMAGE_CATALOG } from './catalog.ts';
import { registryMirrors } from './registry.ts';

/** The images side of one node's runtime. */
export interface NodeImages {
  /** containerd registry mirrors (host → endpoints). */
  mirrors: Record<string, string[]>;
  /** OCI archive of the pause image, imported as `k8ts.local/pause:3.9`. */
  pauseArchive: string;
  /** OCI archives (tag `latest`) imported under each base name, `<name>:latest`. */
  preload: Array<{ archive: string; baseNames: string[] }>;
}

/** The base names the busybox archive is imported under when there is no registry. */
export const PRELOADED_BUSYBOX_NAMES = ['docker.io/library/busybox', 'k8s.gcr.io/busybox', 'registry.k8s.io/busybox'];

/**
 * A node's images given what was built: with `registry` (`host:port`), mirrors to it and
 * nothing preloaded; without, no mirrors and busybox preloaded. Pure.
 */
export function nodeImagesFor(built: BuiltImages, registry?: string): NodeImages {
  if (registry) return { mirrors: registryMirrors(registry), pauseArchive: built.pauseArchive, preload: [] };
  const busybox = built.images.find((i) => i.recipe.base === 'busybox')?.source.replace(/^oci-archive:/, '').replace(/:[^:]*$/, '');
  return { mirrors: {}, pauseArchive: built.pauseArchive, preload: busybox ? [{ archive: busybox, baseNames: PRELOADED_BUSYBOX_NAMES }] : [] };
}

/** Builds (or finds in the cache) only what a node without a registry needs: pause and busybox. */
export async function standaloneNodeImages(cacheDir: string): Promise<NodeImages> {
  return nodeImagesFor(await buildImages({ cacheDir, catalog: IMAGE_CATALOG.filter((r) => r.base !== 'debian') }));
}

/** Imports the pause image and any preloaded archive into the containerd at `socket`. */
export async function importNodeImages(socket: string, images: NodeImages): Promise<void> {
  await importImage({ socket, archive: images.pauseArchive, baseName: 'k8ts.local/pause' });
  for (const { archive, baseNames } of images.preload) for (const baseName of baseNames) await importImage({ socket, archive, baseName });
}
