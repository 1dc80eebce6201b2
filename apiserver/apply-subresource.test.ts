import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createBuiltinRegistry } from '../pkg/api/builtin.ts';
import { MemoryStorage } from '../pkg/storage/memory.ts';
import { createApiServer } from './server.ts';

describe('server-side apply on the status subresource', () => {
  it('changes only status, owned by the manager with subresource "status"', async () => {
    const server = await createApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), logger: pino({ level: 'silent' }) });
    try {
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/namespaces',
        payload: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
      });
      expect([201, 409]).toContain(created.statusCode);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
      expect((await server.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/pods', payload: pod })).statusCode).toBe(201);
      const apply = await server.app.inject({
        method: 'PATCH',
        url: '/api/v1/namespaces/default/pods/p/status?fieldManager=kubelet',
        headers: { 'content-type': 'application/apply-patch+yaml' },
        payload: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\nstatus:\n  phase: Running\n  podIP: 10.244.0.5\nspec:\n  nodeName: ignored\n',
      });
      expect(apply.statusCode, apply.body).toBe(200);
      const body = apply.json();
      expect(body.status).toMatchObject({ phase: 'Running', podIP: '10.244.0.5' });
      expect(body.spec.nodeName).toBeUndefined();
      const entry = body.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubelet');
      expect(entry).toMatchObject({ operation: 'Apply', subresource: 'status' });
      expect(entry.fieldsV1['f:status']).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
