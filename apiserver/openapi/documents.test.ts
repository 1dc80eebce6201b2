import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { decodeOpenApiV2Protobuf, encodeOpenApiV2Protobuf } from '../openapi-protobuf/encode.ts';
import { openApiV3Document, swaggerDocument } from './documents.ts';
import { openApiSchemas } from './schema-set.ts';

const registry = createBuiltinRegistry();
const all = openApiSchemas(registry.all());
const groupVersions = [...new Set(registry.all().map((i) => `${i.group}/${i.version}`))];

function refs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.push(v);
      else refs(v, into);
    }
  }
  return into;
}

describe('OpenAPI documents', () => {
  it.each(groupVersions)('v3 document of %s holds every definition it references', (gv) => {
    const [group, version] = gv.split('/');
    const doc = openApiV3Document(registry, group, version, all) as any;
    const names = new Set(Object.keys(doc.components.schemas));
    const dangling = refs(doc).filter((r) => !r.startsWith('#/components/schemas/') || !names.has(r.slice('#/components/schemas/'.length)));
    expect(dangling).toEqual([]);
  });

  it('carries only the definitions a group version reaches', () => {
    const apps = openApiV3Document(registry, 'apps', 'v1', all) as any;
    expect(Object.keys(apps.components.schemas)).toEqual(expect.arrayContaining(['io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container']));
    expect(apps.components.schemas['io.k8s.api.core.v1.ServiceSpec']).toBeUndefined();
  });

  it('builds the same v3 document without a precomputed schema set', () => {
    expect(openApiV3Document(registry, '', 'v1')).toEqual(openApiV3Document(registry, '', 'v1', all));
  });

  it('gives the Swagger 2.0 document every definition, referenced in v2 form, and encodes it as protobuf', () => {
    const doc = swaggerDocument(registry, all) as any;
    const names = new Set(Object.keys(doc.definitions));
    const dangling = refs(doc).filter((r) => !r.startsWith('#/definitions/') || !names.has(r.slice('#/definitions/'.length)));
    expect(dangling).toEqual([]);
    expect(JSON.stringify(doc.definitions)).not.toMatch(/"allOf":\[\{"\$ref"/);
    const decoded = decodeOpenApiV2Protobuf(encodeOpenApiV2Protobuf(doc)) as any;
    const defs = new Map<string, any>(decoded.definitions.additional_properties.map((d: any) => [d.name, d.value]));
    expect(defs.size).toBe(names.size);
    const podSpec = defs.get('io.k8s.api.core.v1.PodSpec');
    const containers = podSpec.properties.additional_properties.find((p: any) => p.name === 'containers').value;
    expect(containers.items.schema[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(containers.vendor_extension).toEqual(expect.arrayContaining([{ name: 'x-kubernetes-patch-merge-key', value: { yaml: '"name"\n' } }]));
  });
});
