/**
 * Static pods (upstream `config/file.go` + mirror pods): manifests in `--pod-manifest-path`
 * run on this node without the API server. Each becomes a pod named `<name>-<node>` whose UID
 * is a hash of the manifest and node, annotated `kubernetes.io/config.source: file` and
 * `kubernetes.io/config.hash`; its mirror pod in the API (same name, annotated
 * `kubernetes.io/config.mirror`, owned by the Node) shows its status to kubectl. Pure apart
 * from reading the directory.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';

/** Whether a pod came from a file or URL rather than the API (upstream `IsStaticPod`). */
export function isStaticPod(pod: { metadata: { annotations?: Record<string, string> } }): boolean {
  const source = pod.metadata.annotations?.[CONFIG_SOURCE];
  return source !== undefined && source !== 'api';
}

/** Whether an API pod is the mirror of a static pod. */
export function isMirrorPod(pod: { metadata: { annotations?: Record<string, string> } }): boolean {
  return Boolean(pod.metadata.annotations?.[CONFIG_MIRROR]);
}

/** The static pod of one manifest, or an error message for a file that is not a Pod. */
export function staticPodFromManifest(text: string, options: { nodeName: string; seen: string }): Pod | string {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1 || docs[0].errors.length) return 'manifest must hold exactly one YAML/JSON document';
  const obj = docs[0].toJS() as Pod | null;
  if (!obj || obj.kind !== 'Pod' || obj.apiVersion !== 'v1' || !obj.metadata?.name) return 'manifest is not a v1 Pod with a name';
  const hash = createHash('sha256').update(options.nodeName).update(text).digest('hex').slice(0, 32);
  const pod = copyJson(obj);
  pod.metadata = {
    ...pod.metadata,
    name: `${obj.metadata.name}-${options.nodeName}`,
    namespace: obj.metadata.namespace || 'default',
    uid: hash,
    annotations: { ...(obj.metadata.annotations ?? {}), [CONFIG_SOURCE]: 'file', [CONFIG_HASH]: hash, [CONFIG_SEEN]: options.seen },
  };
  pod.spec = { ...pod.spec, nodeName: options.nodeName, containers: pod.spec?.containers ?? [] } as Pod['spec'];
  return pod;
}

/** The mirror pod to create in the API for a static pod. */
export function mirrorPodFor(pod: Pod, node: { name: string; uid: string }): Pod {
  const mirror = copyJson(pod);
  delete mirror.status;
  delete (mirror.metadata as { uid?: string }).uid;
  mirror.metadata.annotations = { ...(mirror.metadata.annotations ?? {}), [CONFIG_MIRROR]: pod.metadata.annotations?.[CONFIG_HASH] ?? '' };
  mirror.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }];
  return mirror;
}

/** Reads every `*.yaml`, `*.yml`, `*.json` in `dir`; bad files are reported, not fatal. */
export async function readStaticPods(dir: string, nodeName: string, seen: string): Promise<{ pods: Pod[]; errors: Array<{ file: string; message: string }> }> {
  const pods: Pod[] = [];
  const errors: Array<{ file: string; message: string }> = [];
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.')).sort();
  for (const file of files) {
    const result = staticPodFromManifest(await readFile(join(dir, file), 'utf8'), { nodeName, seen });
    if (typeof result === 'string') errors.push({ file, message: result });
    else pods.push(result);
  }
  return { pods, errors };
}
