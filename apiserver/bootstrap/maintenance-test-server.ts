/**
 * Test support for the maintenance loops: an assembled API server (bootstrap included) over
 * `storage` with a small service range, its loops' periods from `options`.
 */
import { pino } from 'pino';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import type { MemoryStorage } from '../../pkg/storage/memory.ts';
import { assembleApiServer, type AssembleOptions } from '../assemble.ts';
import type { ApiServer } from '../server.ts';

/** Builds the server (not listening; use `app.inject`); the caller closes it. */
export function assembleMaintenanceTestServer(storage: MemoryStorage, options: Partial<AssembleOptions> = {}): Promise<ApiServer> {
  return assembleApiServer({
    storage,
    registry: createBuiltinRegistry(),
    logger: pino({ level: 'silent' }),
    serviceClusterIpRange: '10.96.0.0/24',
    serviceNodePortRange: '30000-32767',
    advertise: { ip: '127.0.0.1', port: 6443 },
    ...options,
  });
}
