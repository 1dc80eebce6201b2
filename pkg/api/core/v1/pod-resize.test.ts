import { describe, expect, it } from 'vitest';
import type { Pod } from './pod.ts';
import { podResource } from './pod.ts';
import type { Container } from './pod-container.ts';
import { podResizeUpdate, RESIZE } from './pod-resize.ts';
import { POD_UPDATE_MESSAGE } from './pod-update.ts';

type Resources = Container['resources'];

/** A created (defaulted, status with its QoS class) pod; `extra` is merged into the raw object. */
function created(spec: Record<string, unknown>, extra: { annotations?: Record<string, string>; status?: Record<string, unknown> } = {}): Pod {
  const pod = podResource.schema.parse({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', resourceVersion: '5', annotations: extra.annotations }, spec: { nodeName: 'n', ...spec } }) as Pod;
  podResource.prepareForCreate!(pod);
  podResource.applyDefaults(pod);
  if (extra.status) pod.status = { ...pod.status, ...extra.status };
  return pod;
}

const app = (resources: Resources, more: Partial<Container> = {}): Container => ({ name: 'app', image: 'busybox', resources, ...more }) as Container;
const burstable: Resources = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
const guaranteed: Resources = { requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } };

/** A Burstable pod: app, a sidecar `proxy` and a plain init container `setup`. */
const withInits = (appMore: Partial<Container> = {}) => created({
  initContainers: [
    { name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
    { name: 'setup', image: 'busybox', resources: { requests: { cpu: '50m' } } },
  ],
  containers: [app(burstable, appMore)],
});

/** The subresource's update path as the server runs it (strategy, defaults, validation): `field: detail` lines. */
function resize(old: Pod, change: (requested: Pod) => void): string[] {
  const requested = structuredClone(old);
  change(requested);
  const { object } = podResizeUpdate(requested, old);
  podResource.applyDefaults(object);
  return podResource.validate(object, old, { subresource: RESIZE }).map((e) => `${e.field}: ${e.detail}`);
}

const setApp = (resources: Resources) => (p: Pod) => { p.spec!.containers![0]!.resources = resources; };

describe('pods/resize validation (upstream 1.33 ValidatePodResize)', () => {
  it.each<[string, Pod, (p: Pod) => void, string[]]>([
    ['raising cpu request and limit', withInits(), setApp({ requests: { cpu: '800m', memory: '128Mi' }, limits: { cpu: '2', memory: '256Mi' } }), []],
    ['raising the memory limit', withInits(), setApp({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } }), []],
    ['lowering the memory request', withInits(), setApp({ requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } }), []],
    ['the same memory limit written otherwise', withInits(), setApp({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '0.25Gi' } }), []],
    ['lowering the memory limit', withInits(), setApp({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '200Mi' } }),
      ['spec.containers[0].resources.limits[memory]: Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer']],
    ['lowering the memory limit with memory policy RestartContainer', withInits({ resizePolicy: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }] }),
      setApp({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '200Mi' } }), []],
    ['removing the cpu request and limit', withInits(), setApp({ requests: { memory: '128Mi' }, limits: { memory: '256Mi' } }),
      ['spec.containers[0].resources.requests: Forbidden: resource requests cannot be removed', 'spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed']],
    ['adding an ephemeral-storage request', withInits(), setApp({ requests: { cpu: '500m', memory: '128Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '256Mi' } }),
      ['spec: Forbidden: only cpu and memory resources are mutable']],
    ['changing the resizePolicy', withInits(), (p) => { p.spec!.containers![0]!.resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }]; },
      ['spec: Forbidden: only cpu and memory resources are mutable']],
    ['raising the sidecar\'s cpu request', withInits(), (p) => { p.spec!.initContainers![0]!.resources = { requests: { cpu: '300m' } }; }, []],
    ['adding a memory limit to the sidecar', withInits(), (p) => { p.spec!.initContainers![0]!.resources = { requests: { cpu: '100m' }, limits: { memory: '1Gi' } }; },
      ['spec.initContainers[0].resources.limits[memory]: Forbidden: memory limits cannot be added unless resizePolicy is RestartContainer']],
    ['changing a plain init container', withInits(), (p) => { p.spec!.initContainers![1]!.resources = { requests: { cpu: '60m' } }; },
      ['spec: Forbidden: resources for non-sidecar init containers are immutable']],
    ['Burstable becoming Guaranteed', created({ containers: [app(burstable)] }), setApp(guaranteed),
      ['spec: Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing']],
    ['Guaranteed changing only its cpu limit', created({ containers: [app(guaranteed)] }), setApp({ requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '2', memory: '256Mi' } }),
      ['spec: Invalid value: "Guaranteed": Pod QOS Class may not change as a result of resizing']],
    ['Guaranteed moving requests and limits together', created({ containers: [app(guaranteed)] }), setApp({ requests: { cpu: '2', memory: '256Mi' }, limits: { cpu: '2', memory: '256Mi' } }), []],
    ['BestEffort asking for memory', created({ containers: [app(undefined)] }), setApp({ requests: { memory: '40Mi' } }),
      ['spec: Invalid value: "BestEffort": Pod QOS Class may not change as a result of resizing']],
    ['a renamed container', created({ containers: [app(burstable)] }), (p) => { p.spec!.containers![0]!.name = 'other'; },
      ['spec.containers[0].name: Forbidden: containers may not be renamed or reordered on resize']],
    ['an added container', created({ containers: [app(burstable)] }), (p) => { p.spec!.containers!.push(app(burstable, { name: 'two' })); },
      ['spec.containers: Forbidden: containers may not be added or removed on resize']],
    ['a static pod\'s mirror', created({ containers: [app(burstable)] }, { annotations: { 'kubernetes.io/config.mirror': 'x' } }), setApp(burstable),
      [': Forbidden: static pods cannot be resized']],
    ['a Windows pod', created({ os: { name: 'windows' }, containers: [app(burstable)] }), setApp(burstable), [': Forbidden: windows pods cannot be resized']],
    ['a pod with pod-level resources', created({ resources: { requests: { cpu: '1' } }, containers: [app(burstable)] }), setApp(burstable),
      [': Forbidden: pods with pod-level resources cannot be resized']],
    ['a running pod whose node reports no status resources', created({ containers: [app(burstable)] }, { status: { containerStatuses: [{ name: 'app', state: { running: {} } }] } }), setApp(burstable),
      ['spec: Forbidden: Pod running on node without support for resize']],
    ['a running pod whose node reports them', created({ containers: [app(burstable)] }, { status: { containerStatuses: [{ name: 'app', state: { running: {} }, resources: burstable }] } }), setApp(burstable), []],
  ])('%s', (_name, old, change, expected) => {
    expect(resize(old, change)).toEqual(expected);
  });
});

describe('pods/resize strategy (upstream 1.33 podResizeStrategy)', () => {
  it('takes only resources and resizePolicy of the request; image, metadata and status stay as stored', () => {
    const old = withInits();
    const requested = structuredClone(old);
    const c = requested.spec!.containers![0]!;
    c.image = 'evil';
    c.resources = { requests: { cpu: '2' }, limits: { cpu: '3' } };
    c.resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }];
    requested.spec!.initContainers![1]!.command = ['rm', '-rf'];
    requested.spec!.nodeName = 'elsewhere';
    requested.metadata = { ...requested.metadata, labels: { sneaky: 'yes' }, resourceVersion: '4' };
    requested.status = { phase: 'Failed' };
    const { object, errors } = podResizeUpdate(requested, old);
    expect(errors).toEqual([]);
    expect(object.spec!.containers![0]).toEqual({ ...old.spec!.containers![0], resources: c.resources, resizePolicy: c.resizePolicy });
    expect(object.spec!.initContainers).toEqual(old.spec!.initContainers);
    expect(object.spec!.nodeName).toBe('n');
    expect(object.metadata.labels).toBeUndefined();
    expect(object.metadata.resourceVersion).toBe('4');
    expect(object.status).toEqual(old.status);
  });

  it('a request without resources clears them (validation then refuses the removal)', () => {
    expect(resize(withInits(), (p) => { delete p.spec!.containers![0]!.resources; })).toEqual([
      'spec.containers[0].resources.requests: Forbidden: resource requests cannot be removed',
      'spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed',
    ]);
  });
});

describe('resources outside pods/resize', () => {
  it('a plain pod update changing resources is refused with upstream 1.33\'s message', () => {
    const old = withInits();
    const next = structuredClone(old);
    next.spec!.containers![0]!.resources = { requests: { cpu: '2', memory: '128Mi' }, limits: { cpu: '2', memory: '256Mi' } };
    expect(podResource.validate(next, old).map((e) => `${e.field}: ${e.detail}`)).toEqual([`spec: Forbidden: ${POD_UPDATE_MESSAGE}`]);
  });
});

describe('resize fields in the Pod schema', () => {
  it('pass through decoding unchanged (resizePolicy, status resources, resize conditions, deprecated status.resize)', () => {
    const resources = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };
    const status = (name: string) => ({ name, ready: true, restartCount: 0, image: 'busybox', imageID: 'sha256:1', allocatedResources: { cpu: '500m', memory: '128Mi' }, resources });
    const raw = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources, resizePolicy: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }] }],
        containers: [{ name: 'app', image: 'busybox', resources, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
      },
      status: {
        resize: 'InProgress',
        conditions: [
          { type: 'PodResizePending', status: 'True', reason: 'Deferred', message: 'Node didn\'t have enough capacity: cpu, requested: 8000, capacity: 4000' },
          { type: 'PodResizeInProgress', status: 'True', observedGeneration: 2 },
        ],
        containerStatuses: [status('app')],
        initContainerStatuses: [status('proxy')],
      },
    };
    expect(podResource.schema.parse(structuredClone(raw))).toEqual(raw);
  });
});
