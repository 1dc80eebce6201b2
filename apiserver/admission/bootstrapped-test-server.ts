/**
 * Test-only: the HTTP server over `storage` as a fresh cluster has it — bootstrapped objects and
 * the default admission plugins — for admission tests that go through `app.inject()`.
 */
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import { bootstrapCluster } from '../bootstrap/index.ts';
import { createApiServer, storageKey, type ApiServer, type ApiServerOptions } from '../server.ts';
import { defaultAdmissionPlugins } from './defaults.ts';
import { createServiceAllocators } from './service-allocators.ts';

export async function startBootstrappedTestServer(storage: Storage, options: Pick<ApiServerOptions, 'audit'> = {}): Promise<ApiServer> {
  const registry = createBuiltinRegistry();
  const keyFor = (info: { group: string; plural: string; namespaced: boolean }, ns: string | undefined, name: string) => storageKey(info, ns, name);
  const allocators = createServiceAllocators({ storage, keyFor });
  await bootstrapCluster({ storage, registry, keyFor, allocators, apiserverAddress: { ip: '10.0.0.10', port: 6443 } });
  return createApiServer({ storage, registry, admission: [(ctx) => defaultAdmissionPlugins(ctx, { allocators })], audit: options.audit });
}
