/**
 * `k8ts <command> [flags]`: dispatches to one component's main. Each component parses its own
 * flags (a zod schema in its main.ts) and runs until SIGINT/SIGTERM. Every component runs with the
 * lean `AsyncResource.prototype.bind` (pkg/util/lean-async-resource-bind.ts): its gRPC calls pay less.
 */
import { UserError } from '../pkg/util/user-error.ts';
import { useLeanAsyncResourceBind } from '../pkg/util/lean-async-resource-bind.ts';

type Command = { describe: string; load: () => Promise<{ main(argv: string[]): Promise<void> }> };

const commands: Record<string, Command> = {
  up: { describe: 'start a whole cluster on this machine', load: () => import('./up/up.ts') },
  down: { describe: 'stop the cluster `up` started and remove its networking', load: () => import('./up/down.ts') },
  status: { describe: 'components and their processes', load: async () => ({ main: (await import('./up/down.ts')).status }) },
  token: { describe: 'create or list bootstrap tokens (k8ts token create prints the join command)', load: () => import('./join/token.ts') },
  join: { describe: 'make this machine a node of a cluster (k8ts join --server … --token … --discovery-token-ca-cert-hash …)', load: () => import('./join/join.ts') },
  logs: { describe: 'print a component log (k8ts logs kubelet-<node> [-f])', load: async () => ({ main: (await import('./up/down.ts')).logs }) },
  apiserver: { describe: 'run the API server', load: () => import('../apiserver/main.ts') },
  scheduler: { describe: 'run the scheduler (binds pods to nodes)', load: () => import('../scheduler/main.ts') },
  proxy: { describe: 'program iptables/nftables for Services on this node', load: () => import('../proxy/main.ts') },
  dns: { describe: 'run the cluster DNS (Service and pod names)', load: () => import('../dns/main.ts') },
  kubelet: { describe: 'run a node agent (containerd over CRI, or --runtime fake)', load: () => import('../kubelet/main.ts') },
  'controller-manager': { describe: 'run the controllers (ReplicaSet, Deployment, GC, …)', load: () => import('../controller-manager/main.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(20)} ${c.describe}`);
  return `Usage: k8ts <command> [flags]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`k8ts: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  useLeanAsyncResourceBind();
  const mod = await command.load();
  try {
    await mod.main(rest);
  } catch (err) {
    // A kubeconfig or state file the user named that cannot be read or used is their input, not a
    // crash: say what is wrong, as for a bad flag. Anything else keeps its stack.
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`k8ts ${name}: ${err.message}\n`);
    process.exitCode = 1;
  }
}
