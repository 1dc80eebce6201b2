import { describe, expect, it } from 'vitest';
import type { Pod } from './pod.ts';
import { podResource } from './pod.ts';
import type { EphemeralContainer } from './pod-container.ts';
import { ephemeralContainersUpdate } from './pod-ephemeral.ts';

/** A defaulted, stored pod with one app container and one init container. */
function stored(ephemeral: EphemeralContainer[] = [], annotations?: Record<string, string>): Pod {
  const pod = podResource.schema.parse({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', resourceVersion: '5', annotations },
    spec: { nodeName: 'n', initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox' }], volumes: [{ name: 'data', emptyDir: {} }], ephemeralContainers: ephemeral },
  }) as Pod;
  podResource.applyDefaults(pod);
  return pod;
}

/** The subresource's update path as the server runs it: strategy, defaults, validation. */
function update(old: Pod, ephemeral: EphemeralContainer[]): string[] {
  const requested = structuredClone(old);
  requested.spec!.ephemeralContainers = ephemeral;
  const { object } = ephemeralContainersUpdate(requested, old);
  podResource.applyDefaults(object);
  return podResource.validate(object, old, { subresource: 'ephemeralcontainers' }).map((e) => `${e.field}: ${e.detail}`);
}

const debug = (extra: Partial<EphemeralContainer> = {}): EphemeralContainer => ({ name: 'debugger', image: 'busybox', ...extra }) as EphemeralContainer;

describe('ephemeral containers: validation through the subresource (upstream messages)', () => {
  it.each<[string, EphemeralContainer[], string[]]>([
    ['a plain debug container', [debug()], []],
    ['one targeting the app container', [debug({ targetContainerName: 'app' })], []],
    ['one targeting an init container', [debug({ targetContainerName: 'init' })], []],
    ['a target that is no container', [debug({ targetContainerName: 'nope' })], ['spec.ephemeralContainers[0].targetContainerName: Not found: "nope"']],
    ['a name taken by the app container', [debug({ name: 'app' })], ['spec.ephemeralContainers[0].name: Duplicate value: "app"']],
    ['a name taken by an init container', [debug({ name: 'init' })], ['spec.ephemeralContainers[0].name: Duplicate value: "init"']],
    ['two with one name', [debug(), debug()], ['spec.ephemeralContainers[1].name: Duplicate value: "debugger"']],
    ['no image', [debug({ image: '' })], ['spec.ephemeralContainers[0].image: Required value']],
    ['an image with whitespace', [debug({ image: ' busybox' })], ['spec.ephemeralContainers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace']],
    ['a bad name', [debug({ name: 'Debug_1' })], ['spec.ephemeralContainers[0].name: Invalid value: "Debug_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')']],
    ['ports', [debug({ ports: [{ containerPort: 80 }] } as Partial<EphemeralContainer>)], ['spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container']],
    ['resources', [debug({ resources: { limits: { cpu: '1' } } })], ['spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container']],
    ['empty resources', [debug({ resources: {} })], []],
    ['a resize policy', [debug({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] })], ['spec.ephemeralContainers[0].resizePolicy: Forbidden: cannot be set for an Ephemeral Container']],
    ['a restart policy', [debug({ restartPolicy: 'Always' })], ['spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container']],
    ['probes and lifecycle, in upstream order', [debug({ lifecycle: { preStop: { exec: { command: ['true'] } } }, readinessProbe: { exec: { command: ['true'] } }, livenessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] } } } as Partial<EphemeralContainer>)], [
      'spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
    ]],
    ['a volume mount with subPath', [debug({ volumeMounts: [{ name: 'data', mountPath: '/d', subPath: 'x' }] })], ['spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container']],
    ['a volume mount of an unknown volume', [debug({ volumeMounts: [{ name: 'other', mountPath: '/d' }] })], ['spec.ephemeralContainers[0].volumeMounts[0].name: Not found: "other"']],
    ['a bad pull policy', [debug({ imagePullPolicy: 'Sometimes' })], ['spec.ephemeralContainers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']],
  ])('%s', (_name, ephemeral, expected) => {
    expect(update(stored(), ephemeral)).toEqual(expected);
  });

  it('existing ephemeral containers may be neither removed nor changed; more may be added in any order', () => {
    const old = stored([debug()]);
    expect(update(old, [])).toEqual(['spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed\n']);
    const changed = update(old, [debug({ image: 'busybox:2' })]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^spec\.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be changed\n/);
    expect(changed[0]).toContain('image: "busybox" -> "busybox:2"');
    expect(update(old, [debug({ name: 'second' }), old.spec!.ephemeralContainers![0]!])).toEqual([]);
  });

  it('a static pod\'s mirror takes none', () => {
    expect(update(stored([], { 'kubernetes.io/config.mirror': 'abc' }), [debug()])).toEqual([': Forbidden: static pods do not support ephemeral containers']);
  });

  it('a pod is never created with them, and a main-resource update may not change them', () => {
    const pod = stored([debug()]);
    delete pod.metadata.resourceVersion;
    expect(podResource.validate(pod).map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
    const old = stored();
    const next = stored([debug()]);
    const errors = podResource.validate(next, old).map((e) => `${e.field}: ${e.detail}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than /);
  });

  it('the strategy keeps everything of the stored pod but the ephemeral containers', () => {
    const old = stored();
    const requested = structuredClone(old);
    requested.metadata.labels = { sneaky: 'yes' };
    requested.spec!.containers![0]!.image = 'evil';
    requested.spec!.nodeName = 'elsewhere';
    requested.status = { phase: 'Failed' };
    requested.spec!.ephemeralContainers = [debug()];
    requested.metadata.resourceVersion = '4';
    const { object } = ephemeralContainersUpdate(requested, old);
    expect(object.metadata.labels).toBeUndefined();
    expect(object.spec!.containers![0]!.image).toBe('busybox');
    expect(object.spec!.nodeName).toBe('n');
    expect(object.status).toEqual(old.status);
    expect(object.spec!.ephemeralContainers).toEqual([debug()]);
    expect(object.metadata.resourceVersion).toBe('4');
  });
});
