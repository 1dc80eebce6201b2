/**
 * What each pod volume becomes on the node, decided without touching the disk: a directory
 * (emptyDir, on disk or tmpfs), a host path with its type check, or a set of files
 * (configMap, secret, downwardAPI, projected — incl. service-account tokens) with modes. Missing
 * sources give the kubelet's `MountVolume.SetUp failed …` messages. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { fieldValue, resourceValue, type EnvSources } from '../pods/env.ts';

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** One file of a file-backed volume. */
export interface VolumeFile {
  /** Relative path inside the volume (validated: no `..`, not absolute). */
  path: string;
  content: Buffer;
  mode: number;
}

/** The plan for one volume. */
export type VolumePlan =
  | { kind: 'emptyDir'; name: string; memory: boolean }
  /** A host directory (a pod `hostPath` volume or a claim's hostPath PV); `label` names the PV in errors. */
  | { kind: 'hostPath'; name: string; path: string; type: string; readOnly?: boolean; label?: string }
  /** A claim's `local` PV: the path must exist and be a directory. */
  | { kind: 'local'; name: string; path: string; readOnly: boolean; label: string }
  | { kind: 'files'; name: string; plugin: 'configmap' | 'secret' | 'downward-api' | 'projected'; files: VolumeFile[] }
  | { kind: 'unsupported'; name: string; plugin: string; label?: string };

/** Names of the planned volumes every container must mount read-only (a claim volume's `readOnly`). */
export function readOnlyVolumes(plans: readonly VolumePlan[]): Set<string> {
  return new Set(plans.filter((p) => (p.kind === 'hostPath' || p.kind === 'local') && p.readOnly).map((p) => p.name));
}

/**
 * A volume that cannot be set up now; the message is the kubelet's FailedMount text:
 * `MountVolume.SetUp failed for volume "<volume>" : <message>`, or `message` as is when
 * `verbatim` (texts of other operations, e.g. `MountVolume.NewMounter initialization failed …`).
 */
export class VolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
    verbatim = false,
  ) {
    super(verbatim ? message : `MountVolume.SetUp failed for volume "${volume}" : ${message}`);
  }
}

/** Lookups, as for env (secret data decoded to bytes). */
export interface VolumeSources extends Pick<EnvSources, 'podIP' | 'podIPs' | 'hostIP' | 'nodeName' | 'nodeAllocatable'> {
  configMap(namespace: string, name: string): { data: Readonly<Record<string, string>>; binaryData: Readonly<Record<string, Buffer>> } | undefined;
  secret(namespace: string, name: string): Readonly<Record<string, Buffer>> | undefined;
  /**
   * The pod's token for a projected `serviceAccountToken` source (fetched beforehand through
   * TokenRequest); throws the fetch's error (e.g. `failed to fetch token: …`). Absent: none known.
   */
  serviceAccountToken?(audience: string | undefined, expirationSeconds: number | undefined): string;
}

const DEFAULT_MODE = 0o644;

function safePath(volume: string, path: string): string {
  if (!path || path.startsWith('/') || path.split('/').includes('..')) throw new VolumeError(volume, `invalid path "${path}"`);
  return path;
}

function keyedFiles(volume: string, what: 'configmap' | 'secret', name: string, data: Readonly<Record<string, Buffer>> | undefined, items: ReadonlyArray<{ key: string; path: string; mode?: number }> | undefined, optional: boolean | undefined, mode: number): VolumeFile[] {
  if (!data) {
    if (optional) return [];
    throw new VolumeError(volume, `${what} "${name}" not found`);
  }
  if (!items?.length) return Object.entries(data).map(([key, content]) => ({ path: safePath(volume, key), content, mode }));
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = data[item.key];
    if (content === undefined) {
      if (optional) continue;
      throw new VolumeError(volume, `configmap references non-existent config key: ${item.key}`.replace('configmap', what === 'secret' ? 'secret' : 'configmap'));
    }
    files.push({ path: safePath(volume, item.path), content, mode: item.mode ?? mode });
  }
  return files;
}

function configMapBytes(cm: ReturnType<VolumeSources['configMap']>): Record<string, Buffer> | undefined {
  if (!cm) return undefined;
  return { ...Object.fromEntries(Object.entries(cm.data).map(([k, v]) => [k, Buffer.from(v)])), ...cm.binaryData };
}

function downwardFiles(pod: Pod, volume: string, items: ReadonlyArray<{ path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number }; mode?: number }>, sources: VolumeSources, mode: number): VolumeFile[] {
  return items.map((item) => {
    let text: string;
    if (item.fieldRef) {
      const path = item.fieldRef.fieldPath;
      if (path === 'metadata.labels' || path === 'metadata.annotations') {
        const map = (path === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {};
        text = Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n');
      } else {
        text = fieldValue(pod, path, sources);
      }
    } else if (item.resourceFieldRef) {
      const container = (pod.spec?.containers ?? []).find((c) => c.name === item.resourceFieldRef?.containerName);
      text = resourceValue(pod, container, item.resourceFieldRef, sources);
    } else {
      text = '';
    }
    return { path: safePath(volume, item.path), content: Buffer.from(text), mode: item.mode ?? mode };
  });
}

/**
 * A projected token file. With an fsGroup it is 0600 before the group's read bit is added
 * (0640), so other users of the pod never read it (upstream).
 */
function tokenFile(pod: Pod, volume: string, projection: { audience?: string; expirationSeconds?: number; path?: string }, sources: VolumeSources, mode: number): VolumeFile {
  if (!sources.serviceAccountToken) throw new VolumeError(volume, 'failed to fetch token: no token manager');
  let token: string;
  try {
    token = sources.serviceAccountToken(projection.audience, projection.expirationSeconds);
  } catch (err) {
    throw new VolumeError(volume, (err as Error).message);
  }
  const tokenMode = pod.spec?.securityContext?.fsGroup !== undefined ? 0o600 : mode;
  return { path: safePath(volume, projection.path ?? ''), content: Buffer.from(token), mode: tokenMode };
}

/** Plans one volume of `pod`. Throws {@link VolumeError} when a source is missing. */
export function planVolume(pod: Pod, volume: Volume, sources: VolumeSources): VolumePlan {
  const ns = pod.metadata.namespace ?? 'default';
  const name = volume.name;
  if (volume.emptyDir) return { kind: 'emptyDir', name, memory: volume.emptyDir.medium === 'Memory' };
  if (volume.hostPath) return { kind: 'hostPath', name, path: volume.hostPath.path, type: volume.hostPath.type ?? '' };
  if (volume.configMap) {
    const v = volume.configMap;
    return { kind: 'files', name, plugin: 'configmap', files: keyedFiles(name, 'configmap', v.name ?? '', configMapBytes(sources.configMap(ns, v.name ?? '')), v.items, v.optional, v.defaultMode ?? DEFAULT_MODE) };
  }
  if (volume.secret) {
    const v = volume.secret;
    return { kind: 'files', name, plugin: 'secret', files: keyedFiles(name, 'secret', v.secretName ?? '', sources.secret(ns, v.secretName ?? ''), v.items, v.optional, v.defaultMode ?? DEFAULT_MODE) };
  }
  if (volume.downwardAPI) return { kind: 'files', name, plugin: 'downward-api', files: downwardFiles(pod, name, volume.downwardAPI.items ?? [], sources, volume.downwardAPI.defaultMode ?? DEFAULT_MODE) };
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? DEFAULT_MODE;
    const files: VolumeFile[] = [];
    for (const src of volume.projected.sources ?? []) {
      if (src.configMap) files.push(...keyedFiles(name, 'configmap', src.configMap.name ?? '', configMapBytes(sources.configMap(ns, src.configMap.name ?? '')), src.configMap.items, src.configMap.optional, mode));
      if (src.secret) files.push(...keyedFiles(name, 'secret', src.secret.name ?? '', sources.secret(ns, src.secret.name ?? ''), src.secret.items, src.secret.optional, mode));
      if (src.downwardAPI) files.push(...downwardFiles(pod, name, src.downwardAPI.items ?? [], sources, mode));
      if (src.serviceAccountToken) files.push(tokenFile(pod, name, src.serviceAccountToken, sources, mode));
    }
    return { kind: 'files', name, plugin: 'projected', files };
  }
  const plugin = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
  return { kind: 'unsupported', name, plugin };
}
