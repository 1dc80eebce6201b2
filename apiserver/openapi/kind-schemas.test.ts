import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { listedDefinitionNames } from './definition-names.ts';
import { convertedKind, definitionName } from './kind-schemas.ts';
import { openApiSchemas } from './schema-set.ts';
import { swaggerSchema } from './swagger-form.ts';

const registry = createBuiltinRegistry();
const { schemas, conflicts } = openApiSchemas(registry.all());
const ref = (name: string) => `#/components/schemas/${name}`;

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
      const schema = schemas[definitionName(info)];
      expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: info.group, kind: info.kind, version: info.version }]);
      expect(schema.type).toBe('object');
    }
  });

  it('references shared sub-schemas by their upstream names', () => {
    const pod = schemas['io.k8s.api.core.v1.Pod'] as any;
    expect(pod.properties.metadata.allOf).toEqual([{ $ref: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta') }]);
    expect(pod.properties.spec.allOf).toEqual([{ $ref: ref('io.k8s.api.core.v1.PodSpec') }]);
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec'] as any;
    expect(podSpec.properties.containers.items).toEqual({ $ref: ref('io.k8s.api.core.v1.Container') });
    const deploymentSpec = schemas['io.k8s.api.apps.v1.DeploymentSpec'] as any;
    expect(deploymentSpec.properties.template.allOf).toEqual([{ $ref: ref('io.k8s.api.core.v1.PodTemplateSpec') }]);
    expect(deploymentSpec.properties.selector.allOf).toEqual([{ $ref: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector') }]);
  });

  it('names only definitions some built-in kind uses, never a kind but the claim templates', () => {
    const kinds = new Set(registry.all().map(definitionName));
    // A StatefulSet's volumeClaimTemplates items are whole PersistentVolumeClaims upstream: the
    // served kind's schema takes that name.
    const claim = 'io.k8s.api.core.v1.PersistentVolumeClaim';
    for (const name of listedDefinitionNames()) {
      expect(kinds.has(name) && name !== claim, name).toBe(false);
      expect(schemas[name], name).toBeDefined();
    }
    const sts = schemas['io.k8s.api.apps.v1.StatefulSetSpec'] as any;
    expect(sts.properties.volumeClaimTemplates.items).toEqual({ $ref: ref(claim) });
    expect(schemas[claim]['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'PersistentVolumeClaim', version: 'v1' }]);
  });

  it('puts patch hints on the property inside the shared definition, one reading per node', () => {
    expect(conflicts).toEqual([]);
    const containers = (schemas['io.k8s.api.core.v1.PodSpec'] as any).properties.containers;
    expect(containers).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map' });
    const ports = (schemas['io.k8s.api.core.v1.Container'] as any).properties.ports;
    expect(ports).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort' });
    const svcPorts = (schemas['io.k8s.api.core.v1.ServiceSpec'] as any).properties.ports;
    expect(svcPorts['x-kubernetes-patch-merge-key']).toBe('port');
    expect(svcPorts.items).toEqual({ $ref: ref('io.k8s.api.core.v1.ServicePort') });
    const servicePort = schemas['io.k8s.api.core.v1.ServicePort'] as any;
    expect(servicePort.properties.port.type).toBe('integer');
    expect(servicePort.properties.targetPort).toMatchObject({ allOf: [{ $ref: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString') }] });
  });

  it('leaves the memoised conversions untouched by annotation', () => {
    const podSpec = convertedKind(registry.lookup('', 'v1', 'pods')!).definitions['io.k8s.api.core.v1.PodSpec'] as any;
    expect(podSpec.properties.containers['x-kubernetes-patch-strategy']).toBeUndefined();
    expect(openApiSchemas(registry.all()).schemas['io.k8s.api.core.v1.PodSpec']).toEqual(schemas['io.k8s.api.core.v1.PodSpec']);
  });

  it('keeps a field named like a keyword (LimitRangeItem.default)', () => {
    expect(Object.keys((schemas['io.k8s.api.core.v1.LimitRangeItem'] as any).properties)).toContain('default');
  });

  it('gives the Swagger 2.0 form bare references and no OpenAPI 3 only keywords', () => {
    const ns = swaggerSchema('io.k8s.api.core.v1.Namespace', schemas['io.k8s.api.core.v1.Namespace']);
    expect(JSON.stringify(ns)).not.toMatch(/"nullable"|"anyOf"|"oneOf"/);
    const pod = swaggerSchema('io.k8s.api.core.v1.Pod', schemas['io.k8s.api.core.v1.Pod']) as any;
    // Upstream's v2 form: the field's description beside the reference.
    expect(pod.properties.spec).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.PodSpec', description: expect.stringMatching(/^Specification of the desired behavior of the pod\. /) });
    const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
    expect(swaggerSchema(quantity, schemas[quantity])).toEqual({ type: 'string' });
  });
});
