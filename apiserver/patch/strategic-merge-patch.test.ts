import { describe, expect, it } from 'vitest';
import type { PatchMeta } from '../../pkg/api/resource.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import type { JsonObject } from './json-value.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

/** Example metadata as the kinds define it (pod template under a Deployment, plus a Service). */
function podSpecMeta(prefix: string): PatchMeta {
  return {
    [`${prefix}.containers`]: { strategy: 'merge', mergeKey: 'name' },
    [`${prefix}.containers[].ports`]: { strategy: 'merge', mergeKey: 'containerPort' },
    [`${prefix}.containers[].env`]: { strategy: 'merge', mergeKey: 'name' },
    [`${prefix}.containers[].volumeMounts`]: { strategy: 'merge', mergeKey: 'mountPath' },
    [`${prefix}.volumes`]: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  };
}
const META: PatchMeta = {
  'metadata.finalizers': { strategy: 'merge' },
  'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
  'spec.strategy': { strategy: 'retainKeys' },
  ...podSpecMeta('spec.template.spec'),
  'status.conditions': { strategy: 'merge', mergeKey: 'type' },
};
const SERVICE_META: PatchMeta = { 'spec.ports': { strategy: 'merge', mergeKey: 'port' } };
const NODE_META: PatchMeta = { 'spec.taints': { strategy: 'merge', mergeKey: 'key' } };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' }, finalizers: ['a.io/x', 'b.io/y'], annotations: { [LAST_APPLIED]: '{"old":true}' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.7',
              args: ['-a', '-b'],
              ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
            },
            { name: 'sidecar', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
    status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] },
  };
}

type Dep = ReturnType<typeof deployment> & Record<string, any>;
const podSpec = (d: Dep) => d.spec.template.spec;

function smp(patch: unknown, original: JsonObject = deployment(), meta: PatchMeta = META): Dep {
  return applyStrategicMergePatch(original, patch as JsonObject, meta) as Dep;
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('strategic merge patch: what kubectl sends', () => {
  it('kubectl set image merges the container by name and keeps the rest', () => {
    const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.9' }] } } } });
    expect(podSpec(out).containers.map((c: any) => [c.name, c.image])).toEqual([['nginx', 'nginx:1.9'], ['sidecar', 'busybox']]);
    expect(podSpec(out).containers[0].ports).toHaveLength(2);
  });

  it('kubectl apply (client side) update: data and the last-applied annotation', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', annotations: { [LAST_APPLIED]: '{"data":{"a":"1"}}' } }, data: { a: '1', b: 'x' } };
    const lastApplied = '{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"demo","namespace":"default"}}\n';
    const out = smp({ data: { a: '2' }, metadata: { annotations: { [LAST_APPLIED]: lastApplied } } }, cm, {});
    expect(out).toEqual({ ...cm, data: { a: '2', b: 'x' }, metadata: { name: 'demo', annotations: { [LAST_APPLIED]: lastApplied } } });
  });

  it('kubectl apply removing a container that was in last-applied ($patch: delete + $setElementOrder)', () => {
    const out = smp({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } },
    });
    expect(podSpec(out).containers.map((c: any) => c.name)).toEqual(['nginx']);
  });

  it('kubectl apply removing a port and an env var of a kept container', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'B' }],
                '$setElementOrder/ports': [{ containerPort: 443 }],
                name: 'nginx',
                env: [{ $patch: 'delete', name: 'A' }],
                ports: [{ $patch: 'delete', containerPort: 80 }],
              },
            ],
          },
        },
      },
    });
    const nginx = podSpec(out).containers[0];
    expect(nginx.env).toEqual([{ name: 'B', value: '2' }]);
    expect(nginx.ports).toEqual([{ containerPort: 443, protocol: 'TCP' }]);
  });

  it('kubectl apply adding a container where $setElementOrder puts it', () => {
    const out = smp({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'init' }, { name: 'nginx' }, { name: 'sidecar' }], containers: [{ name: 'init', image: 'alpine' }] } } },
    });
    expect(podSpec(out).containers.map((c: any) => c.name)).toEqual(['init', 'nginx', 'sidecar']);
  });

  it('$setElementOrder reorders existing items without changing them', () => {
    const out = smp({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } } } });
    expect(podSpec(out).containers.map((c: any) => c.name)).toEqual(['sidecar', 'nginx']);
    expect(podSpec(out).containers[1]).toEqual(podSpec(deployment() as Dep).containers[0]);
  });

  it('kubectl rollout restart sets a template annotation', () => {
    const out = smp({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' } } } } });
    expect(out.spec.template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' } });
  });

  it('kubectl cordon sets spec.unschedulable', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } };
    expect(smp({ spec: { unschedulable: true } }, node, NODE_META).spec).toEqual({ podCIDR: '10.0.0.0/24', unschedulable: true });
    expect(smp({ spec: { unschedulable: null } }, { ...node, spec: { unschedulable: true } }, NODE_META).spec).toEqual({});
  });

  it('kubectl apply changing the rollout strategy clears rollingUpdate via $retainKeys', () => {
    const out = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('kubectl apply switching a volume source keeps only the retained keys of the volume', () => {
    const out = smp({ spec: { template: { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'cm' } }] } } } });
    expect(podSpec(out).volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('kubectl apply removing a finalizer uses $deleteFromPrimitiveList', () => {
    const out = smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x'] } });
    expect(out.metadata.finalizers).toEqual(['b.io/y']);
  });

  it('kubectl label --overwrite style null removes a label', () => {
    expect(smp({ metadata: { labels: { tier: null } } }).metadata.labels).toEqual({ app: 'web' });
  });

  it('status patch merges conditions by type (kubelet / controllers)', () => {
    const out = smp({ status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'Stuck' }, { type: 'ReplicaFailure', status: 'True' }] } });
    expect(out.status.conditions).toEqual([
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'False', reason: 'Stuck' },
      { type: 'ReplicaFailure', status: 'True' },
    ]);
  });

  it('Service ports merge by port', () => {
    const svc = { kind: 'Service', spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } };
    expect(smp({ spec: { ports: [{ port: 80, targetPort: 9090 }] } }, svc, SERVICE_META).spec.ports).toEqual([
      { port: 80, targetPort: 9090 },
      { port: 443, targetPort: 8443 },
    ]);
  });

  it('ownerReferences merge by uid', () => {
    const obj = { metadata: { ownerReferences: [{ uid: 'u1', name: 'a' }] } };
    // Upstream puts items the patch names before live-only items they do not follow.
    expect(smp({ metadata: { ownerReferences: [{ uid: 'u2', name: 'b' }] } }, obj).metadata.ownerReferences).toEqual([
      { uid: 'u2', name: 'b' },
      { uid: 'u1', name: 'a' },
    ]);
    expect(smp({ metadata: { ownerReferences: [{ uid: 'u1', name: 'A' }] } }, obj).metadata.ownerReferences).toEqual([{ uid: 'u1', name: 'A' }]);
  });
});

describe('strategic merge patch: semantics', () => {
  it.each<[string, unknown, (d: Dep) => unknown, unknown]>([
    ['lists without metadata are replaced', { spec: { template: { spec: { containers: [{ name: 'nginx', args: ['-c'] }] } } } }, (d) => podSpec(d).containers[0].args, ['-c']],
    ['maps merge recursively', { metadata: { labels: { extra: 'y' } } }, (d) => d.metadata.labels, { app: 'web', tier: 'fe', extra: 'y' }],
    ['null deletes a field', { spec: { replicas: null } }, (d) => 'replicas' in d.spec, false],
    ['scalars replace', { spec: { replicas: 5 } }, (d) => d.spec.replicas, 5],
    ['a new field is added with its null members dropped', { spec: { paused: true, selector: { matchLabels: { app: 'web', x: null } } } }, (d) => d.spec.selector, { matchLabels: { app: 'web' } }],
    ['primitive merge lists are unions', { metadata: { finalizers: ['c.io/z', 'a.io/x'] } }, (d) => d.metadata.finalizers, ['c.io/z', 'a.io/x', 'b.io/y']],
    ['new primitive merge list is taken as sent', { spec: { template: { metadata: { finalizers: ['x', 'x'] } } } }, (d) => d.spec.template.metadata.finalizers, ['x', 'x']],
    ['new merge-list items come first without $setElementOrder (upstream order)', { spec: { template: { spec: { containers: [{ name: 'c3', image: 'i' }] } } } }, (d) => podSpec(d).containers.map((c: any) => c.name), ['c3', 'nginx', 'sidecar']],
    ['patch order wins for items it names', { spec: { template: { spec: { containers: [{ name: 'sidecar' }, { name: 'nginx' }] } } } }, (d) => podSpec(d).containers.map((c: any) => c.name), ['sidecar', 'nginx']],
    ['nested merge list inside a merged item', { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 8080 }] }] } } } }, (d) => podSpec(d).containers[0].ports.map((p: any) => p.containerPort), [8080, 80, 443]],
    ['$patch: replace on a map replaces it', { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } }, (d) => d.spec.strategy, { type: 'Recreate' }],
    ['$patch: delete on a map empties it', { metadata: { labels: { $patch: 'delete' } } }, (d) => d.metadata.labels, {}],
    ['$patch: replace on a missing map drops the field', { spec: { template: { spec: { nodeSelector: { $patch: 'replace', a: 'b' } } } } }, (d) => 'nodeSelector' in podSpec(d), false],
    ['$patch: replace item in a merge list replaces the list', { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } }, (d) => podSpec(d).containers, [{ name: 'only', image: 'x' }]],
    ['$patch: delete of an absent item is a no-op', { spec: { template: { spec: { containers: [{ name: 'ghost', $patch: 'delete' }] } } } }, (d) => podSpec(d).containers.length, 2],
    ['$deleteFromPrimitiveList of absent items is a no-op', { metadata: { '$deleteFromPrimitiveList/finalizers': ['nope'] } }, (d) => d.metadata.finalizers, ['a.io/x', 'b.io/y']],
    ['$deleteFromPrimitiveList of a missing list adds nothing', { spec: { '$deleteFromPrimitiveList/other': ['x'] } }, (d) => 'other' in d.spec, false],
    ['$deleteFromPrimitiveList works on a non-merge list too', { spec: { template: { spec: { containers: [{ name: 'nginx', '$deleteFromPrimitiveList/args': ['-a'] }] } } } }, (d) => podSpec(d).containers[0].args, ['-b']],
    ['$setElementOrder on a primitive list', { metadata: { '$setElementOrder/finalizers': ['b.io/y', 'a.io/x'] } }, (d) => d.metadata.finalizers, ['b.io/y', 'a.io/x']],
    ['$setElementOrder keeps server-only items near their neighbours', { metadata: { '$setElementOrder/finalizers': ['b.io/y', 'n.io/new'], finalizers: ['n.io/new'] } }, (d) => d.metadata.finalizers, ['a.io/x', 'b.io/y', 'n.io/new']],
    ['type change replaces the value', { spec: { template: { spec: { containers: { name: 'x' } } } } }, (d) => podSpec(d).containers, { name: 'x' }],
    ['directive items are removed from a value that replaces', { spec: { newList: [{ a: 1 }, { $patch: 'delete', a: 2 }] } }, (d) => d.spec.newList, [{ a: 1 }]],
    ['$retainKeys keeps listed fields only', { metadata: { $retainKeys: ['name', 'labels'], labels: { x: 'y' } } }, (d) => d.metadata, { name: 'web', labels: { app: 'web', tier: 'fe', x: 'y' } }],
  ])('%s', (_name, patch, pick, expected) => {
    expect(pick(smp(patch))).toEqual(expected);
  });

  it('merges unions of primitives with upstream ordering (patch items first, live-only after)', () => {
    const obj = { metadata: { finalizers: ['a', 'b'] } };
    expect(smp({ metadata: { finalizers: ['a', 'c'] } }, obj).metadata.finalizers).toEqual(['a', 'c', 'b']);
  });

  it('orders as upstream when items are deleted and added under $setElementOrder', () => {
    const obj = { spec: { template: { spec: { containers: [{ name: 'c1' }, { name: 'c2', image: 'b' }, { name: 'c4', image: 'c' }] } } } };
    const out = smp(
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c3' }], containers: [{ name: 'c3' }, { name: 'c1', $patch: 'delete' }] } } } },
      obj,
    );
    expect(podSpec(out).containers).toEqual([{ name: 'c2', image: 'b' }, { name: 'c4', image: 'c' }, { name: 'c3' }]);
  });

  it('a null patch changes nothing', () => {
    expect(applyStrategicMergePatch(deployment(), null, META)).toEqual(deployment());
  });

  it('never modifies its inputs and shares no references with them', () => {
    const original = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'new', image: 'x', env: [{ name: 'E', value: 'v' }] }] } } }, metadata: { labels: { l: 'v' } } };
    const patchCopy = structuredClone(patch);
    const out = smp(patch, original);
    expect(original).toEqual(deployment());
    expect(patch).toEqual(patchCopy);
    expect(podSpec(out).containers[2]).not.toBe(patch.spec.template.spec.containers[0]);
    expect(podSpec(out).volumes).not.toBe(podSpec(original as Dep).volumes);
    expect(out.status).not.toBe(original.status);
  });
});

describe('strategic merge patch: misused directives fail with upstream\'s texts, as 400s', () => {
  it.each<[string, unknown, number, string, string]>([
    ['list item without its merge key', { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } }, 400, 'BadRequest', 'map: map[image:nginx] does not contain declared merge key: name'],
    ['$patch: delete item without merge key', { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }, 400, 'BadRequest', 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['$patch: merge in a list', { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'x' }] } } } }, 400, 'BadRequest', 'merging lists cannot yet be specified in the patch'],
    ['unknown $patch in a list', { spec: { template: { spec: { containers: [{ $patch: 'nuke', name: 'x' }] } } } }, 400, 'BadRequest', 'unknown patch type: nuke in map: map[$patch:nuke name:x]'],
    ['$patch: merge on a map', { metadata: { labels: { $patch: 'merge' } } }, 400, 'BadRequest', 'unknown patch type: merge in map: map[$patch:merge]'],
    ['mixed item types in a merge list', { metadata: { finalizers: [1] } }, 400, 'BadRequest', 'list element types are not identical: [[a.io/x b.io/y] [1]]'],
    ['$retainKeys not a list', { spec: { strategy: { $retainKeys: 'type' } } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['patch field missing from $retainKeys', { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['$deleteFromPrimitiveList without field', { metadata: { $deleteFromPrimitiveList: ['x'] } }, 400, 'BadRequest', 'invalid patch format of primitive list'],
    ['$setElementOrder without field', { metadata: { $setElementOrderX: ['x'] } }, 400, 'BadRequest', 'invalid patch format of setElementOrder list'],
    ['$setElementOrder not a list', { metadata: { '$setElementOrder/finalizers': 'x' } }, 400, 'BadRequest', 'expected a []interface {}, but received a string'],
    ['$setElementOrder missing a patch item', { metadata: { '$setElementOrder/finalizers': ['a.io/x'], finalizers: ['z'] } }, 400, 'BadRequest', "The order in patch list:\n[z]\n doesn't match $setElementOrder list:\n[a.io/x]\n"],
  ])('%s', (_name, patch, code, reason, message) => {
    const err = errorOf(() => smp(patch));
    expect([err.code, err.reason, err.message]).toEqual([code, reason, message]);
  });

  it('merging lists of lists is 422', () => {
    const original = { metadata: { finalizers: [['a']] } };
    const err = errorOf(() => smp({ metadata: { finalizers: [['b']] } }, original));
    expect([err.code, err.reason, err.message]).toEqual([422, 'Invalid', 'the server rejected our request due to an error in our request']);
  });
});
