import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { swaggerDocument } from './documents.ts';
import { convertedKind } from './kind-schemas.ts';
import { openApiSchemas } from './schema-set.ts';
import { UPSTREAM_ENUMS } from './upstream-enums.ts';
import { UPSTREAM_REQUIRED } from './upstream-required.ts';

const registry = createBuiltinRegistry();
const { schemas } = openApiSchemas(registry.all());
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string) => `#/components/schemas/${name}`;
const props = (name: string) => (schemas[name] as any).properties as Record<string, any>;

describe('upstream required lists and enums in the published schemas', () => {
  it.each([
    [`${CORE}.Container`, ['name']],
    [`${CORE}.PodSpec`, ['containers']],
    [`${CORE}.ContainerPort`, ['containerPort']],
    [`${CORE}.EnvVar`, ['name']],
    [`${CORE}.VolumeMount`, ['name', 'mountPath']],
    [`${CORE}.Volume`, ['name']],
    [`${CORE}.KeyToPath`, ['key', 'path']],
    [`${CORE}.ObjectFieldSelector`, ['fieldPath']],
    [`${CORE}.Toleration`, undefined],
    [`${CORE}.Taint`, ['key', 'effect']],
    [`${CORE}.ServicePort`, ['port']],
    [`${CORE}.Pod`, undefined],
    [`${META}.LabelSelectorRequirement`, ['key', 'operator']],
    [`${META}.OwnerReference`, ['apiVersion', 'kind', 'name', 'uid']],
    [`${META}.Condition`, ['type', 'status', 'lastTransitionTime', 'reason', 'message']],
    ['io.k8s.api.apps.v1.DeploymentSpec', ['selector', 'template']],
    ['io.k8s.api.apps.v1.ReplicaSetSpec', ['selector']],
    ['io.k8s.api.apps.v1.StatefulSetSpec', ['selector', 'template']],
    ['io.k8s.api.apps.v1.DaemonSetSpec', ['selector', 'template']],
    ['io.k8s.api.batch.v1.JobSpec', ['template']],
    ['io.k8s.api.batch.v1.CronJobSpec', ['schedule', 'jobTemplate']],
    ['io.k8s.api.rbac.v1.RoleBinding', ['roleRef']],
  ])('%s requires %j', (name, required) => {
    expect(schemas[name].required).toEqual(required);
  });

  it.each([
    [`${CORE}.Container`, 'imagePullPolicy', ['Always', 'IfNotPresent', 'Never']],
    [`${CORE}.PodSpec`, 'restartPolicy', ['Always', 'Never', 'OnFailure']],
    [`${CORE}.ServiceSpec`, 'type', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']],
    [`${CORE}.ServicePort`, 'protocol', ['SCTP', 'TCP', 'UDP']],
    [`${CORE}.Toleration`, 'effect', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']],
    ['io.k8s.api.apps.v1.DeploymentStrategy', 'type', ['Recreate', 'RollingUpdate']],
  ])('%s.%s lists %j', (name, field, values) => {
    expect(props(name)[field]).toMatchObject({ type: 'string', enum: values });
  });

  it('puts an array field\'s enum on its items', () => {
    const accessModes = props(`${CORE}.PersistentVolumeClaimSpec`).accessModes;
    expect(accessModes.enum).toBeUndefined();
    expect(accessModes.items.enum).toEqual(['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']);
  });

  it('names only published definitions and their properties in both tables', () => {
    for (const [name, required] of Object.entries(UPSTREAM_REQUIRED)) {
      expect(schemas[name], name).toBeDefined();
      for (const field of required) expect(props(name), `${name}.${field}`).toHaveProperty([field]);
    }
    for (const [name, fields] of Object.entries(UPSTREAM_ENUMS)) {
      for (const field of Object.keys(fields)) expect(props(name)?.[field], `${name}.${field}`).toBeDefined();
    }
  });

  it('keeps required lists but no enums in the Swagger 2.0 document, as upstream', () => {
    const v2 = (swaggerDocument(registry, { schemas, conflicts: [] }) as any).definitions;
    expect(v2[`${CORE}.Container`].required).toEqual(['name']);
    expect(v2[`${CORE}.Container`].properties.imagePullPolicy).toEqual({ type: 'string', description: expect.stringMatching(/^Image pull policy\. One of Always, Never, IfNotPresent\./) });
    expect(v2[`${CORE}.PersistentVolumeClaimSpec`].properties.accessModes.items).toEqual({ type: 'string' });
    expect(JSON.stringify(v2)).not.toContain('"IfNotPresent"');
  });

  it.each([
    [`${CORE}.Affinity`, 'nodeAffinity', `${CORE}.NodeAffinity`],
    [`${CORE}.Affinity`, 'podAffinity', `${CORE}.PodAffinity`],
    [`${CORE}.Affinity`, 'podAntiAffinity', `${CORE}.PodAntiAffinity`],
    [`${CORE}.NodeAffinity`, 'requiredDuringSchedulingIgnoredDuringExecution', `${CORE}.NodeSelector`],
    [`${CORE}.EnvVarSource`, 'configMapKeyRef', `${CORE}.ConfigMapKeySelector`],
    [`${CORE}.EnvVarSource`, 'secretKeyRef', `${CORE}.SecretKeySelector`],
    [`${CORE}.EnvFromSource`, 'configMapRef', `${CORE}.ConfigMapEnvSource`],
    [`${CORE}.EnvFromSource`, 'secretRef', `${CORE}.SecretEnvSource`],
    [`${CORE}.ContainerStatus`, 'state', `${CORE}.ContainerState`],
    [`${CORE}.ContainerState`, 'terminated', `${CORE}.ContainerStateTerminated`],
    [`${CORE}.Volume`, 'emptyDir', `${CORE}.EmptyDirVolumeSource`],
    [`${CORE}.Volume`, 'hostPath', `${CORE}.HostPathVolumeSource`],
    [`${CORE}.Volume`, 'persistentVolumeClaim', `${CORE}.PersistentVolumeClaimVolumeSource`],
    [`${CORE}.Volume`, 'projected', `${CORE}.ProjectedVolumeSource`],
    [`${CORE}.VolumeProjection`, 'serviceAccountToken', `${CORE}.ServiceAccountTokenProjection`],
    [`${CORE}.PodSpec`, 'dnsConfig', `${CORE}.PodDNSConfig`],
  ])('%s.%s references %s', (name, field, target) => {
    expect(props(name)[field].allOf).toEqual([{ $ref: ref(target) }]);
  });

  it.each([
    [`${CORE}.PodAffinity`, 'preferredDuringSchedulingIgnoredDuringExecution', `${CORE}.WeightedPodAffinityTerm`],
    [`${CORE}.NodeAffinity`, 'preferredDuringSchedulingIgnoredDuringExecution', `${CORE}.PreferredSchedulingTerm`],
    [`${CORE}.PodSpec`, 'hostAliases', `${CORE}.HostAlias`],
    [`${CORE}.PodSpec`, 'readinessGates', `${CORE}.PodReadinessGate`],
    [`${CORE}.PodSecurityContext`, 'sysctls', `${CORE}.Sysctl`],
    [`${CORE}.ResourceRequirements`, 'claims', `${CORE}.ResourceClaim`],
    ['io.k8s.api.apps.v1.StatefulSetSpec', 'volumeClaimTemplates', `${CORE}.PersistentVolumeClaim`],
  ])('%s.%s items reference %s', (name, field, target) => {
    expect(props(name)[field].items).toEqual({ $ref: ref(target) });
  });

  it('references ObjectMeta from a custom resource\'s metadata and keeps its CRD\'s required list', () => {
    const info = {
      group: 'stable.example.com', version: 'v1', kind: 'CronTab', customResource: true,
      openApiSchema: { type: 'object', required: ['spec'], properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: { cronSpec: { type: 'string', enum: ['a', 'b'] } } } } },
    } as unknown as ResourceInfo;
    const converted = convertedKind(info);
    expect((converted.root as any).properties.metadata).toEqual({ allOf: [{ $ref: ref(`${META}.ObjectMeta`) }] });
    expect(Object.keys(converted.definitions)).toEqual(expect.arrayContaining([`${META}.ObjectMeta`, `${META}.ManagedFieldsEntry`, `${META}.OwnerReference`]));
    expect(converted.root.required).toEqual(['spec']);
  });
});
