/**
 * kubeconfig loading as kubectl does it: `KUBECONFIG` (several files, first one to set a
 * value wins), else `~/.kube/config`; relative file paths resolve against the file that
 * names them; the chosen context yields a {@link Connection}.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../util/user-error.ts';

const ClusterSchema = z.object({
  server: z.string().optional(),
  'certificate-authority': z.string().optional(),
  'certificate-authority-data': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
  'tls-server-name': z.string().optional(),
});

const UserSchema = z.object({
  'client-certificate': z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-key': z.string().optional(),
  'client-key-data': z.string().optional(),
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

const ContextSchema = z.object({
  cluster: z.string().optional(),
  user: z.string().optional(),
  namespace: z.string().optional(),
});


/** One kubeconfig file's content (unknown keys ignored, as kubectl tolerates them). */
export const KubeConfigFileSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  clusters: z.array(z.object({ name: z.string(), cluster: ClusterSchema.nullish() })).nullish(),
  users: z.array(z.object({ name: z.string(), user: UserSchema.nullish() })).nullish(),
  contexts: z.array(z.object({ name: z.string(), context: ContextSchema.nullish() })).nullish(),
  'current-context': z.string().nullish(),
});

export type KubeCluster = z.infer<typeof ClusterSchema>;
export type KubeUser = z.infer<typeof UserSchema>;
export type KubeContext = z.infer<typeof ContextSchema>;

/** A merged kubeconfig: named entries (file paths already absolute) and the current context. */
export interface KubeConfig {
  clusters: Record<string, KubeCluster>;
  users: Record<string, KubeUser>;
  contexts: Record<string, KubeContext>;
  currentContext?: string;
}

/**
 * Everything needed to reach one API server, resolved from a kubeconfig context.
 * PEM material is loaded (from `*-data` base64 or from files); `token` is static and
 * `tokenFile` is re-read by the REST client.
 */
export interface Connection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
  /** The context's namespace, or `default`. */
  namespace: string;
}

/** A kubeconfig problem (unreadable file, bad YAML, missing context …); message says what. */
export class KubeConfigError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeConfigError';
  }
}

const FILE_FIELDS = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
} as const;

function absolutize<T extends Record<string, unknown>>(entry: T, fields: readonly string[], baseDir: string): T {
  const out: Record<string, unknown> = { ...entry };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) out[f] = resolve(baseDir, v);
  }
  return out as T;
}

/** Parses one kubeconfig document; relative paths become absolute against `path`'s folder. */
export function parseKubeConfig(text: string, path = join(process.cwd(), 'kubeconfig')): KubeConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new KubeConfigError(`error loading config file "${path}": ${(err as Error).message}`, { cause: err });
  }
  const parsed = KubeConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new KubeConfigError(`error loading config file "${path}": ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const baseDir = dirname(path);
  const config: KubeConfig = { clusters: {}, users: {}, contexts: {}, currentContext: parsed.data['current-context'] || undefined };
  for (const c of parsed.data.clusters ?? []) if (!(c.name in config.clusters)) config.clusters[c.name] = absolutize(c.cluster ?? {}, FILE_FIELDS.cluster, baseDir);
  for (const u of parsed.data.users ?? []) if (!(u.name in config.users)) config.users[u.name] = absolutize(u.user ?? {}, FILE_FIELDS.user, baseDir);
  for (const x of parsed.data.contexts ?? []) if (!(x.name in config.contexts)) config.contexts[x.name] = x.context ?? {};
  return config;
}

/** kubectl's merge: for every named entry and for current-context, the first file to set it wins. */
export function mergeKubeConfigs(configs: readonly KubeConfig[]): KubeConfig {
  const merged: KubeConfig = { clusters: {}, users: {}, contexts: {} };
  for (const c of configs) {
    merged.clusters = { ...c.clusters, ...merged.clusters };
    merged.users = { ...c.users, ...merged.users };
    merged.contexts = { ...c.contexts, ...merged.contexts };
    merged.currentContext ??= c.currentContext;
  }
  return merged;
}

export interface LoadKubeConfigOptions {
  /** An explicit file (like `--kubeconfig`): must exist; overrides `KUBECONFIG`. */
  path?: string;
  /** Environment to read `KUBECONFIG` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Home directory for the `~/.kube/config` default (default `os.homedir()`). */
  homeDir?: string;
}

function readConfigFile(path: string, mustExist: boolean): KubeConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!mustExist && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KubeConfigError(`error loading config file "${path}": ${(err as Error).message}`, { cause: err });
  }
  return parseKubeConfig(text, path);
}

/**
 * Loads the kubeconfig kubectl would use: `path`, else every file of `KUBECONFIG` (missing
 * ones skipped) merged first-wins, else `~/.kube/config` (an empty config when absent).
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  if (options.path) return readConfigFile(resolve(options.path), true)!;
  const env = options.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (list.length > 0) {
    const seen = new Set<string>();
    const files: KubeConfig[] = [];
    for (const p of list) {
      const abs = resolve(p);
      if (seen.has(abs)) continue;
      seen.add(abs);
      const c = readConfigFile(abs, false);
      if (c) files.push(c);
    }
    return mergeKubeConfigs(files);
  }
  const home = options.homeDir ?? homedir();
  return readConfigFile(join(home, '.kube', 'config'), false) ?? { clusters: {}, users: {}, contexts: {} };
}

function pem(data: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new KubeConfigError(`unable to read ${what} from "${file}": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Resolves a context (default: current-context) to a {@link Connection}. Throws
 * {@link KubeConfigError} for a missing context/cluster or a cluster without `server`.
 */
export function connectionFor(config: KubeConfig, contextName?: string): Connection {
  const name = contextName ?? config.currentContext;
  if (!name) throw new KubeConfigError('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
  const context = config.contexts[name];
  if (!context) throw new KubeConfigError(`context "${name}" does not exist`);
  const cluster = context.cluster !== undefined ? config.clusters[context.cluster] : undefined;
  if (!cluster) throw new KubeConfigError(`invalid configuration: context "${name}" references cluster "${context.cluster ?? ''}" which does not exist`);
  if (!cluster.server) throw new KubeConfigError(`invalid configuration: no server found for cluster "${context.cluster}"`);
  const user = (context.user !== undefined ? config.users[context.user] : undefined) ?? {};
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority'),
    cert: pem(user['client-certificate-data'], user['client-certificate'], 'client-certificate'),
    key: pem(user['client-key-data'], user['client-key'], 'client-key'),
    token: user.token || undefined,
    tokenFile: user.tokenFile || undefined,
    username: user.username,
    password: user.password,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] ?? false,
    tlsServerName: cluster['tls-server-name'],
    namespace: context.namespace || 'default',
  };
}
