import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, goFieldFacts, hasProtobufMagic, messageNameFor } from './decode.ts';

/** A tiny protobuf writer for building test bodies. */
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const tag = (n: number, wt: number) => varint((n << 3) | wt);
const str = (n: number, s: string | Uint8Array) => {
  const bytes = typeof s === 'string' ? [...Buffer.from(s)] : [...s];
  return [...tag(n, 2), ...varint(bytes.length), ...bytes];
};
const msg = (n: number, body: number[]) => [...tag(n, 2), ...varint(body.length), ...body];
const num = (n: number, v: number | bigint) => [...tag(n, 0), ...varint(v)];
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...msg(1, [...str(1, apiVersion), ...str(2, kind)]), ...msg(2, raw)]);

describe('protobuf request bodies', () => {
  it('maps kinds to upstream message names', () => {
    expect(messageNameFor('v1', 'ConfigMap')).toBe('k8s.io.api.core.v1.ConfigMap');
    expect(messageNameFor('apps/v1', 'Deployment')).toBe('k8s.io.api.apps.v1.Deployment');
    expect(messageNameFor('rbac.authorization.k8s.io/v1', 'Role')).toBe('k8s.io.api.rbac.v1.Role');
    expect(messageNameFor('example.com/v1', 'Widget')).toBeUndefined();
  });

  it('flattens embedded Go structs into their parent, as JSON does (volume sources, object references)', () => {
    // Volume{name, VolumeSource{projected: {sources: [{configMap: {LocalObjectReference{name}, items}}]}}}
    const projection = msg(3, [...msg(1, str(1, 'kube-root-ca.crt')), ...msg(2, [...str(1, 'ca.crt'), ...str(2, 'ca.crt')])]);
    const volume = [...str(1, 'bundle'), ...msg(2, msg(26, msg(1, projection)))];
    // EnvVar{name, valueFrom: {configMapKeyRef: {LocalObjectReference{name}, key}}}
    const env = [...str(1, 'MODE'), ...msg(3, msg(3, [...msg(1, str(1, 'settings')), ...str(2, 'mode')]))];
    const container = [...str(1, 'app'), ...str(2, 'busybox'), ...msg(7, env)];
    const body = envelope('v1', 'Pod', [...msg(1, str(1, 'p')), ...msg(2, [...msg(1, volume), ...msg(2, container)])]);
    expect(decodeProtobufObject(body)).toMatchObject({
      spec: {
        volumes: [{ name: 'bundle', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } }],
        containers: [{ name: 'app', image: 'busybox', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }],
      },
    });
  });

  it('decodes a node.k8s.io/v1 RuntimeClass: handler, overhead quantities, scheduling', () => {
    const podFixed = msg(1, [...str(1, 'cpu'), ...msg(2, str(1, '250m'))]);
    const scheduling = [...msg(1, [...str(1, 'runtime'), ...str(2, 'kata')]), ...msg(2, [...str(1, 'kata'), ...str(2, 'Exists'), ...str(3, ''), ...str(4, 'NoSchedule')])];
    const body = envelope('node.k8s.io/v1', 'RuntimeClass', [...msg(1, str(1, 'kata')), ...str(2, 'kata'), ...msg(3, podFixed), ...msg(4, scheduling)]);
    expect(messageNameFor('node.k8s.io/v1', 'RuntimeClass')).toBe('k8s.io.api.node.v1.RuntimeClass');
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata' },
      handler: 'kata',
      overhead: { podFixed: { cpu: '250m' } },
      scheduling: { nodeSelector: { runtime: 'kata' }, tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }] },
    });
  });

  it('decodes a storage.k8s.io/v1 CSIDriver (pointer bools kept when false) and a VolumeAttachment', () => {
    const spec = [...num(1, 0), ...str(3, 'Persistent'), ...str(5, 'File')];
    const body = envelope('storage.k8s.io/v1', 'CSIDriver', [...msg(1, str(1, 'nfs.csi.k8s.io')), ...msg(2, spec)]);
    expect(messageNameFor('storage.k8s.io/v1', 'CSIDriver')).toBe('k8s.io.api.storage.v1.CSIDriver');
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: 'nfs.csi.k8s.io' },
      spec: { attachRequired: false, volumeLifecycleModes: ['Persistent'], fsGroupPolicy: 'File' },
    });
    const vaSpec = [...str(1, 'ebs.csi.aws.com'), ...msg(2, str(1, 'pv-1')), ...str(3, 'node-1')];
    const va = envelope('storage.k8s.io/v1', 'VolumeAttachment', [...msg(1, str(1, 'csi-1')), ...msg(2, vaSpec)]);
    expect(decodeProtobufObject(va)).toMatchObject({ spec: { attacher: 'ebs.csi.aws.com', source: { persistentVolumeName: 'pv-1' }, nodeName: 'node-1' } });
  });

  it('decodes a flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration: a zero nominalConcurrencyShares (pointer) is kept', () => {
    const queuing = [...num(1, 16), ...num(2, 4), ...num(3, 20)];
    const limited = [...num(1, 0), ...msg(2, [...str(1, 'Queue'), ...msg(2, queuing)])];
    const body = envelope('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', [...msg(1, str(1, 'jail')), ...msg(2, [...str(1, 'Limited'), ...msg(2, limited)])]);
    expect(messageNameFor('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema')).toBe('k8s.io.api.flowcontrol.v1.FlowSchema');
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'PriorityLevelConfiguration',
      metadata: { name: 'jail' },
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 4, queueLengthLimit: 20 } } } },
    });
  });

  it('decodes a ConfigMap as Go would marshal it (empty strings present on the wire are dropped)', () => {
    const meta = [...str(1, 'pb'), ...str(2, ''), ...str(3, ''), ...msg(11, [...str(1, 'app'), ...str(2, 'x')]), ...msg(8, [])];
    const body = envelope('v1', 'ConfigMap', [...msg(1, meta), ...msg(2, [...str(1, 'a'), ...str(2, '1')]), ...msg(2, [...str(1, 'b'), ...str(2, '')])]);
    expect(hasProtobufMagic(body)).toBe(true);
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb', labels: { app: 'x' } }, data: { a: '1', b: '' } });
  });

  it('decodes bytes as base64, pointers keep zero values, Time and IntOrString take their JSON forms', () => {
    const secret = envelope('v1', 'Secret', [...msg(1, str(1, 's')), ...msg(2, [...str(1, 'pw'), ...str(2, 'hunter2')]), ...num(5, 0)]);
    expect(decodeProtobufObject(secret)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { pw: Buffer.from('hunter2').toString('base64') }, immutable: false });

    const port = [...str(1, 'http'), ...str(2, 'TCP'), ...num(3, 80), ...msg(4, [...num(1, 1), ...str(3, 'web')])];
    const service = envelope('v1', 'Service', [...msg(1, [...str(1, 'svc'), ...msg(8, [...num(1, 1700000000)])]), ...msg(2, msg(1, port))]);
    expect(decodeProtobufObject(service)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }] },
    });
  });

  it('flattens embedded inline structs into their parent (Ingress rules as kubectl create ingress sends them)', () => {
    const backend = msg(2, msg(4, [...str(1, 'svc1'), ...msg(2, num(2, 8080))]));
    const path = msg(1, [...str(1, '/bar'), ...str(3, 'Exact'), ...backend]);
    const rule = msg(3, [...str(1, 'foo.com'), ...msg(2, msg(1, path))]);
    const body = envelope('networking.k8s.io/v1', 'Ingress', [...msg(1, str(1, 'simple')), ...msg(2, rule)]);
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'simple' },
      spec: { rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }] },
    });
  });

  it('decodes negative int64 and int32 varints', () => {
    const ns = envelope('v1', 'Namespace', msg(1, [...str(1, 'n'), ...num(10, -1n)]));
    expect(decodeProtobufObject(ns)).toMatchObject({ metadata: { name: 'n', deletionGracePeriodSeconds: -1 } });
  });

  it.each([
    ['no envelope', new Uint8Array([1, 2, 3])],
    ['truncated field', new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x12, 0x50, 0x01])],
    ['unknown kind', envelope('example.com/v1', 'Widget', [])],
  ])('%s throws', (_name, body) => {
    expect(() => decodeProtobufObject(body)).toThrow();
  });
});

describe('goFieldFacts', () => {
  it.each([
    ['apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 'env', 'value'], { struct: 'EnvVar', goType: 'string', fieldPath: 'spec.template.spec.containers.env.value' }],
    ['apps/v1', 'Deployment', ['spec', 'replicas'], { struct: 'DeploymentSpec', goType: 'int32', fieldPath: 'spec.replicas' }],
    ['v1', 'Pod', ['spec', 'containers'], { struct: 'PodSpec', goType: '[]v1.Container', fieldPath: 'spec.containers' }],
    ['v1', 'ConfigMap', ['data'], { struct: 'ConfigMap', goType: 'map[string]string', fieldPath: 'data' }],
    // A map value: Go names the struct holding the map and leaves the key out of the path.
    ['apps/v1', 'Deployment', ['spec', 'template', 'metadata', 'labels', 'app'], { struct: 'ObjectMeta', goType: 'string', fieldPath: 'spec.template.metadata.labels' }],
    ['v1', 'Pod', ['spec', 'containers', 'resources', 'limits', 'cpu'], { struct: 'ResourceRequirements', goType: 'resource.Quantity', fieldPath: 'spec.containers.resources.limits' }],
    // An item of a list: its element type; Go's path leaves the index out.
    ['v1', 'Pod', ['spec', 'containers', 0, 'command', 1], { struct: 'Container', goType: 'string', fieldPath: 'spec.containers.command' }],
    ['v1', 'Pod', ['spec', 'containers', 0], { struct: 'PodSpec', goType: 'v1.Container', fieldPath: 'spec.containers' }],
    // Members of an embedded struct (Probe's ProbeHandler, Volume's VolumeSource) are the outer struct's.
    ['batch/v1', 'Job', ['spec', 'template', 'spec', 'initContainers', 0, 'readinessProbe', 'exec', 'command', 0], { struct: 'ExecAction', goType: 'string', fieldPath: 'spec.template.spec.initContainers.readinessProbe.exec.command' }],
    ['v1', 'Pod', ['spec', 'containers', 0, 'livenessProbe', 'httpGet'], { struct: 'Probe', goType: 'v1.HTTPGetAction', fieldPath: 'spec.containers.livenessProbe.httpGet' }],
    ['v1', 'Pod', ['spec', 'volumes', 0, 'hostPath', 'path'], { struct: 'HostPathVolumeSource', goType: 'string', fieldPath: 'spec.volumes.hostPath.path' }],
    ['v1', 'ConfigMap', ['nothing'], undefined],
  ])('%s %s %j', (apiVersion, kind, path, expected) => {
    expect(goFieldFacts(apiVersion, kind, path)).toEqual(expected);
  });
});
