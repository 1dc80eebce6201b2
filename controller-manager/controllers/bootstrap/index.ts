/**
 * The bootstrap-token controllers (off by default, as upstream; `k8ts up` enables them):
 * - `bootstrapsigner` keeps `kube-public/cluster-info` signed: one `jws-kubeconfig-<id>` per
 *   token usable for signing, stale ones removed, re-checked when a token expires;
 * - `tokencleaner` deletes bootstrap-token Secrets whose expiration has passed.
 */
import type { ConfigMap } from '../../../pkg/api/core/v1/configmap.ts';
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import { CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, signedClusterInfoData } from '../../../pkg/bootstrap/cluster-info.ts';
import { computeDetachedSignature } from '../../../pkg/bootstrap/jws.ts';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, readBootstrapTokenSecret } from '../../../pkg/bootstrap/token.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isConflict, isNotFound } from '../../../pkg/errors/index.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type Predicate } from '../../../pkg/runtime/index.ts';
import { jsonEqual } from '../../../pkg/util/json-equal.ts';
import type { ControllerDescriptor } from '../types.ts';
import { signingTokens, tokenCleanup } from './decide.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';

const CLUSTER_INFO = { namespace: CLUSTER_INFO_NAMESPACE, name: CLUSTER_INFO_NAME };
const isTokenSecret = (s: { type?: string; metadata: { namespace?: string } }) => s.type === BOOTSTRAP_TOKEN_SECRET_TYPE && s.metadata.namespace === BOOTSTRAP_TOKEN_NAMESPACE;
const isClusterInfo = (cm: { metadata: { namespace?: string; name?: string } }) => cm.metadata.namespace === CLUSTER_INFO_NAMESPACE && cm.metadata.name === CLUSTER_INFO_NAME;

/** A predicate passing the events of objects `keep` accepts. */
function only<T extends KubeObject>(keep: (obj: DeepReadonly<T>) => boolean): Predicate<T> {
  return { create: keep, update: (_old, obj) => keep(obj), delete: keep };
}

export const bootstrapSignerController: ControllerDescriptor = {
  name: 'bootstrapsigner',
  enabledByDefault: false,
  register({ manager }) {
    const configMaps = manager.lister<ConfigMap>(C.configMaps);
    const secrets = manager.lister<Secret>(C.secrets);
    newControllerBuilder(manager, 'bootstrapsigner')
      .for<ConfigMap>(C.configMaps, { predicates: [only<ConfigMap>(isClusterInfo)] })
      .watches<Secret>(C.secrets, (s) => (isTokenSecret(s) ? [CLUSTER_INFO] : []))
      .withMaxConcurrentReconciles(1)
      .complete({
        async reconcile() {
          const cm = configMaps.get(`${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}`);
          if (!cm) return;
          const now = new Date(manager.clock.now());
          const tokenSecrets = secrets.listInNamespace(BOOTSTRAP_TOKEN_NAMESPACE).filter(isTokenSecret);
          const data = signedClusterInfoData(cm.data ?? {}, signingTokens(tokenSecrets, now), computeDetachedSignature);
          if (!jsonEqual(data, cm.data ?? {})) {
            const next = copyJson(cm) as ConfigMap;
            next.data = data;
            await manager.client.configMaps.inNamespace(CLUSTER_INFO_NAMESPACE).update(next).catch((err) => (isNotFound(err) || isConflict(err) ? undefined : Promise.reject(err)));
          }
          // Signatures of tokens that expire later must go then.
          const expiries = tokenSecrets.map((s) => readBootstrapTokenSecret(s as Secret)?.expiration).filter((e): e is string => !!e).map((e) => Date.parse(e) - now.getTime()).filter((ms) => ms > 0);
          return expiries.length ? { requeueAfterMs: Math.min(...expiries) + 1000 } : undefined;
        },
      });
  },
};

export const tokenCleanerController: ControllerDescriptor = {
  name: 'tokencleaner',
  enabledByDefault: false,
  register({ manager }) {
    const secrets = manager.lister<Secret>(C.secrets);
    const log = manager.log.child({ controller: 'tokencleaner' });
    newControllerBuilder(manager, 'tokencleaner')
      .for<Secret>(C.secrets, { predicates: [only<Secret>(isTokenSecret)] })
      .complete({
        async reconcile(req) {
          const secret = secrets.get(`${req.namespace}/${req.name}`);
          if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
          const verdict = tokenCleanup(secret, new Date(manager.clock.now()));
          if (verdict === 'keep') return;
          if (verdict !== 'delete') return { requeueAfterMs: verdict.inMs + 1000 };
          log.info({ secret: req.name }, 'deleting expired bootstrap token');
          await manager.client.secrets.inNamespace(req.namespace).delete(req.name, { preconditions: { uid: secret.metadata.uid } }).catch((err) => (isNotFound(err) || isConflict(err) ? undefined : Promise.reject(err)));
        },
      });
  },
};
