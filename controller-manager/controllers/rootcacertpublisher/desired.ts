/**
 * What upstream's root-ca-cert-publisher keeps in every namespace: ConfigMap `kube-root-ca.crt`
 * holding the cluster CA (`ca.crt`) with a description annotation, and the write that brings an
 * existing ConfigMap back to it. Pure.
 */
import type { ConfigMap } from '../../../pkg/api/core/v1/configmap.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

/** Upstream `RootCACertConfigMapName`. */
export const ROOT_CA_CONFIG_MAP_NAME = 'kube-root-ca.crt';
/** Upstream `DescriptionAnnotation` and `Description`. */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The ConfigMap a namespace lacking one gets. */
export function desiredRootCaConfigMap(caPem: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIG_MAP_NAME, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data: { 'ca.crt': caPem } } as ConfigMap;
}

/**
 * The update that restores `existing` (data exactly `{ca.crt}` and a non-empty description
 * annotation; other metadata kept), or undefined when it already matches (upstream `syncNamespace`).
 */
export function rootCaConfigMapUpdate(existing: Readonly<ConfigMap>, caPem: string): ConfigMap | undefined {
  const data = existing.data ?? {};
  const keys = Object.keys(data);
  const dataMatches = keys.length === 1 && data['ca.crt'] === caPem;
  if (dataMatches && existing.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return undefined;
  const next = copyJson(existing) as ConfigMap;
  next.data = { 'ca.crt': caPem };
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
  return next;
}
