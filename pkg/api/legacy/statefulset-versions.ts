/**
 * What apps/v1beta1 StatefulSets defaulted differently from apps/v1 (upstream
 * pkg/apis/apps/v1beta1 SetDefaults_StatefulSet): `updateStrategy.type` OnDelete instead of
 * RollingUpdate. (The selector and labels from the template are defaulted for every v1beta1
 * workload by workload-versions.ts; apps/v1beta2 defaulted as apps/v1.) Runs before the apps/v1
 * defaults, which fill in the rest.
 */
import type { KubeObject } from '../meta.ts';
import type { LegacyVersion } from './workload-versions.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applies the legacy-only StatefulSet defaults to `obj` (a no-op for other kinds and versions). */
export function applyLegacyStatefulSetDefaults(kind: string, obj: KubeObject, v: LegacyVersion): void {
  if (kind !== 'StatefulSet' || v.group !== 'apps' || v.version !== 'v1beta1') return;
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {});
  if (!strategy.type) strategy.type = 'OnDelete';
}
