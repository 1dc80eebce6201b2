/**
 * The objects a pod references that its node may read (upstream node graph edges pod ← secret,
 * configmap, pvc, serviceaccount): volumes (incl. projected sources and the `<pod>-<volume>` claims
 * of generic ephemeral volumes), env / envFrom, image pull secrets, the service account. Pure.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { PodReferenceKind } from './node-authorizer.ts';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Names of each kind the pod references. Pure. */
export function podReferences(pod: KubeObject): Record<PodReferenceKind, Set<string>> {
  const refs: Record<PodReferenceKind, Set<string>> = { secrets: new Set(), configmaps: new Set(), persistentvolumeclaims: new Set(), serviceaccounts: new Set() };
  const spec = ((pod as Loose).spec ?? {}) as Loose;
  const add = (kind: PodReferenceKind, name: unknown) => {
    if (typeof name === 'string' && name) refs[kind].add(name);
  };
  add('serviceaccounts', spec.serviceAccountName ?? spec.serviceAccount);
  for (const s of spec.imagePullSecrets ?? []) add('secrets', s?.name);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])] as Loose[]) {
    for (const f of c.envFrom ?? []) {
      add('secrets', f?.secretRef?.name);
      add('configmaps', f?.configMapRef?.name);
    }
    for (const e of c.env ?? []) {
      add('secrets', e?.valueFrom?.secretKeyRef?.name);
      add('configmaps', e?.valueFrom?.configMapKeyRef?.name);
    }
  }
  for (const v of (spec.volumes ?? []) as Loose[]) {
    add('secrets', v.secret?.secretName);
    add('configmaps', v.configMap?.name);
    add('persistentvolumeclaims', v.persistentVolumeClaim?.claimName);
    if (v.ephemeral) add('persistentvolumeclaims', `${(pod as Loose).metadata?.name ?? ''}-${v.name ?? ''}`);
    for (const s of v.projected?.sources ?? []) {
      add('secrets', s?.secret?.name);
      add('configmaps', s?.configMap?.name);
    }
    for (const [, src] of Object.entries(v)) {
      if (src && typeof src === 'object' && (src as Loose).secretRef?.name) add('secrets', (src as Loose).secretRef.name);
    }
  }
  return refs;
}
