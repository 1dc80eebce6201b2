/** HTTPS serving with a throw-away self-signed certificate (openssl). */
import { execFileSync } from 'node:child_process';
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
