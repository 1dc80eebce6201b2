/** For API server tests that also run real kubectl: a whole server on a loopback port and a kubeconfig for it. */
import { join } from 'node:path';
import pino from 'pino';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { writeKubeconfig } from '../../pkg/client/write-kubeconfig.ts';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { assembleApiServer } from '../assemble.ts';
import type { ApiServer } from '../server.ts';

/**
 * `assembleApiServer` as `k8ts apiserver` assembles it (admission, defaults, built-in kinds) on
 * memory storage, listening on 127.0.0.1, with `<dir>/kubeconfig` pointing at it. The caller
 * closes the server and removes `dir`.
 */
export async function startKubectlTestServer(dir: string): Promise<{ server: ApiServer; kubeconfig: string }> {
  const server = await assembleApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), logger: pino({ level: 'silent' }), serviceClusterIpRange: '10.96.0.0/24', serviceNodePortRange: '30000-32767', advertise: { ip: '127.0.0.1', port: 6443 } });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, kubeconfig: writeKubeconfig({ server: url, path: join(dir, 'kubeconfig') }) };
}
