import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../pkg/workqueue/index.ts';
import { Cache } from '../cache/cache.ts';
import { Snapshot } from '../cache/snapshot.ts';
import { podHandlers } from '../event-handlers.ts';
import { ActionType, type ClusterEvent } from './events.ts';
import { podRequests } from './resource.ts';
import type { NodeObject, PodObject } from './types.ts';

type Status = { requests?: Record<string, string>; allocated?: Record<string, string>; noResources?: boolean };

/** A bound pod whose container `app` (and sidecar `proxy`, when given) asks `spec` and reports `status`. */
function pod(spec: Record<string, string>, status?: Status, opts: { infeasible?: boolean; sidecar?: { spec: Record<string, string>; status?: Status }; plainInit?: Record<string, string> } = {}): PodObject {
  const containerStatus = (name: string, s: Status | undefined) =>
    s && { name, ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} }, allocatedResources: s.allocated, resources: s.noResources ? undefined : { requests: s.requests } };
  const initContainers = [
    ...(opts.sidecar ? [{ name: 'proxy', image: 'x', restartPolicy: 'Always', resources: { requests: opts.sidecar.spec } }] : []),
    ...(opts.plainInit ? [{ name: 'setup', image: 'x', resources: { requests: opts.plainInit } }] : []),
  ];
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'uid-p' },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x', resources: { requests: spec } }], initContainers },
    status: {
      phase: 'Running',
      conditions: opts.infeasible ? [{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }] : [{ type: 'PodResizePending', status: 'True', reason: 'Deferred' }],
      containerStatuses: [containerStatus('app', status)].filter(Boolean),
      initContainerStatuses: [opts.sidecar && containerStatus('proxy', opts.sidecar.status), opts.plainInit && containerStatus('setup', { requests: { cpu: '8' } })].filter(Boolean),
    },
  } as PodObject;
}

describe('podRequests during an in-place resize (upstream 1.33 UseStatusResources)', () => {
  it.each<[string, PodObject, number, number]>([
    ['no status yet: the spec', pod({ cpu: '1', memory: '1Gi' }), 1000, 1024 ** 3],
    ['status without resources (old kubelet): the spec', pod({ cpu: '1' }, { requests: { cpu: '4' }, allocated: { cpu: '4' }, noResources: true }), 1000, 0],
    ['resize up pending: the new spec wins', pod({ cpu: '2', memory: '1Gi' }, { requests: { cpu: '1', memory: '1Gi' }, allocated: { cpu: '1', memory: '1Gi' } }), 2000, 1024 ** 3],
    ['resize down not yet applied: the running requests win', pod({ cpu: '500m' }, { requests: { cpu: '1' }, allocated: { cpu: '500m' } }), 1000, 0],
    ['resize down admitted, allocated still higher', pod({ cpu: '500m' }, { requests: { cpu: '500m' }, allocated: { cpu: '750m' } }), 750, 0],
    ['per resource, each its own maximum', pod({ cpu: '2', memory: '1Gi' }, { requests: { cpu: '1', memory: '2Gi' }, allocated: { cpu: '1', memory: '2Gi' } }), 2000, 2 * 1024 ** 3],
    ['Infeasible: the spec is ignored', pod({ cpu: '64' }, { requests: { cpu: '1' }, allocated: { cpu: '1' } }, { infeasible: true }), 1000, 0],
    ['a sidecar counts its status too', pod({ cpu: '1' }, undefined, { sidecar: { spec: { cpu: '100m' }, status: { requests: { cpu: '300m' }, allocated: { cpu: '300m' } } } }), 1300, 0],
    ['a plain init container never does', pod({ cpu: '1' }, undefined, { plainInit: { cpu: '2' } }), 2000, 0],
  ])('%s', (_name, p, cpu, memory) => {
    const r = podRequests(p);
    expect([r.milliCPU, r.memory]).toEqual([cpu, memory]);
  });

  it('non-zero requests (scoring) use the same maximum', () => {
    const r = podRequests(pod({}, { requests: { cpu: '3' }, allocated: {} }), { nonZero: true });
    expect([r.milliCPU, r.memory]).toEqual([3000, 200 * 1024 * 1024]);
  });
});

describe('a bound pod resized in place, through the informer handlers', () => {
  const node = { metadata: { name: 'n1' }, status: { allocatable: { cpu: '8', memory: '8Gi', pods: '110' } } } as NodeObject;

  function setup() {
    const cache = new Cache({ clock: new FakeClock() });
    const events: ClusterEvent[] = [];
    const queue = { moveAllToActiveOrBackoffQueue: (e: ClusterEvent) => events.push(e), add: () => {}, delete: () => {}, update: () => {} };
    const handlers = podHandlers({ cache, queue: queue as never, responsibleFor: () => true, onPodGone: () => {} });
    cache.addNode(node);
    const requested = () => {
      const snap = new Snapshot();
      cache.updateSnapshot(snap);
      return snap.get('n1')!.requested.milliCPU;
    };
    return { handlers, events, requested };
  }

  it('the cache counts the new requests, and a scale-down (once applied) requeues pods', () => {
    const { handlers, events, requested } = setup();
    const before = pod({ cpu: '2' }, { requests: { cpu: '2' }, allocated: { cpu: '2' } });
    handlers.onAdd(before);
    expect(requested()).toBe(2000);
    const up = pod({ cpu: '4' }, { requests: { cpu: '2' }, allocated: { cpu: '2' } });
    handlers.onUpdate(before, up);
    expect(requested()).toBe(4000);
    expect(events.at(-1)!.actionType & ActionType.UpdatePodScaleDown).toBe(0);
    const downPending = pod({ cpu: '1' }, { requests: { cpu: '2' }, allocated: { cpu: '2' } });
    handlers.onUpdate(up, downPending);
    expect(requested()).toBe(2000);
    const downApplied = pod({ cpu: '1' }, { requests: { cpu: '1' }, allocated: { cpu: '1' } });
    handlers.onUpdate(downPending, downApplied);
    expect(requested()).toBe(1000);
    expect(events.at(-1)!.actionType & ActionType.UpdatePodScaleDown).toBe(ActionType.UpdatePodScaleDown);
  });
});
