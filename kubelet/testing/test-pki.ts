/**
 * A throw-away cluster PKI for TLS tests, issued with `k8ts up`'s own openssl code: a CA, a
 * kubelet serving certificate for 127.0.0.1 / `localhost` / the node name, an API server
 * kubelet-client certificate, and a second CA nobody signed with (to prove verification).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCa, ensureCert } from '../../cli/up/pki.ts';

/** PEM contents (and file paths) of the test PKI; `remove()` deletes the files. */
export interface TestPki {
  dir: string;
  ca: { cert: string; path: string };
  otherCa: { cert: string; path: string };
  kubeletServing: { cert: string; key: string; certPath: string; keyPath: string };
  kubeletClient: { cert: string; key: string; certPath: string; keyPath: string };
  remove(): void;
}

/** Issues the PKI for a node called `nodeName` (kubelet serving SANs: 127.0.0.1, localhost, nodeName). */
export async function createTestPki(nodeName = 'tls-node'): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-test-pki-'));
  const ca = await ensureCa(join(dir, 'ca'));
  const other = await ensureCa(join(dir, 'other'));
  const serving = await ensureCert(join(dir, 'ca'), ca, { name: `kubelet-serving-${nodeName}`, commonName: `system:node:${nodeName}`, organization: 'system:nodes', usage: 'server', dnsNames: [nodeName, 'localhost'], ips: ['127.0.0.1'] });
  const client = await ensureCert(join(dir, 'ca'), ca, { name: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters', usage: 'client' });
  const text = (p: string) => readFile(p, 'utf8');
  return {
    dir,
    ca: { cert: await text(ca.cert), path: ca.cert },
    otherCa: { cert: await text(other.cert), path: other.cert },
    kubeletServing: { cert: await text(serving.cert), key: await text(serving.key), certPath: serving.cert, keyPath: serving.key },
    kubeletClient: { cert: await text(client.cert), key: await text(client.key), certPath: client.cert, keyPath: client.key },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
