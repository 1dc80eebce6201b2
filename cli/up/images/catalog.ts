/**
 * The images `k8ts up` builds and serves from its local registry, under the names manifests use.
 * Each recipe says what the image is built from (the Debian root filesystem, the static busybox,
 * or the project's pause binary), which files it adds (from `files/` next to this module) and its
 * OCI config. Pure data plus lookups; building is `build.ts`, pushing `registry.ts`.
 */
import { formatImageReference, parseImageReference, type ImageReference } from './reference.ts';

/** A file the recipe adds on top of its base. */
export interface RecipeFile {
  /** Absolute path inside the image. */
  path: string;
  /** A file of `files/` copied there. */
  from?: string;
  /** Or a symbolic link with this target. */
  symlink?: string;
  /** Or an (empty) directory. */
  dir?: true;
  /** Mode (default 0644 for files, 0755 for directories). */
  mode?: number;
}

/** The OCI image config fields a recipe sets. */
export interface RecipeConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  exposedPorts?: string[];
  stopSignal?: string;
}

/** One image. */
export interface ImageRecipe {
  /** Short name, unique in the catalog. */
  name: string;
  base: 'debian' | 'busybox' | 'pause';
  /** What it holds, for the README and `k8ts` output. */
  description: string;
  /** References it is pushed under, as manifests write them. */
  references: string[];
  files: RecipeFile[];
  config: RecipeConfig;
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Every image. */
export const IMAGE_CATALOG: readonly ImageRecipe[] = [
  {
    name: 'nginx',
    base: 'debian',
    description: "Debian's nginx (nginx-light) laid out like the official image: /etc/nginx/nginx.conf includes conf.d/*.conf, conf.d/default.conf serves /usr/share/nginx/html (\"Welcome to nginx!\"), logs go to stdout/stderr, `nginx -g 'daemon off;'` on port 80",
    references: ['nginx', 'nginx:1.15.8-alpine', 'nginx:alpine', 'nginx:stable', 'nginx:1.14.2', 'nginx:1.16', 'nginx:1.16.1', 'nginx:1.25', 'nginx:1.27', 'nginx:1'],
    files: [
      { path: '/etc/nginx/nginx.conf', from: 'nginx.conf' },
      { path: '/etc/nginx/conf.d/default.conf', from: 'nginx-default.conf' },
      { path: '/usr/share/nginx/html/index.html', from: 'nginx-index.html' },
      { path: '/usr/share/nginx/html/50x.html', from: 'nginx-50x.html' },
      { path: '/var/log/nginx/access.log', symlink: '/dev/stdout' },
      { path: '/var/log/nginx/error.log', symlink: '/dev/stderr' },
    ],
    config: { cmd: ['nginx', '-g', 'daemon off;'], env: [PATH_ENV], exposedPorts: ['80/tcp'], stopSignal: 'SIGQUIT' },
  },
  {
    name: 'redis',
    base: 'debian',
    description: "Debian's redis-server in the foreground on 0.0.0.0:6379, protected mode off, data in /data; redis-cli included",
    references: ['redis', 'redis:4-alpine3.8', 'redis:alpine', 'redis:6', 'redis:7'],
    files: [{ path: '/data', dir: true }],
    config: { cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--daemonize', 'no', '--dir', '/data'], env: [PATH_ENV], workingDir: '/data', exposedPorts: ['6379/tcp'] },
  },
  {
    name: 'flaskapp',
    base: 'debian',
    description: "The tutorial's Flask app (Debian's python3-flask, python3-redis) on :5000: answers `Hello from <hostname>! I have been seen <n> times.`, the counter kept in redis at host `redis` ($REDIS_HOST)",
    references: ['flaskapp:0.0.2', 'flaskapp'],
    files: [{ path: '/app/app.py', from: 'flaskapp.py' }],
    config: { cmd: ['python3', '/app/app.py'], env: [PATH_ENV, 'PYTHONUNBUFFERED=1'], workingDir: '/app', exposedPorts: ['5000/tcp'] },
  },
  {
    name: 'whoami',
    base: 'debian',
    description: "Stand-in for jwilder/whoami (Python): answers `I'm <hostname>` on :8000",
    references: ['jwilder/whoami'],
    files: [{ path: '/app/whoami.py', from: 'whoami.py' }],
    config: { cmd: ['python3', '/app/whoami.py'], env: [PATH_ENV, 'PYTHONUNBUFFERED=1'], exposedPorts: ['8000/tcp'] },
  },
  {
    name: 'http-echo',
    base: 'debian',
    description: 'Stand-in for hashicorp/http-echo (Python): serves `-text` (default `hello`) on `-listen` (default :5678)',
    references: ['hashicorp/http-echo'],
    files: [{ path: '/http-echo', from: 'http-echo.py', mode: 0o755 }],
    config: { entrypoint: ['python3', '/http-echo'], cmd: ['-text=hello'], env: [PATH_ENV], exposedPorts: ['5678/tcp'] },
  },
  {
    name: 'busybox',
    base: 'busybox',
    description: "Debian's static busybox with every applet linked into /bin (plus a `printenv`), `sh` by default",
    references: ['busybox', 'busybox:1.28', 'busybox:1.36', 'busybox:1.36.1', 'k8s.gcr.io/busybox', 'registry.k8s.io/busybox', 'registry.k8s.io/busybox:1.24', 'registry.k8s.io/busybox:1.27.2', 'registry.k8s.io/busybox:1.36.1'],
    files: [],
    config: { cmd: ['sh'] },
  },
  {
    name: 'pause',
    base: 'pause',
    description: "The project's pause: a static C program (`files/pause.c`) that sleeps, reaps orphans and exits on SIGTERM/SIGINT; also the nodes' sandbox image `k8ts.local/pause:3.9`",
    references: ['registry.k8s.io/pause:3.9', 'k8s.gcr.io/pause:3.9'],
    files: [{ path: '/pause', from: 'pause.c', mode: 0o755 }],
    config: { entrypoint: ['/pause'] },
  },
];

/** The registries whose names the catalog uses (the hosts containerd must mirror to the local registry). */
export const MIRRORED_REGISTRIES = ['docker.io', 'k8s.gcr.io', 'registry.k8s.io', 'quay.io'] as const;

/** The recipe serving `ref` (any spelling: `nginx`, `docker.io/library/nginx:latest`), or undefined. Pure. */
export function findRecipe(ref: string, catalog: readonly ImageRecipe[] = IMAGE_CATALOG): ImageRecipe | undefined {
  let wanted: string;
  try {
    wanted = formatImageReference(parseImageReference(ref));
  } catch {
    return undefined;
  }
  return catalog.find((r) => r.references.some((candidate) => formatImageReference(parseImageReference(candidate)) === wanted));
}

/** Every normalised reference of `recipe`. Pure. */
export function recipeReferences(recipe: ImageRecipe): ImageReference[] {
  return recipe.references.map(parseImageReference);
}
