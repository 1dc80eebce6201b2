/** HTTPS serving with a throw-away self-signed certificate (openssl). */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryStorage } from '../pkg/storage/index.ts';
import { createTestRegistry } from './handlers/test-resources.ts';
import { createApiServer, type ApiServer } from './server.ts';

let dir: string;
let server: ApiServer;
let storage: MemoryStorage;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ec-key.pem'), '-out', join(dir, 'ec-cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
});

afterAll(async () => {
  await server?.close();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves over HTTPS with the given certificate', async () => {
  storage = new MemoryStorage();
  server = await createApiServer({ storage, registry: createTestRegistry() });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const url = await server.listen({ host: '127.0.0.1', port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const body = await new Promise<string>((resolve, reject) => {
    get(`${url}/version`, { ca: cert, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  expect(JSON.parse(body).gitVersion).toBe('v1.33.0+k8ts');
});

it("answers busybox wget's built-in TLS (no signature_algorithms, so SHA-1, as Go's server allows) with an EC key, as k8ts up issues", async () => {
  const ecServer = await createApiServer({ storage: new MemoryStorage(), registry: createTestRegistry() });
  try {
    const url = await ecServer.listen({ host: '127.0.0.1', port: 0, tls: { cert: readFileSync(join(dir, 'ec-cert.pem')), key: readFileSync(join(dir, 'ec-key.pem')) } });
    // Without `openssl` on PATH busybox uses its own TLS instead of spawning `openssl s_client`.
    const { stdout } = await promisify(execFile)('/bin/busybox', ['wget', '-qO-', '--no-check-certificate', `${url}/version`], { env: { PATH: '/nonexistent' }, timeout: 10_000 });
    expect(JSON.parse(stdout).gitVersion).toBe('v1.33.0+k8ts');
  } finally {
    await ecServer.close();
  }
});
