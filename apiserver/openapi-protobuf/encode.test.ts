import { describe, expect, it } from 'vitest';
import { decodeOpenApiV2Protobuf, encodeOpenApiV2Protobuf, toProtoDocument } from './encode.ts';

const swagger = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.33.0+k8ts' },
  paths: {
    '/api/v1/namespaces/{namespace}/configmaps/{name}': {
      parameters: [{ $ref: '#/parameters/name-xyz' }, { name: 'namespace', in: 'path', required: true, type: 'string', uniqueItems: true }],
      patch: {
        operationId: 'patchCoreV1NamespacedConfigMap',
        consumes: ['application/json-patch+json', 'application/merge-patch+json'],
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
          { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' } } },
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.ConfigMap': {
      type: 'object',
      description: 'ConfigMap holds configuration data for pods to consume.',
      required: ['metadata'],
      properties: {
        data: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.KeyToPath' }, 'x-kubernetes-patch-merge-key': 'key', 'x-kubernetes-patch-strategy': 'merge' },
        immutable: { type: 'boolean', default: false },
        protocol: { type: 'string', enum: ['TCP', 'UDP'] },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
    },
  },
  parameters: { 'name-xyz': { name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true } },
};

describe('OpenAPI v2 protobuf encoding', () => {
  it('maps definitions, properties, refs and vendor extensions to gnostic messages', () => {
    const doc = toProtoDocument(swagger) as any;
    const cm = doc.definitions.additional_properties[0];
    expect(cm.name).toBe('io.k8s.api.core.v1.ConfigMap');
    expect(cm.value.type).toEqual({ value: ['object'] });
    expect(cm.value.vendor_extension).toEqual([{ name: 'x-kubernetes-group-version-kind', value: { yaml: '[{"group":"","kind":"ConfigMap","version":"v1"}]\n' } }]);
    const props = Object.fromEntries(cm.value.properties.additional_properties.map((p: any) => [p.name, p.value]));
    expect(props.data.additional_properties).toEqual({ schema: { type: { value: ['string'] } } });
    expect(props.items.items).toEqual({ schema: [{ _ref: '#/definitions/io.k8s.api.core.v1.KeyToPath' }] });
    expect(props.immutable.default).toEqual({ yaml: 'false\n' });
    expect(props.protocol.enum).toEqual([{ yaml: '"TCP"\n' }, { yaml: '"UDP"\n' }]);
  });

  it('maps parameters: body, query, path and $ref', () => {
    const doc = toProtoDocument(swagger) as any;
    const item = doc.paths.path[0].value;
    expect(item.parameters[0]).toEqual({ json_reference: { _ref: '#/parameters/name-xyz' } });
    expect(item.parameters[1].parameter.non_body_parameter.path_parameter_sub_schema).toMatchObject({ name: 'namespace', in: 'path', required: true });
    const params = item.patch.parameters;
    expect(params[0].parameter.body_parameter).toMatchObject({ name: 'body', in: 'body', required: true });
    expect(params[1].parameter.non_body_parameter.query_parameter_sub_schema).toMatchObject({ name: 'fieldValidation', in: 'query', type: 'string' });
    expect(item.patch.responses.response_code[0]).toEqual({ name: '200', value: { response: { description: 'OK', schema: { schema: { _ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' } } } } });
  });

  it('round-trips through the wire format', () => {
    const bytes = encodeOpenApiV2Protobuf(swagger);
    expect(bytes.length).toBeGreaterThan(100);
    const decoded = decodeOpenApiV2Protobuf(bytes) as any;
    expect(decoded.swagger).toBe('2.0');
    expect(decoded.info).toEqual({ title: 'Kubernetes', version: 'v1.33.0+k8ts' });
    expect(decoded.paths.path[0].name).toBe('/api/v1/namespaces/{namespace}/configmaps/{name}');
    expect(decoded.paths.path[0].value.patch.operation_id).toBe('patchCoreV1NamespacedConfigMap');
    expect(decoded.definitions.additional_properties[0].value.required).toEqual(['metadata']);
    expect(decoded.parameters.additional_properties[0].name).toBe('name-xyz');
  });
});
