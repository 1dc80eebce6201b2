import { describe, expect, it } from 'vitest';
import type { PodSpec } from './pod-spec.ts';
import { podSpecWarnings, podTemplateWarnings, type PodMeta } from './pod-warnings.ts';

const c = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'busybox', ...extra });

describe('podSpecWarnings (upstream warningsForPodSpecAndMeta, 1.33)', () => {
  const cases: [string, PodSpec, PodMeta, string[]][] = [
    ['a clean spec', { containers: [c({ env: [{ name: 'A', value: '1' }] })] }, {}, []],
    ['deprecated node labels in nodeSelector (sorted keys)', { nodeSelector: { 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' } }, {}, [
      'spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
      'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    ]],
    ['node affinity terms', { affinity: { nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }, { key: 'failure-domain.beta.kubernetes.io/zone', operator: 'Exists' }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'beta.kubernetes.io/instance-type', operator: 'Exists' }] } }],
    } } }, {}, [
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/instance-type is deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
    ]],
    ['topology spread: deprecated key and null selector', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'failure-domain.beta.kubernetes.io/region', whenUnsatisfiable: 'DoNotSchedule' }] }, {}, [
      'spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead',
      'spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod',
    ]],
    ['deprecated annotations', {}, { annotations: { 'scheduler.alpha.kubernetes.io/critical-pod': '', 'security.alpha.kubernetes.io/unsafe-sysctls': 'a=b' } }, [
      'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
      'metadata.annotations[security.alpha.kubernetes.io/unsafe-sysctls]: non-functional in v1.11+; use the "sysctls" field instead',
    ]],
    ['deprecated volume plugins and an ephemeral claim', { volumes: [
      { name: 'a', gitRepo: { repository: 'r' } },
      { name: 'b', storageos: {} },
      { name: 'c', rbd: {} },
      { name: 'd', ephemeral: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '1500m' } } } } } },
    ] } as PodSpec, {}, [
      'spec.volumes[0].gitRepo: deprecated in v1.11',
      'spec.volumes[1].storageOS: deprecated in v1.22, non-functional in v1.25+',
      'spec.volumes[2].rbd: deprecated in v1.28, non-functional in v1.31+',
      'spec.volumes[3].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
    ]],
    ['projected paths reusing a service account token path', { volumes: [{ name: 'p', projected: { sources: [
      { serviceAccountToken: { path: 'token' } },
      { configMap: { name: 'cm', items: [{ key: 'k', path: 'ok' }, { key: 'k', path: 'token' }] } },
      { secret: { name: 's', items: [{ key: 'k', path: 'token' }] } },
      { downwardAPI: { items: [{ path: 'token' }] } },
      { clusterTrustBundle: { signerName: 'x', path: 'token' } },
    ] } }] } as PodSpec, {}, [
      'spec.volumes[0].projected.sources.configMap[1]: has duplicated path with ServiceAccountToken "token"',
      'spec.volumes[0].projected.sources.secrets[0]: has duplicated path with ServiceAccountToken "token"',
      'spec.volumes[0].projected.sources.downwardAPI[0]: has duplicated path with ServiceAccountToken "token"',
      'spec.volumes[0].projected.sources.ClusterTrustBundle: has duplicated path with ServiceAccountToken "token"',
    ]],
    ['duplicate host aliases and image pull secrets, empty secret name', { hostAliases: [{ ip: '1.1.1.1' }, { ip: '1.1.1.1' }], imagePullSecrets: [{ name: 'a' }, { name: 'a' }, { name: '' }] }, {}, [
      'spec.hostAliases[1].ip: duplicate ip "1.1.1.1"',
      'spec.imagePullSecrets[1].name: duplicate name "a"',
      'spec.imagePullSecrets[2].name: invalid empty name ""',
    ]],
    ['fractional bytes in overhead and containers (canonical value)', { overhead: { memory: '1.5' }, containers: [c({ resources: { limits: { memory: '0.5Gi', 'ephemeral-storage': '100m' }, requests: { memory: '1001m' } } })] }, {}, [
      'spec.overhead[memory]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.containers[0].resources.requests[memory]: fractional byte value "1001m" is invalid, must be an integer',
      'spec.containers[0].resources.limits[ephemeral-storage]: fractional byte value "100m" is invalid, must be an integer',
    ]],
    ['seccomp annotations without fields', { containers: [c(), c({ name: 'b', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })] }, { annotations: {
      'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default', 'container.seccomp.security.alpha.kubernetes.io/app': 'x', 'container.seccomp.security.alpha.kubernetes.io/b': 'x',
    } }, [
      'metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead',
      'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]: non-functional in v1.27+; use the "seccompProfile" field instead',
    ]],
    ['AppArmor annotation: no warning for a Pod', { containers: [c()] }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, []],
    ['duplicate env vars with the $(X) rules', { initContainers: [c({ name: 'i', env: [{ name: 'X', value: 'a' }, { name: 'X', value: '$(X)b' }] })], containers: [c({ env: [
      { name: 'FOO', value: 'a' }, { name: 'FOO', value: 'b' }, { name: 'FOO', value: '$(FOO)' }, { name: 'FOO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ] })] }, {}, [
      'spec.containers[0].env[1]: hides previous definition of "FOO", which may be dropped when using apply',
      'spec.containers[0].env[2]: hides previous definition of "FOO", which may be dropped when using apply',
      'spec.containers[0].env[3]: hides previous definition of "FOO", which may be dropped when using apply',
    ]],
    ['ports: hostIP without hostPort, duplicate, overlapping, ambiguous', { containers: [
      c({ ports: [{ containerPort: 80, protocol: 'TCP', hostIP: '10.0.0.1' }, { containerPort: 81, protocol: 'TCP', hostPort: 81 }] }),
      c({ name: 'b', ports: [{ containerPort: 80, protocol: 'TCP', hostIP: '10.0.0.1' }, { containerPort: 81, protocol: 'TCP' }, { name: 'x', containerPort: 81, protocol: 'TCP', hostPort: 81, hostIP: '10.0.0.2' }] }),
    ] }, {}, [
      'spec.containers[0].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}',
      'spec.containers[1].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}',
      'spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]',
      'spec.containers[1].ports[1]: overlapping port definition with spec.containers[0].ports[1]',
      'spec.containers[1].ports[2]: dangerously ambiguous port definition with spec.containers[0].ports[1]',
      'spec.containers[1].ports[2]: overlapping port definition with spec.containers[1].ports[1]',
    ]],
    ['negative grace period and null pod affinity selectors', { terminationGracePeriodSeconds: -1, affinity: {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'k' }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'k' } }] },
    } }, {}, [
      'spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod',
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod',
    ]],
  ];
  it.each(cases)('%s', (_name, spec, meta, want) => {
    expect(podSpecWarnings('', spec, meta)).toEqual(want);
  });

  it('prefixes template paths, and templates warn about AppArmor annotations without fields', () => {
    const template = { metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, spec: { nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' }, containers: [c({ env: [{ name: 'A' }, { name: 'A', value: 'x' }] })] } } as const;
    expect(podTemplateWarnings('spec.jobTemplate.spec.template', template as never)).toEqual([
      'spec.jobTemplate.spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
      'spec.jobTemplate.spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead',
      'spec.jobTemplate.spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    ]);
    const withField = { ...template, spec: { ...template.spec, securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } } };
    expect(podTemplateWarnings('template', withField as never)).toEqual([
      'template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
      'template.spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    ]);
    expect(podTemplateWarnings('spec.template', undefined)).toEqual([]);
  });
});
