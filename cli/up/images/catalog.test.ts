import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../../e2e/harness/fixtures.ts';
import { findRecipe, IMAGE_CATALOG, MIRRORED_REGISTRIES, recipeReferences } from './catalog.ts';

/** `containers[].image` / `initContainers[].image` anywhere in a document. */
function containerImages(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) containerImages(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) for (const c of value) if (typeof c?.image === 'string') out.push(c.image);
      containerImages(value, out);
    }
  }
  return out;
}

/** The seed manifests users apply (invalid/ holds the ones the API server must refuse). */
function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'invalid' ? [] : fixtureFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const fixtureImages = [...new Set(fixtureFiles(fixturesDir).flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).flatMap((d) => containerImages(d.toJS()))))].sort();

describe('image catalog', () => {
  it('finds images in the fixtures', () => {
    expect(fixtureImages).toEqual(expect.arrayContaining(['nginx', 'nginx:1.15.8-alpine', 'redis:4-alpine3.8', 'flaskapp:0.0.2', 'jwilder/whoami', 'hashicorp/http-echo', 'k8s.gcr.io/busybox']));
  });

  it.each(fixtureImages)('fixture image %s has a recipe', (image) => {
    expect(findRecipe(image)?.name).toBeDefined();
  });

  it.each([
    ['nginx', 'nginx'],
    ['docker.io/library/nginx:1.15.8-alpine', 'nginx'],
    ['redis:4-alpine3.8', 'redis'],
    ['flaskapp:0.0.2', 'flaskapp'],
    ['jwilder/whoami:latest', 'whoami'],
    ['registry.k8s.io/busybox', 'busybox'],
    // The Kubernetes documentation's examples (probes, env from ConfigMaps, the downward API, Deployments).
    ['registry.k8s.io/busybox:1.27.2', 'busybox'],
    ['registry.k8s.io/busybox:1.24', 'busybox'],
    ['nginx:1.16.1', 'nginx'],
    ['busybox:latest', 'busybox'],
    ['registry.k8s.io/pause:3.9', 'pause'],
    ['nginx:9.9', undefined],
    ['wordpress:4.8.1', undefined],
    ['not a reference', undefined],
  ])('%s → %s', (ref, want) => {
    expect(findRecipe(ref)?.name).toBe(want);
  });

  it('maps every registry path:tag to one recipe (all mirrored registries share one local registry)', () => {
    const owner = new Map<string, string>();
    for (const recipe of IMAGE_CATALOG) {
      for (const ref of recipeReferences(recipe)) {
        expect(MIRRORED_REGISTRIES).toContain(ref.domain);
        const key = `${ref.path}:${ref.tag}`;
        expect(owner.get(key) ?? recipe.name, key).toBe(recipe.name);
        owner.set(key, recipe.name);
      }
    }
  });

  it('names files that exist and unique recipes', () => {
    const files = fileURLToPath(new URL('./files/', import.meta.url));
    for (const recipe of IMAGE_CATALOG) for (const f of recipe.files) if (f.from) expect(existsSync(join(files, f.from)), f.from).toBe(true);
    expect(new Set(IMAGE_CATALOG.map((r) => r.name)).size).toBe(IMAGE_CATALOG.length);
  });
});
