/**
 * `kube-system/extension-apiserver-authentication` (upstream's ClientCARegistrationHook): the
 * ConfigMap aggregated API servers read to authenticate requests — `client-ca-file` (the API
 * server's `--client-ca-file`) and, with `--requestheader-client-ca-file`, the front-proxy
 * settings (`requestheader-*`, lists as JSON arrays) — and the `extension-apiserver-authentication-reader`
 * Role that lets them read it. Written by the API server at start (create, or update when it differs;
 * the Role is reconciled like the default RBAC objects).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { configMapResource } from '../../pkg/api/core/v1/configmap.ts';
import { roleResource } from '../../pkg/api/rbac/v1/role.ts';
import type { RequestHeaderSettings } from '../../pkg/auth/request-header.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { ensureRbacObject, type RbacReconcileLog } from '../bootstrap/ensure-rbac-object.ts';
import { storageKey } from '../handlers/objects.ts';

/** The front proxy (request-header authentication) aggregated servers are told to trust: the API server's own. */
export type { RequestHeaderSettings };

export const EXTENSION_AUTH_NAME = 'extension-apiserver-authentication';
export const EXTENSION_AUTH_READER = 'extension-apiserver-authentication-reader';

/** The ConfigMap's data; undefined when there is nothing to publish. Pure. */
export function extensionAuthenticationData(options: { clientCa?: string; requestHeader?: RequestHeaderSettings }): Record<string, string> | undefined {
  const data: Record<string, string> = {};
  if (options.clientCa) data['client-ca-file'] = options.clientCa;
  const rh = options.requestHeader;
  if (rh) {
    data['requestheader-client-ca-file'] = rh.clientCa;
    data['requestheader-allowed-names'] = JSON.stringify(rh.allowedNames);
    data['requestheader-username-headers'] = JSON.stringify(rh.usernameHeaders);
    data['requestheader-group-headers'] = JSON.stringify(rh.groupHeaders);
    data['requestheader-extra-headers-prefix'] = JSON.stringify(rh.extraHeaderPrefixes);
    if (rh.uidHeaders) data['requestheader-uid-headers'] = JSON.stringify(rh.uidHeaders);
  }
  return Object.keys(data).length ? data : undefined;
}

function readerRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: EXTENSION_AUTH_READER, namespace: 'kube-system', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: [EXTENSION_AUTH_NAME] }],
  } as KubeObject;
}

/** Creates or reconciles the reader Role (as the other default RBAC objects) and creates or updates the ConfigMap (when there is data). */
export async function publishExtensionAuthentication(options: { storage: Storage; keyPrefix: string; now: string; data: Record<string, string> | undefined; log: RbacReconcileLog }): Promise<void> {
  const { storage, keyPrefix, now } = options;
  const fresh = (obj: KubeObject): KubeObject => ({ ...obj, metadata: { ...obj.metadata, uid: randomUUID(), creationTimestamp: now } });
  await ensureRbacObject(storage, storageKey(roleResource, 'kube-system', EXTENSION_AUTH_READER, keyPrefix), fresh(readerRole()), options.log);
  const data = options.data;
  if (!data) return;
  const key = storageKey(configMapResource, 'kube-system', EXTENSION_AUTH_NAME, keyPrefix);
  await storage.guaranteedUpdate(key, (current) => {
    if (!current) return fresh({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: EXTENSION_AUTH_NAME, namespace: 'kube-system' }, data } as KubeObject);
    return JSON.stringify((current as { data?: unknown }).data) === JSON.stringify(data) ? current : ({ ...current, data } as KubeObject);
  });
}
