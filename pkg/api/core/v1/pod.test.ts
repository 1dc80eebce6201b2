import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { builtinFor } from '../../builtin.ts';
import type { KubeObject } from '../../meta.ts';
import type { ResourceInfo } from '../../resource.ts';
import { type Pod, PodSchema, podResource } from './pod.ts';
import { defaultImagePullPolicy } from './pod-defaults.ts';
import { podQOSClass } from './pod-status.ts';
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
  it.each(['my-nginx-app.yaml', 'qos-burstable.yaml', 'qos-guaranteed.yaml', 'downward-api-env.yaml', 'web-site-two-containers.yaml', 'whoami.yaml', 'flask-redis-nginx/flaskapp.yaml', 'flask-redis-nginx/nginx.yaml', 'flask-redis-nginx/redis.yaml'])(
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
    [{ containers: [{ image: 'x' }] }, 'spec.containers[0].name: Required value'],
    [{ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }, 'spec.containers[1].name: Duplicate value: "c"'],
    [{ containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Sometimes' }, 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'],
    [{ containers: [{ name: 'c', image: 'x' }], dnsPolicy: 'Foo' }, 'spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'],
    [{ containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Sometimes' }] }, 'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    [{ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] }, 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    [{ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v' }] }] }, 'spec.containers[0].volumeMounts[0].name: Not found: "v"'],
  ])('%j → %s', (spec, message) => {
    expect(base(spec)).toContain(message);
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
