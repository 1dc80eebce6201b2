/**
 * The `root-ca-cert-publisher` controller (upstream pkg/controller/certificates/rootcacertpublisher):
 * every namespace that is not terminating holds ConfigMap `kube-root-ca.crt` with the cluster CA
 * of `--root-ca-file` (else the CA the controller-manager's own kubeconfig trusts — empty for a
 * plain-HTTP server, as upstream publishes its client's empty CA data), so pods'
 * projected `kube-api-access-*` volumes find `ca.crt`. A deleted ConfigMap is recreated, an
 * edited one restored ({@link rootCaConfigMapUpdate}).
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { ConfigMap } from '../../../pkg/api/core/v1/configmap.ts';
import type { Namespace } from '../../../pkg/api/core/v1/namespace.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isConflict, isForbidden, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { desiredRootCaConfigMap, ROOT_CA_CONFIG_MAP_NAME, rootCaConfigMapUpdate } from './desired.ts';

/** Reads and checks a PEM CA bundle (upstream `readCA`): throws `error parsing root-ca-file at …`. */
export function readRootCa(file: string): string {
  try {
    const pem = readFileSync(file, 'utf8');
    new X509Certificate(pem); // eslint-disable-line no-new -- parses the first certificate, throws on garbage
    return pem;
  } catch (err) {
    throw new Error(`error parsing root-ca-file at ${file}: ${(err as Error).message}`);
  }
}

const ignoreGone = (err: unknown) => (isNotFound(err) || isForbidden(err) || isAlreadyExists(err) || isConflict(err) ? undefined : Promise.reject(err));

export const rootCaCertPublisherController: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  enabledByDefault: true,
  register({ manager, settings }) {
    const log = manager.log.child({ controller: 'root-ca-cert-publisher' });
    const caPem = settings.rootCaFile ? readRootCa(settings.rootCaFile) : (manager.client.connection.ca?.toString('utf8') ?? '');
    if (!caPem) log.warn('root-ca-cert-publisher: no --root-ca-file and no CA in the kubeconfig; kube-root-ca.crt gets an empty ca.crt');
    const namespaces = manager.lister<Namespace>(C.namespaces);
    const configMaps = manager.lister<ConfigMap>(C.configMaps);
    newControllerBuilder(manager, 'root-ca-cert-publisher')
      .for<Namespace>(C.namespaces)
      .watches<ConfigMap>(C.configMaps, (cm: DeepReadonly<ConfigMap>) => (cm.metadata.name === ROOT_CA_CONFIG_MAP_NAME ? [{ namespace: '', name: cm.metadata.namespace ?? '' }] : []))
      .complete({
        async reconcile(req) {
          const ns = namespaces.get(req.name);
          if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
          const client = manager.client.configMaps.inNamespace(req.name);
          const existing = configMaps.get(`${req.name}/${ROOT_CA_CONFIG_MAP_NAME}`) as ConfigMap | undefined;
          if (!existing) {
            // A create into a namespace that is going away is not retried (upstream).
            await client.create(desiredRootCaConfigMap(caPem)).catch(ignoreGone);
            return;
          }
          const update = rootCaConfigMapUpdate(existing, caPem);
          if (update) await client.update(update).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
        },
      });
  },
};
