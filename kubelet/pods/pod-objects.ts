/**
 * What a pod's environment and volumes are made of: the ConfigMaps and Secrets it references, the
 * Services its environment variables name, and the downward API's facts — read from the API once
 * per sync ({@link readPodObjects}) and offered to env resolution and volume content as lookups
 * ({@link envSourcesOf}, {@link volumeSourcesOf}).
 */
import type { ConfigMap } from '../../pkg/api/core/v1/configmap.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import type { Client } from '../../pkg/client/index.ts';
import { isNotFound } from '../../pkg/errors/index.ts';
import type { VolumeSources } from '../volumes/content.ts';
import { tokenProjectionKey } from '../volumes/pod-tokens.ts';
import type { EnvSources } from './env.ts';
import { serviceEnvironment, type ServiceForEnv } from './service-env.ts';

/** The ConfigMaps and Secrets one pod references (missing ones absent), and the Services for its environment. */
export interface PodObjects {
  configMaps: Map<string, ConfigMap>;
  secrets: Map<string, Secret>;
  /** For the Service environment variables; empty when no container starts. */
  services: ServiceForEnv[];
}

/** The downward API's pod and node facts. */
export interface DownwardFacts {
  podIP: string;
  podIPs: string[];
  hostIP: string;
  nodeName: string;
  nodeAllocatable: Record<string, string>;
}

/** Names of the ConfigMaps and Secrets a pod references in env, envFrom and volumes. Pure. */
export function referencedObjects(pod: Pod): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap?.name) configMaps.add(src.configMap.name);
      if (src.secret?.name) secrets.add(src.secret.name);
    }
  }
  return { configMaps, secrets };
}

/**
 * Reads the ConfigMaps and Secrets the pod references (a missing one is left out; other read
 * errors reject) and — when containers are to start — the Services their environment names.
 */
export async function readPodObjects(client: Client, pod: Pod, withServices: boolean): Promise<PodObjects> {
  const ns = pod.metadata.namespace ?? 'default';
  const names = referencedObjects(pod);
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const orMissing = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));
  await Promise.all([
    ...[...names.configMaps].map(async (n) => {
      const cm = await client.configMaps.inNamespace(ns).get(n).catch(orMissing);
      if (cm) configMaps.set(n, cm);
    }),
    ...[...names.secrets].map(async (n) => {
      const secret = await client.secrets.inNamespace(ns).get(n).catch(orMissing);
      if (secret) secrets.set(n, secret);
    }),
  ]);
  return { configMaps, secrets, services: withServices ? await environmentServices(client, ns, pod.spec?.enableServiceLinks !== false) : [] };
}

/** `default/kubernetes` and, with service links, the namespace's Services (read errors: none, as a missing Service). */
async function environmentServices(client: Client, namespace: string, links: boolean): Promise<ServiceForEnv[]> {
  const [master, local] = await Promise.all([
    client.services.inNamespace('default').get('kubernetes').catch(() => undefined),
    links ? client.services.inNamespace(namespace).list().then((l) => l.items, () => []) : [],
  ]);
  return [...(master ? [master] : []), ...local] as ServiceForEnv[];
}

const decoded = (data: Record<string, unknown> | undefined): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')]));

/** The lookups env resolution reads (Secret values decoded to text). Pure. */
export function envSourcesOf(pod: Pod, objects: PodObjects, downward: DownwardFacts): EnvSources {
  return {
    configMap: (_ns, name) => objects.configMaps.get(name)?.data ?? (objects.configMaps.has(name) ? {} : undefined),
    secret: (_ns, name) => {
      const s = objects.secrets.get(name);
      return s ? Object.fromEntries(Object.entries(decoded(s.data)).map(([k, v]) => [k, v.toString()])) : undefined;
    },
    ...downward,
    serviceEnv: serviceEnvironment(objects.services, pod.metadata.namespace ?? 'default', pod.spec?.enableServiceLinks !== false),
  };
}

/** The lookups volume content reads (binary data decoded to bytes; tokens as fetched for this sync). Pure. */
export function volumeSourcesOf(objects: PodObjects, downward: DownwardFacts, tokens: ReadonlyMap<string, string | Error>): VolumeSources {
  return {
    serviceAccountToken: (audience, expirationSeconds) => {
      const token = tokens.get(tokenProjectionKey(audience, expirationSeconds));
      if (token instanceof Error) throw token;
      if (token === undefined) throw new Error('failed to fetch token: not requested');
      return token;
    },
    configMap: (_ns, name) => {
      const cm = objects.configMaps.get(name);
      return cm ? { data: cm.data ?? {}, binaryData: decoded(cm.binaryData) } : undefined;
    },
    secret: (_ns, name) => {
      const s = objects.secrets.get(name);
      return s ? decoded(s.data) : undefined;
    },
    ...downward,
  };
}
