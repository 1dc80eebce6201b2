/**
 * `k8ts token create [--ttl 24h] [--description D] [--dir ~/.k8ts]` and `k8ts token list`: bootstrap
 * tokens as `kubeadm token` makes them (Secret `kube-system/bootstrap-token-<id>`, usages
 * authentication and signing, extra group `system:bootstrappers:kubeadm:default-node-token`),
 * talking to the cluster `k8ts up` started in `--dir` with its admin kubeconfig. `create` prints
 * the whole `k8ts join` command: the server and CA hash come from `kube-public/cluster-info`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import { caCertHash } from '../../pkg/bootstrap/ca-hash.ts';
import { CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, KUBECONFIG_KEY, readClusterInfoKubeconfig } from '../../pkg/bootstrap/cluster-info.ts';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapTokenSecret, DEFAULT_NODE_TOKEN_GROUP, formatBootstrapToken, generateBootstrapToken, readBootstrapTokenSecret } from '../../pkg/bootstrap/token.ts';
import { createClient, type Client } from '../../pkg/client/index.ts';
import { humanDuration } from '../../pkg/api/printers/index.ts';
import { parseDuration } from '../../pkg/util/duration.ts';
import { parseFlags, parseOrExit } from '../../pkg/util/process.ts';
import { readState } from '../up/state.ts';

const USAGE = `Usage: k8ts token create [--ttl 24h] [--description TEXT] [--dir ~/.k8ts]
       k8ts token list [--dir ~/.k8ts]

create prints the "k8ts join" command for another machine; --ttl 0 never expires.
`;

const FLAG_SPEC = { dir: { type: 'string' }, ttl: { type: 'string' }, description: { type: 'string' } } as const;
const TokenConfigSchema = z.object({ dir: z.string().min(1), ttlMs: z.number().min(0), description: z.string().optional() });
type TokenConfig = z.infer<typeof TokenConfigSchema>;

function adminClient(dir: string): Client {
  const kubeconfig = readState(dir)?.kubeconfig ?? join(dir, 'admin.kubeconfig');
  return createClient({ kubeconfig, timeoutMs: 10_000, maxRetries: 1 });
}

/** The join command line for a token, server and CA hash. Pure. */
export function joinCommand(server: string, token: string, caHash: string): string {
  return `npx k8ts join --server ${server} --token ${token} --discovery-token-ca-cert-hash ${caHash}`;
}

/** Creates a token; returns the join command. */
export async function createToken(config: TokenConfig, now = new Date()): Promise<string> {
  const client = adminClient(config.dir);
  try {
    const token = generateBootstrapToken();
    const expiration = config.ttlMs > 0 ? new Date(now.getTime() + config.ttlMs) : undefined;
    await client.secrets.inNamespace(BOOTSTRAP_TOKEN_NAMESPACE).create(bootstrapTokenSecret({ token, expiration, description: config.description, usages: ['authentication', 'signing'], extraGroups: [DEFAULT_NODE_TOKEN_GROUP] }));
    const info = await client.configMaps.inNamespace(CLUSTER_INFO_NAMESPACE).get(CLUSTER_INFO_NAME);
    const cluster = readClusterInfoKubeconfig(info.data?.[KUBECONFIG_KEY] ?? '');
    if (cluster instanceof Error) throw cluster;
    return joinCommand(cluster.server, formatBootstrapToken(token), caCertHash(cluster.caPem));
  } finally {
    await client.close();
  }
}

/** kubeadm's `token list` table for the given Secrets. Pure. */
export function tokenTable(secrets: readonly Secret[], now: Date): string {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const s of secrets) {
    const t = readBootstrapTokenSecret(s);
    if (!t) continue;
    const ttl = t.expiration ? humanDuration(Math.max(0, Date.parse(t.expiration) - now.getTime())) : '<forever>';
    rows.push([`${t.id}.${t.secret}`, ttl, t.expiration ?? '<never>', t.usages.join(',') || '<none>', t.description ?? '<none>', t.extraGroups.join(',') || '<none>']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd()).join('\n')}\n`;
}

async function listTokens(config: TokenConfig): Promise<string> {
  const client = adminClient(config.dir);
  try {
    const list = await client.secrets.list({ namespace: BOOTSTRAP_TOKEN_NAMESPACE, fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}` });
    return tokenTable(list.items, new Date());
  } finally {
    await client.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'create' && sub !== 'list') {
    process.stderr.write(USAGE);
    process.exitCode = sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
    return;
  }
  const config = parseOrExit(`token ${sub}`, USAGE, () =>
    parseFlags(rest, FLAG_SPEC, TokenConfigSchema, (v) => ({ dir: (v.dir as string | undefined) ?? join(homedir(), '.k8ts'), ttlMs: parseDuration((v.ttl as string | undefined) ?? '24h'), description: v.description })),
  );
  if (!config) return;
  try {
    process.stdout.write(sub === 'create' ? `${await createToken(config)}\n` : await listTokens(config));
  } catch (err) {
    process.stderr.write(`k8ts token ${sub}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

