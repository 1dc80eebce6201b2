import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { builtinFor } from '../../builtin.ts';
import type { KubeObject } from '../../meta.ts';
import type { ResourceInfo } from '../../resource.ts';
import { type Pod, PodSchema, podResource } from './pod.ts';
import { defaultImagePullPolicy } from './pod-defaults.ts';
import { podQOSClass } from './pod-status.ts';
import { containerResourceNameErrors } from './pod-validation.ts';
import { bindingResource } from './binding.ts';

const SEEDS = '/work/shared/fixtures/seeds';

/** As the server decodes: `"x": null` members are absent (Go zero values). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

function docs(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(`${SEEDS}/${file}`, 'utf8')).map((d) => dropNulls(d.toJSON()) as Record<string, unknown>).filter((d) => d);
}

/** The server's create path: decode, namespace, strategy, defaults, validate. */
function create(raw: Record<string, unknown>): { info: ResourceInfo; obj: KubeObject; errors: string[] } {
  const info = builtinFor(String(raw.apiVersion), String(raw.kind));
  if (!info) throw new Error(`no resource for ${String(raw.apiVersion)} ${String(raw.kind)}`);
  const obj = info.schema.parse(raw);
  obj.metadata.namespace ??= 'default';
  info.prepareForCreate?.(obj);
  info.applyDefaults(obj);
  return { info, obj, errors: info.validate(obj).map((e) => `${e.field}: ${e.detail}`) };
}

describe('seed fixtures', () => {
  it.each(['my-nginx-app.yaml', 'qos-burstable.yaml', 'qos-guaranteed.yaml', 'downward-api-env.yaml', 'web-site-two-containers.yaml', 'whoami.yaml', 'flask-redis-nginx/flaskapp.yaml', 'flask-redis-nginx/nginx.yaml', 'flask-redis-nginx/redis.yaml', 'redis-nodeselector.yaml'])(
    '%s decodes, defaults and validates cleanly',
    (file) => {
      for (const raw of docs(file)) {
        const { errors } = create(raw);
        expect(errors).toEqual([]);
      }
    },
  );

  it.each([
    ['qos-guaranteed.yaml', 'Guaranteed'],
    ['qos-burstable.yaml', 'Burstable'],
    ['downward-api-env.yaml', 'BestEffort'],
  ])('%s gets qosClass %s', (file, qos) => {
    const { obj } = create(docs(file)[0]!);
    expect((obj as Pod).status).toEqual({ phase: 'Pending', qosClass: qos });
  });

  it('invalid/pod-protocol-http.yaml fails with exactly the upstream protocol error', () => {
    expect(create(docs('invalid/pod-protocol-http.yaml')[0]!).errors).toEqual([
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it('invalid/pod-no-name.yaml (null metadata/spec) reports the missing name and containers', () => {
    const { errors } = create(docs('invalid/pod-no-name.yaml')[0]!);
    expect(errors).toEqual(['metadata.name: Required value: name or generateName is required', 'spec.containers: Required value']);
  });

  it.each(['flaskapp.yaml', 'nginx.yaml', 'redis.yaml'])('flask-redis-nginx/%s: the extensions/v1beta1 Deployment gets its selector from the template', (file) => {
    const raw = docs(`flask-redis-nginx/${file}`).find((d) => d.kind === 'Deployment')!;
    const { info, obj } = create(raw);
    expect(info.group).toBe('extensions');
    const spec = obj.spec as { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    expect(spec.selector).toEqual({ matchLabels: spec.template.metadata.labels });
  });

  it('invalid/wordpress-integer-env.yaml: an unquoted integer env value is a decode error', () => {
    const raw = docs('invalid/wordpress-integer-env.yaml').find((d) => d.kind === 'Deployment')!;
    const info = builtinFor(String(raw.apiVersion), String(raw.kind))!;
    const result = info.schema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['spec.template.spec.containers.0.env.1.value']);
  });

  it('patch metadata follows the upstream struct tags', () => {
    expect(podResource.patchMeta).toMatchObject({
      'spec.containers': { strategy: 'merge', mergeKey: 'name' },
      'spec.initContainers': { strategy: 'merge', mergeKey: 'name' },
      'spec.containers[].ports': { strategy: 'merge', mergeKey: 'containerPort' },
      'spec.containers[].env': { strategy: 'merge', mergeKey: 'name' },
      'spec.containers[].volumeMounts': { strategy: 'merge', mergeKey: 'mountPath' },
      'spec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name' },
      'spec.imagePullSecrets': { strategy: 'merge', mergeKey: 'name' },
      'status.conditions': { strategy: 'merge', mergeKey: 'type' },
      'metadata.finalizers': { strategy: 'merge' },
      'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
    });
    expect(podResource.patchMeta['spec.tolerations']).toBeUndefined();
  });

  it('an integer env value is a decode error', () => {
    const raw = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', env: [{ name: 'A', value: 123456 }] }] } };
    expect(PodSchema.safeParse(raw).success).toBe(false);
  });
});

describe('pod defaulting', () => {
  const { obj } = create(docs('qos-guaranteed.yaml')[0]!);
  const pod = obj as Pod;

  it('fills the upstream spec and container defaults', () => {
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    });
    expect(pod.spec?.containers?.[0]).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: { limits: { cpu: '700m', memory: '200Mi' }, requests: { cpu: '700m', memory: '200Mi' } },
    });
  });

  it('is idempotent', () => {
    const copy = structuredClone(pod);
    podResource.applyDefaults(copy);
    expect(copy).toEqual(pod);
  });

  it('defaults probes, ports, fieldRefs, volume modes and requests from limits', () => {
    const p = PodSchema.parse({
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        volumes: [{ name: 'cm', configMap: { name: 'x' } }, { name: 's', secret: { secretName: 'y' } }, { name: 'e' }],
        containers: [{
          name: 'c',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: 0.5, memory: '1024Mi' } },
          volumeMounts: [{ name: 'cm', mountPath: '/a' }, { name: 's', mountPath: '/b' }, { name: 'e', mountPath: '/c' }],
        }],
      },
    });
    podResource.applyDefaults(p);
    const c = p.spec!.containers![0]!;
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.ports![0]!.protocol).toBe('TCP');
    expect(c.env![0]!.valueFrom!.fieldRef!.apiVersion).toBe('v1');
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(p.spec!.volumes).toEqual([
      { name: 'cm', configMap: { name: 'x', defaultMode: 420 } },
      { name: 's', secret: { secretName: 'y', defaultMode: 420 } },
      { name: 'e', emptyDir: {} },
    ]);
    expect(podResource.validate(p)).toEqual([]);
  });

  it('resourceFieldRef divisors serialise as upstream ("0" when unset, canonical otherwise)', () => {
    const p = PodSchema.parse({
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1000m' } }] } }],
        containers: [{
          name: 'c',
          image: 'x',
          env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } }],
          readinessProbe: { grpc: { port: 9000 } },
        }],
      },
    });
    podResource.applyDefaults(p);
    expect(p.spec!.containers![0]!.env![0]!.valueFrom!.resourceFieldRef).toEqual({ resource: 'limits.memory', divisor: '0' });
    expect(p.spec!.volumes![0]!.downwardAPI!.items![0]!.resourceFieldRef!.divisor).toBe('1');
    expect(p.spec!.containers![0]!.readinessProbe!.grpc).toEqual({ port: 9000, service: '' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['busybox@sha256:abc', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });
});

describe('pod validation', () => {
  const base = (spec: Record<string, unknown>) => {
    const p = PodSchema.parse({ metadata: { name: 'p', namespace: 'default' }, spec });
    podResource.applyDefaults(p);
    return podResource.validate(p).map((e) => `${e.field}: ${e.detail}`);
  };

  it.each([
    [{ containers: [{ name: 'Bad_Name', image: 'x' }] }, 'spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
    [{ containers: [{ name: 'c' }] }, 'spec.containers[0].image: Required value'],
    [{ containers: [{ name: 'c', image: 'nginx ' }] }, 'spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace'],
    [{ containers: [{ image: 'x' }] }, 'spec.containers[0].name: Required value'],
    [{ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }, 'spec.containers[1].name: Duplicate value: "c"'],
    [{ containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Sometimes' }, 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'],
    [{ containers: [{ name: 'c', image: 'x' }], dnsPolicy: 'Foo' }, 'spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'],
    [{ containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Sometimes' }] }, 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    [{ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] }, 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    [{ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v' }] }] }, 'spec.containers[0].volumeMounts[0].name: Not found: "v"'],
    [{ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'k' }] } }] }, 'spec.volumes[0].configMap.items[0].path: Required value'],
    [{ containers: [{ name: 'c', image: 'x' }], topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }, 'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero'],
    [{ containers: [{ name: 'c', image: 'x' }], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' }] }, 'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    [{ containers: [{ name: 'c', image: 'x' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In' }] }] } } } }, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\''],
    [{ containers: [{ name: 'c', image: 'x' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Equals', values: ['ssd'] }] }] } } } }, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
  ])('%j → %s', (spec, message) => {
    expect(base(spec)).toContain(message);
  });

  describe('what reaches the node: security contexts, host network, DNS, hooks, restart policies', () => {
    const c = (extra: Record<string, unknown> = {}) => [{ name: 'c', image: 'x', ...extra }];
    it.each([
      [{ containers: c({ securityContext: { runAsUser: -1, runAsGroup: 2147483648 } }) }, ['spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive', 'spec.containers[0].securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive']],
      [{ containers: c(), securityContext: { fsGroup: -1, supplementalGroups: [5, -2] } }, ['spec.securityContext.fsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive', 'spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive']],
      [{ containers: c({ securityContext: { privileged: true, allowPrivilegeEscalation: false } }) }, ['spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true']],
      [{ containers: c({ securityContext: { seccompProfile: { type: 'Localhost' } } }) }, ['spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost']],
      [{ containers: c(), securityContext: { seccompProfile: { type: 'Nope' } } }, ['spec.securityContext.seccompProfile.type: Unsupported value: "Nope": supported values: "Localhost", "RuntimeDefault", "Unconfined"']],
      [{ containers: c(), securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }, { name: 'net.core.somaxconn', value: '2' }, { name: 'Bad!', value: '1' }] } }, ['spec.securityContext.sysctls[1].name: Duplicate value: "net.core.somaxconn"', 'spec.securityContext.sysctls[2].name: Invalid value: "Bad!": must have at most 253 characters and match regex ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?']],
      [{ hostNetwork: true, containers: c({ ports: [{ containerPort: 80, hostPort: 8080 }] }) }, ['spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true']],
      [{ containers: c(), dnsPolicy: 'None' }, ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']],
      [{ containers: c(), dnsPolicy: 'None', dnsConfig: { searches: ['a'] } }, ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']],
      [{ containers: c(), dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', 'x'], searches: ['ok.example.', 'Bad_'], options: [{ value: '1' }] } }, ['spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "2.2.2.2", "3.3.3.3", "x"}: must not have more than 3 nameservers', 'spec.dnsConfig.nameservers[3]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', expect.stringMatching(/^spec\.dnsConfig\.searches\[1\]: Invalid value: "Bad_": a lowercase RFC 1123 subdomain/), 'spec.dnsConfig.options[0]: Required value: must not be empty']],
      [{ containers: c(), hostAliases: [{ ip: '10.0.0.300', hostnames: ['ok', 'Not_OK'] }] }, ['spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)', expect.stringMatching(/^spec\.hostAliases\[0\]\.hostnames\[1\]: Invalid value: "Not_OK": a lowercase RFC 1123 subdomain/)]],
      [{ containers: c({ lifecycle: { postStart: {}, preStop: { exec: { command: ['x'] }, sleep: { seconds: 1 } } } }) }, ['spec.containers[0].lifecycle.postStart: Required value: must specify a handler type', 'spec.containers[0].lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type']],
      [{ containers: c({ restartPolicy: 'Always' }), initContainers: [{ name: 'i', image: 'x', restartPolicy: 'OnFailure' }] }, ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"', 'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']],
      [{ containers: c(), tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }] }, ['spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set']],
      [{ containers: c(), nodeSelector: { 'disk type': 'ssd' } }, [expect.stringMatching(/^spec\.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters/)]],
      [{ containers: c(), tolerations: [{ effect: 'NoSchedule' }] }, ['spec.tolerations[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
      [{ containers: c(), tolerations: [{ key: 'bad key', operator: 'Equal', value: 'not valid!' }] }, [expect.stringMatching(/^spec\.tolerations\[0\]\.key: Invalid value: "bad key": name part must consist of/), expect.stringMatching(/^spec\.tolerations\[0\]\.operator: Invalid value: "not valid!": a valid label must be an empty string or consist of/)]],
      [{ containers: c(), tolerations: [{ operator: 'Exists' }, { key: 'k', value: 'v', effect: 'NoExecute', tolerationSeconds: 0 }] }, []],
      [{ containers: c(), runtimeClassName: 'Kata_Containers' }, [expect.stringMatching(/^spec\.runtimeClassName: Invalid value: "Kata_Containers": a lowercase RFC 1123 subdomain/)]],
      [{ containers: c(), runtimeClassName: 'kata.containers' }, []],
      [{ containers: c(), overhead: { cpu: '-250m', 'bad name!': '1' } }, ['spec.overhead.limits[cpu]: Invalid value: "-250m": must be greater than or equal to 0', expect.stringMatching(/^spec\.overhead\.limits\[bad name!\]: Invalid value: "bad name!": name part must consist of/)]],
    ])('%j', (spec, messages) => {
      expect(base(spec)).toEqual(messages);
    });

    it('accepts what tutorials set: non-root users, RuntimeDefault seccomp, a host-network pod, custom DNS, a sidecar', () => {
      expect(base({
        hostNetwork: true,
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'cluster.local.'], options: [{ name: 'ndots', value: '2' }] },
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }],
        securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
        initContainers: [{ name: 'sidecar', image: 'x', restartPolicy: 'Always' }],
        containers: c({ ports: [{ containerPort: 8080 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, lifecycle: { preStop: { sleep: { seconds: 5 } } } }),
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
      })).toEqual([]);
    });
  });

  it.each([
    ['cpu', []],
    ['hugepages-2Mi', []],
    ['nvidia.com/gpu', []],
    ['example.com/foo', []],
    ['kubernetes.io/some', []],
    ['foo', ['must be a standard resource type or fully qualified', 'must be a standard resource for containers']],
    ['pods', ['must be a standard resource for containers']],
    ['requests.example.com/x', ["doesn't follow extended resource name standard"]],
    ['bad name', [expect.stringMatching(/^name part must consist of alphanumeric characters/)]],
  ])('container resource %s', (name, messages) => {
    expect(containerResourceNameErrors(name)).toEqual(messages);
  });

  it('an environment variable name is printable ASCII without "=" (relaxed rule of 1.32+); resource names are checked in place', () => {
    expect(base({ containers: [{ name: 'c', image: 'x', env: [{ name: 'A=B', value: '1' }, { name: 'my.var-1 ok', value: '2' }, { name: 'tab\there', value: '3' }] }] })).toEqual([
      'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'spec.containers[0].env[2].name: Invalid value: "tab\\there": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
    ]);
    expect(base({ containers: [{ name: 'c', image: 'x', resources: { requests: { foo: '1' } } }] })).toEqual(['spec.containers[0].resources.requests[foo]: Invalid value: "foo": must be a standard resource type or fully qualified', 'spec.containers[0].resources.requests[foo]: Invalid value: "foo": must be a standard resource for containers']);
  });

  describe('volume paths stay inside their volume, as upstream validates them', () => {
    const c = (mount: Record<string, unknown>) => [{ name: 'c', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v', ...mount }] }];
    const vol = (source: Record<string, unknown>) => ({ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v', ...source }] });
    it.each([
      [{ containers: c({ subPath: '../../etc' }), volumes: [{ name: 'v', emptyDir: {} }] }, ['spec.containers[0].volumeMounts.subPath: Invalid value: "../../etc": must not contain \'..\'']],
      [{ containers: c({ subPath: '/etc' }), volumes: [{ name: 'v', emptyDir: {} }] }, ['spec.containers[0].volumeMounts.subPath: Invalid value: "/etc": must be a relative path']],
      [{ containers: c({ subPath: 'a', subPathExpr: '$(POD)/..' }), volumes: [{ name: 'v', emptyDir: {} }] }, ['spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: "$(POD)/..": subPathExpr and subPath are mutually exclusive', 'spec.containers[0].volumeMounts.subPathExpr: Invalid value: "$(POD)/..": must not contain \'..\'']],
      [vol({ configMap: { name: 'cm', items: [{ key: 'k', path: 'a/../../b' }] } }), ['spec.volumes[0].configMap.items[0].path: Invalid value: "a/../../b": must not contain \'..\'']],
      [vol({ secret: { secretName: 's', items: [{ key: 'k', path: '/etc/x' }] } }), ['spec.volumes[0].secret.items[0].path: Invalid value: "/etc/x": must be a relative path']],
      [vol({ configMap: { name: 'cm', items: [{ key: 'k', path: '..data' }] } }), ['spec.volumes[0].configMap.items[0].path: Invalid value: "..data": must not start with \'..\'']],
      [vol({ configMap: { name: 'cm', defaultMode: 512, items: [{ key: 'k', path: 'p', mode: -1 }] } }), ['spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive', 'spec.volumes[0].configMap.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive']],
      [vol({ downwardAPI: { items: [{ path: '../x', fieldRef: { fieldPath: 'metadata.name' } }] } }), ['spec.volumes[0].downwardAPI.path: Invalid value: "../x": must not contain \'..\'']],
      [vol({ downwardAPI: { items: [{ path: 'x' }] } }), ['spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required']],
      [vol({ projected: { sources: [{ configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] } }, { secret: { name: 'b', items: [{ key: 'k', path: 'same' }] } }] } }), ['spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths']],
      [vol({ projected: { sources: [{ serviceAccountToken: { path: '/token', expirationSeconds: 60 } }] } }), ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes', 'spec.volumes[0].projected.path: Invalid value: "/token": must be a relative path']],
      [vol({ projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 2 ** 32 + 1, audience: 'vault' } }] } }), ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds']],
      [vol({ projected: { sources: [{ serviceAccountToken: { expirationSeconds: 600 } }] } }), ['spec.volumes[0].projected.path: Required value']],
      [vol({ projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 2 ** 32, audience: 'https://vault.example' } }] } }), []],
      [vol({ projected: { sources: [{ configMap: { name: 'a' }, secret: { name: 'b' } }] } }), ['spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type']],
      [vol({ hostPath: { path: '/var/../etc' } }), ['spec.volumes[0].hostPath.path: Invalid value: "/var/../etc": must not contain \'..\'']],
      [{ containers: c({ mountPropagation: 'Bidirectional' }), volumes: [{ name: 'v', hostPath: { path: '/mnt' } }] }, ['spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers']],
      [{ containers: c({ mountPropagation: 'Sideways' }), volumes: [{ name: 'v', hostPath: { path: '/mnt' } }] }, ['spec.containers[0].volumeMounts.mountPropagation: Unsupported value: "Sideways": supported values: "Bidirectional", "HostToContainer", "None"']],
      [{ containers: [{ name: 'c', image: 'x', securityContext: { privileged: true }, volumeMounts: [{ name: 'v', mountPath: '/v', mountPropagation: 'Bidirectional' }] }], volumes: [{ name: 'v', hostPath: { path: '/mnt' } }] }, []],
      [vol({ ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }), []],
      [vol({ ephemeral: { volumeClaimTemplate: { spec: { resources: {} } } } }), ['spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required', 'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value']],
      [vol({ ephemeral: {} }), ['spec.volumes[0].ephemeral.volumeClaimTemplate: Required value']],
      [vol({ hostPath: { path: '/var/log', type: 'Dir' } }), ['spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"']],
    ])('%j', (spec, messages) => {
      expect(base(spec)).toEqual(messages);
    });

    it('accepts the paths tutorials use', () => {
      expect(base({
        containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'default.conf' }, { name: 'h', mountPath: '/logs', subPathExpr: '$(POD_NAME)' }, { name: 'p', mountPath: '/p' }] }],
        volumes: [
          { name: 'v', configMap: { name: 'nginx', defaultMode: 0o644, items: [{ key: 'default.conf', path: 'default.conf' }, { key: 'k', path: 'dir/file..txt', mode: 0o400 }] } },
          { name: 'h', hostPath: { path: '/var/log/pods', type: 'DirectoryOrCreate' } },
          { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
        ],
      })).toEqual([]);
    });
  });

  it('a host port two containers claim is a Duplicate of protocol/hostIP/port; another protocol, host IP or an init container is not', () => {
    const withPorts = (...ports: Array<Array<Record<string, unknown>>>) => ports.map((p, i) => ({ name: `c${i}`, image: 'x', ports: p }));
    expect(base({ containers: withPorts([{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 81, hostPort: 8080 }]) })).toEqual(['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']);
    expect(base({ containers: withPorts([{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }, { containerPort: 81, hostPort: 8080, hostIP: '10.0.0.1' }]) })).toEqual([]);
    expect(base({ initContainers: withPorts([{ containerPort: 80, hostPort: 8080 }]).map((c) => ({ ...c, name: 'init' })), containers: withPorts([{ containerPort: 80, hostPort: 8080 }]) })).toEqual([]);
  });

  it('valid affinity and spread constraints pass', () => {
    expect(base({
      containers: [{ name: 'c', image: 'x' }],
      affinity: { nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }],
      } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    })).toEqual([]);
  });

  it('an update keeps the old status and may only change images', () => {
    const old = create(docs('qos-guaranteed.yaml')[0]!).obj as Pod;
    const next = structuredClone(old);
    next.status = { phase: 'Running' };
    next.spec!.containers![0]!.image = 'nginx:1.27';
    podResource.prepareForUpdate!(next, old);
    expect(next.status).toEqual(old.status);
    expect(podResource.validate(next, old)).toEqual([]);
    next.spec!.restartPolicy = 'Never';
    expect(podResource.validate(next, old).map((e) => e.field)).toEqual(['spec']);
  });

  describe('updates (ValidatePodUpdate)', () => {
    const old = (spec: Record<string, unknown> = {}) => {
      const p = PodSchema.parse({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec } });
      podResource.applyDefaults(p);
      return p;
    };
    const update = (before: Pod, change: (spec: NonNullable<Pod['spec']>) => void) => {
      const next = structuredClone(before);
      change(next.spec!);
      return podResource.validate(next, before).map((e) => `${e.field}: ${e.detail}`);
    };
    const toleration = { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 60 };

    it.each<[string, Record<string, unknown>, (s: NonNullable<Pod['spec']>) => void, string[]]>([
      ['an image change', {}, (s) => { s.containers![0]!.image = 'nginx:1.27'; }, []],
      ['setting activeDeadlineSeconds', {}, (s) => { s.activeDeadlineSeconds = 100; }, []],
      ['shrinking activeDeadlineSeconds', { activeDeadlineSeconds: 100 }, (s) => { s.activeDeadlineSeconds = 50; }, []],
      ['growing activeDeadlineSeconds', { activeDeadlineSeconds: 10 }, (s) => { s.activeDeadlineSeconds = 20; }, ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']],
      ['removing activeDeadlineSeconds', { activeDeadlineSeconds: 10 }, (s) => { delete s.activeDeadlineSeconds; }, ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']],
      ['adding a toleration', { tolerations: [toleration] }, (s) => { s.tolerations!.push({ key: 'x', operator: 'Exists' }); }, []],
      ['changing tolerationSeconds', { tolerations: [toleration] }, (s) => { s.tolerations![0]!.tolerationSeconds = 9; }, []],
      ['modifying a toleration', { tolerations: [toleration] }, (s) => { s.tolerations![0]!.value = 'w'; }, ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']],
      ['removing a scheduling gate', { schedulingGates: [{ name: 'g1' }] }, (s) => { s.schedulingGates = []; }, []],
      ['adding a scheduling gate', { schedulingGates: [{ name: 'g1' }] }, (s) => { s.schedulingGates!.push({ name: 'g2' }); }, ['spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate \'g2\'']],
      ['grace period from negative to 1', { terminationGracePeriodSeconds: -1 }, (s) => { s.terminationGracePeriodSeconds = 1; }, []],
      ['adding a container', {}, (s) => { s.containers!.push({ ...s.containers![0]!, name: 'd' }); }, ['spec.containers: Forbidden: pod updates may not add or remove containers']],
      ['an image with whitespace', {}, (s) => { s.containers![0]!.image = ' busybox'; }, ['spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace']],
    ])('%s', (_name, spec, change, expected) => {
      expect(update(old(spec), change)).toEqual(expected);
    });

    it.each<[string, (s: NonNullable<Pod['spec']>) => void]>([
      ['a port change', (s) => { s.containers![0]!.ports = [{ containerPort: 81, protocol: 'TCP' }]; }],
      ['a grace period change', (s) => { s.terminationGracePeriodSeconds = 10; }],
      ['a nodeName change', (s) => { s.nodeName = 'n2'; }],
    ])('%s is forbidden with the upstream message', (_name, change) => {
      expect(update(old(), change)).toEqual([
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ]);
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a port without containerPort', { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http' }] }] }, 'spec.containers[0].ports[0].containerPort: Required value'],
    ['an env var without name', { containers: [{ name: 'c', image: 'x', env: [{ value: 'v' }] }] }, 'spec.containers[0].env[0].name: Required value'],
    ['a volume mount without mountPath', { volumes: [{ name: 'v' }], containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'v' }] }] }, 'spec.containers[0].volumeMounts[0].mountPath: Required value'],
    ['a volume without name', { volumes: [{ emptyDir: {} }], containers: [{ name: 'c', image: 'x' }] }, 'spec.volumes[0].name: Required value'],
    ['an httpGet probe without port', { containers: [{ name: 'c', image: 'x', readinessProbe: { httpGet: { path: '/' } } }] }, 'spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive'],
  ])('%s decodes (Go zero value) and fails validation: %s', (_name, spec, message) => {
    const p = PodSchema.parse({ metadata: { name: 'p', namespace: 'default' }, spec });
    podResource.applyDefaults(p);
    expect(podResource.validate(p).map((e) => `${e.field}: ${e.detail}`)).toContain(message);
  });

  it('field selectors read spec and status', () => {
    const p = create(docs('qos-guaranteed.yaml')[0]!).obj as Pod;
    expect(podResource.fieldSelectors!['status.phase']!(p)).toBe('Pending');
    expect(podResource.fieldSelectors!['spec.nodeName']!(p)).toBe('');
    expect(podResource.fieldSelectors!['spec.schedulerName']!(p)).toBe('default-scheduler');
  });
});

describe('QoS class', () => {
  const c = (resources: Record<string, unknown>) => ({ name: 'c', image: 'x', resources });
  it.each([
    [[c({})], 'BestEffort'],
    [[c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } })], 'Guaranteed'],
    [[c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })], 'Burstable'],
    [[c({ limits: { cpu: '1' }, requests: { cpu: '1' } })], 'Burstable'],
    [[c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }), c({})], 'Burstable'],
  ])('%j → %s', (containers, qos) => {
    expect(podQOSClass({ containers } as never)).toBe(qos);
  });
});

describe('binding', () => {
  it.each([
    [{ target: { kind: 'Node', name: 'n1' } }, []],
    [{ target: {} }, ['target.name: Required value']],
    [{ target: { kind: 'Pod', name: 'x' } }, ['target.kind: Invalid value: "Pod": must be empty or \'Node\'']],
  ])('%j → %j', (body, errors) => {
    const b = bindingResource.schema.parse({ metadata: { name: 'p', namespace: 'default' }, ...body });
    expect(bindingResource.validate(b).map((e) => `${e.field}: ${e.detail}`)).toEqual(errors);
  });
  it('is create-only', () => {
    expect(bindingResource.verbs).toEqual(['create']);
  });
});
