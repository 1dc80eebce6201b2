/**
 * The `/scale` subresource (autoscaling/v1 Scale) mapped onto a resource through
 * `ResourceInfo.subresources.scale` paths. Pure.
 */
import type { KubeObject, LabelSelector } from '../../pkg/api/meta.ts';
import type { ScaleSubresource } from '../../pkg/api/resource.ts';
import { copyJson } from '../../pkg/util/json-copy.ts';

function get(obj: unknown, path: string): unknown {
  let node = obj;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function set(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.replace(/^\./, '').split('.');
  let node = obj;
  for (const seg of segs.slice(0, -1)) {
    if (node[seg] === null || typeof node[seg] !== 'object') node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  }
  node[segs[segs.length - 1]] = value;
}

/** A label selector object as its string form (`a=b,c in (d,e)`), as upstream `metav1.FormatLabelSelector`. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '';
}

/** The Scale view of an object. */
export function toScale(obj: KubeObject, mapping: ScaleSubresource): KubeObject {
  const m = obj.metadata;
  const status: Record<string, unknown> = { replicas: Number(get(obj, mapping.statusReplicasPath) ?? 0) };
  if (mapping.labelSelectorPath) {
    const sel = get(obj, mapping.labelSelectorPath);
    if (typeof sel === 'string') status.selector = sel;
    else if (sel && typeof sel === 'object') status.selector = formatLabelSelector(mapping.labelSelectorIsMap ? { matchLabels: sel as Record<string, string> } : (sel as LabelSelector));
  }
  const spec: Record<string, unknown> = {};
  const replicas = get(obj, mapping.specReplicasPath);
  if (replicas !== undefined) spec.replicas = replicas;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec,
    status,
  };
}

/** The object with the Scale's desired replicas written into it. */
export function applyScale(obj: KubeObject, scale: { spec?: { replicas?: number } }, mapping: ScaleSubresource): KubeObject {
  const out = copyJson(obj);
  set(out as Record<string, unknown>, mapping.specReplicasPath, scale.spec?.replicas ?? 0);
  return out;
}
