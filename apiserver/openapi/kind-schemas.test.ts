import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { definitionName, kindSchemaV2, kindSchemaV3 } from './kind-schemas.ts';

const registry = createBuiltinRegistry();

describe('kind schemas for OpenAPI', () => {
  it.each([
    [{ group: '', version: 'v1', kind: 'Pod' }, 'io.k8s.api.core.v1.Pod'],
    [{ group: 'apps', version: 'v1', kind: 'Deployment' }, 'io.k8s.api.apps.v1.Deployment'],
    [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }, 'io.k8s.api.discovery.v1.EndpointSlice'],
  ])('names %j as upstream does', (gvk, name) => {
    expect(definitionName(gvk)).toBe(name);
  });

  it('describes every built-in kind with its group-version-kind', () => {
    for (const info of registry.all()) {
      const schema = kindSchemaV3(info);
      expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: info.group, kind: info.kind, version: info.version }]);
      expect(schema.type).toBe('object');
    }
  });

  it('carries the Service port schema with patch hints and int-or-string targetPort', () => {
    const svc = registry.lookup('', 'v1', 'services')!;
    const ports = (kindSchemaV3(svc) as any).properties.spec.properties.ports;
    expect(ports['x-kubernetes-patch-merge-key']).toBe('port');
    expect(ports['x-kubernetes-patch-strategy']).toContain('merge');
    expect(ports.items.properties.port.type).toBe('integer');
    expect(ports.items.properties.targetPort).toMatchObject({ type: 'string', format: 'int-or-string' });
  });

  it('leaves out OpenAPI 3 only keywords in the Swagger 2.0 form', () => {
    const ns = registry.lookup('', 'v1', 'namespaces')!;
    expect(JSON.stringify(kindSchemaV2(ns))).not.toMatch(/"nullable"|"anyOf"/);
  });
});
