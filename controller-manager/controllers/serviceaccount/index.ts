/**
 * The `serviceaccount` controller: every active namespace has a `default` ServiceAccount
 * (recreated if deleted; Terminating namespaces are left alone).
 */
import type { Namespace } from '../../../pkg/api/core/v1/namespace.ts';
import type { ServiceAccount } from '../../../pkg/api/core/v1/serviceaccount.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { isAlreadyExists, isForbidden, isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';

export const serviceAccountController: ControllerDescriptor = {
  name: 'serviceaccount',
  enabledByDefault: true,
  register({ manager }) {
    const namespaces = manager.lister<Namespace>(C.namespaces);
    const accounts = manager.lister<ServiceAccount>(C.serviceAccounts);
    newControllerBuilder(manager, 'serviceaccount')
      .for<Namespace>(C.namespaces)
      .watches<ServiceAccount>(C.serviceAccounts, (sa: DeepReadonly<ServiceAccount>) => (sa.metadata.name === 'default' ? [{ namespace: '', name: sa.metadata.namespace ?? '' }] : []))
      .complete({
        async reconcile(req) {
          const ns = namespaces.get(req.name);
          if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
          if (accounts.get(`${req.name}/default`)) return;
          await manager.client.serviceAccounts
            .inNamespace(req.name)
            .create({ metadata: { name: 'default' } } as ServiceAccount)
            .catch((err) => (isAlreadyExists(err) || isNotFound(err) || isForbidden(err) ? undefined : Promise.reject(err)));
        },
      });
  },
};
