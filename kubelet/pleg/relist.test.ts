import { describe, expect, it } from 'vitest';
import type { RuntimePod } from '../runtime/types.ts';
import { RelistTracker } from './relist.ts';

function pod(uid: string, sandbox: 'ready' | 'notready', containers: Array<[string, 'running' | 'exited']>): RuntimePod {
  return {
    uid,
    name: uid,
    namespace: 'default',
    sandboxes: [{ id: `sb-${uid}`, state: sandbox }] as RuntimePod['sandboxes'],
    containers: containers.map(([id, state]) => ({ id, state })) as RuntimePod['containers'],
  };
}

describe('RelistTracker', () => {
  it('reports every pod on the first relist and nothing when the runtime did not change', () => {
    const pleg = new RelistTracker();
    expect(pleg.next([pod('a', 'ready', [['c1', 'running']]), pod('b', 'ready', [])])).toEqual({ changed: ['a', 'b'], gone: [] });
    expect(pleg.next([pod('a', 'ready', [['c1', 'running']]), pod('b', 'ready', [])])).toEqual({ changed: [], gone: [] });
  });

  it('reports a container state change, a new container, a sandbox change and a pod that went', () => {
    const pleg = new RelistTracker();
    pleg.next([pod('a', 'ready', [['c1', 'running']]), pod('b', 'ready', []), pod('c', 'ready', []), pod('d', 'ready', [])]);
    const next = pleg.next([pod('a', 'ready', [['c1', 'exited']]), pod('b', 'ready', [['c2', 'running']]), pod('c', 'notready', [])]);
    expect(next).toEqual({ changed: ['a', 'b', 'c'], gone: ['d'] });
    expect(pleg.next([])).toEqual({ changed: [], gone: ['a', 'b', 'c'] });
  });

  it('takes the runtime listing the same containers in another order as no change', () => {
    const pleg = new RelistTracker();
    pleg.next([pod('a', 'ready', [['c1', 'exited'], ['c2', 'exited'], ['c3', 'exited']])]);
    expect(pleg.next([pod('a', 'ready', [['c3', 'exited'], ['c1', 'exited'], ['c2', 'exited']])])).toEqual({ changed: [], gone: [] });
  });
});
