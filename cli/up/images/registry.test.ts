import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderContainerdConfig } from '../../../kubelet/containerd/config.ts';
import type { BuiltImage } from './build.ts';
import { IMAGE_CATALOG } from './catalog.ts';
import { nodeImagesFor, PRELOADED_BUSYBOX_NAMES } from './node-images.ts';
import { groupPushesBySource, planPushes, registryMirrors, renderRegistryConfig } from './registry.ts';

const recipe = (name: string) => IMAGE_CATALOG.find((r) => r.name === name)!;

describe('local registry', () => {
  it('renders a distribution config storing under the directory and listening on the address', () => {
    expect(parse(renderRegistryConfig({ storageDir: '/d/registry', address: '10.250.0.1:5000' }))).toMatchObject({
      version: 0.1,
      storage: { filesystem: { rootdirectory: '/d/registry' } },
      http: { addr: '10.250.0.1:5000' },
    });
  });

  it('mirrors docker.io, k8s.gcr.io, registry.k8s.io and quay.io to it over plain http, in the containerd config', () => {
    const mirrors = registryMirrors('127.0.0.1:5000');
    expect(mirrors).toEqual({
      'docker.io': ['http://127.0.0.1:5000'],
      'k8s.gcr.io': ['http://127.0.0.1:5000'],
      'registry.k8s.io': ['http://127.0.0.1:5000'],
      'quay.io': ['http://127.0.0.1:5000'],
    });
    const toml = renderContainerdConfig({ dir: '/n', sandboxImage: 'k8ts.local/pause:3.9', mirrors });
    for (const host of Object.keys(mirrors)) {
      expect(toml).toContain(`  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."${host}"]\n    endpoint = ["http://127.0.0.1:5000"]\n`);
    }
  });

  it.each([
    ['nginx', 'library/nginx:latest'],
    ['nginx', 'library/nginx:1.15.8-alpine'],
    ['redis', 'library/redis:4-alpine3.8'],
    ['flaskapp', 'library/flaskapp:0.0.2'],
    ['whoami', 'jwilder/whoami:latest'],
    ['http-echo', 'hashicorp/http-echo:latest'],
    ['busybox', 'library/busybox:latest'],
    ['busybox', 'busybox:latest'],
    ['pause', 'pause:3.9'],
  ])('pushes %s as %s', (name, destination) => {
    const images: BuiltImage[] = IMAGE_CATALOG.map((r) => ({ recipe: r, source: `oci:/l:${r.name}`, key: r.name }));
    expect(planPushes(images)).toContainEqual({ source: `oci:/l:${name}`, destination, key: name });
  });

  it('pushes a destination once even when two registries name it (k8s.gcr.io and registry.k8s.io busybox)', () => {
    const plan = planPushes([{ recipe: recipe('busybox'), source: 'oci-archive:/b.tar:latest', key: 'k' }]);
    expect(plan.map((p) => p.destination)).toEqual(['library/busybox:latest', 'library/busybox:1.28', 'library/busybox:1.36', 'library/busybox:1.36.1', 'busybox:latest', 'busybox:1.24', 'busybox:1.27.2', 'busybox:1.36.1']);
  });

  it('groups the pushes of one source together, in plan order, so tags of one repository never push at once', () => {
    const images: BuiltImage[] = IMAGE_CATALOG.map((r) => ({ recipe: r, source: `oci:/l:${r.name}`, key: r.name }));
    const plan = planPushes(images);
    const groups = groupPushesBySource(plan);
    expect(groups.flat()).toHaveLength(plan.length);
    for (const group of groups) {
      expect(new Set(group.map((p) => p.source)).size).toBe(1);
      expect(group).toEqual(plan.filter((p) => p.source === group[0]!.source));
    }
    const busybox = groups.find((g) => g[0]!.source === 'oci:/l:busybox')!;
    expect(busybox.map((p) => p.destination)).toEqual(['library/busybox:latest', 'library/busybox:1.28', 'library/busybox:1.36', 'library/busybox:1.36.1', 'busybox:latest', 'busybox:1.24', 'busybox:1.27.2', 'busybox:1.36.1']);
  });
});

describe('node images', () => {
  const built = { pauseArchive: '/c/pause.tar', images: IMAGE_CATALOG.map((r) => ({ recipe: r, source: r.base === 'busybox' ? 'oci-archive:/c/busybox-k.tar:latest' : `oci:/l:${r.name}`, key: r.name })) };

  it('with a registry: mirrors to it, only pause imported', () => {
    expect(nodeImagesFor(built, '10.250.0.1:5000')).toEqual({ mirrors: registryMirrors('10.250.0.1:5000'), pauseArchive: '/c/pause.tar', preload: [] });
  });

  it('without one: no mirrors, busybox preloaded under its usual names', () => {
    expect(nodeImagesFor(built)).toEqual({ mirrors: {}, pauseArchive: '/c/pause.tar', preload: [{ archive: '/c/busybox-k.tar', baseNames: PRELOADED_BUSYBOX_NAMES }] });
  });
});
