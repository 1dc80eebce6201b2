/**
 * Runs the Website operator against a cluster:
 *
 * ```sh
 * npx tsx examples/website-operator/main.ts --kubeconfig ~/.k8ts/admin.kubeconfig [--install-crd] [--leader-elect]
 * ```
 *
 * `--install-crd` applies `crd.yaml` first and waits for it to be Established; `--leader-elect`
 * elects one active replica on the Lease `kube-system/website-operator`. SIGINT/SIGTERM stop it.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createClient } from 'k8ts/client';
import { Manager } from 'k8ts/runtime';
import { installWebsiteCrd } from './crd.ts';
import { registerWebsiteOperator } from './operator.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'install-crd': { type: 'boolean', default: false },
    'leader-elect': { type: 'boolean', default: false },
    'leader-elect-namespace': { type: 'string', default: 'kube-system' },
    'log-level': { type: 'string', default: 'info' },
  },
});

const logger = pino({ level: values['log-level'] });
const client = createClient({ kubeconfig: values.kubeconfig, context: values.context, qps: 20, burst: 30, userAgent: 'website-operator', logger });
if (values['install-crd']) {
  await installWebsiteCrd(client);
  logger.info('CustomResourceDefinition websites.example.k8ts.dev established');
}
const manager = new Manager({
  client,
  logger,
  leaderElection: values['leader-elect'] ? { name: 'website-operator', namespace: values['leader-elect-namespace'] } : undefined,
});
registerWebsiteOperator(manager);

const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
logger.info({ server: client.connection.server }, 'website operator starting');
try {
  await manager.start(stop.signal);
} catch (err) {
  logger.error({ err }, 'website operator failed');
  process.exitCode = 1;
} finally {
  await client.close();
}
