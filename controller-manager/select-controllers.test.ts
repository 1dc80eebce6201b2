import { describe, expect, it } from 'vitest';
import { BUILTIN_CONTROLLERS } from './controllers/index.ts';
import type { ControllerDescriptor } from './controllers/types.ts';
import { selectControllers } from './select-controllers.ts';

const d = (name: string, enabledByDefault = true): ControllerDescriptor => ({ name, enabledByDefault, register: () => {} });
const REGISTRY = [d('replicaset'), d('deployment'), d('nodelifecycle'), d('bootstrapsigner', false)];

describe('selectControllers', () => {
  it.each([
    [['*'], ['replicaset', 'deployment', 'nodelifecycle']],
    [['*', '-nodelifecycle'], ['replicaset', 'deployment']],
    [['*', 'bootstrapsigner'], ['replicaset', 'deployment', 'nodelifecycle', 'bootstrapsigner']],
    [['replicaset'], ['replicaset']],
    [['replicaset-controller', 'deployment'], ['replicaset', 'deployment']],
    [['*', '-node-lifecycle-controller', '-replicaset'], ['deployment']],
    [['replicaset', '-replicaset'], []],
  ])('%j → %j', (spec, names) => expect(selectControllers(spec, REGISTRY).map((c) => c.name)).toEqual(names));

  it('knows the storage controllers by upstream short and long names', () => {
    const names = BUILTIN_CONTROLLERS.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['persistentvolume-binder', 'pvc-protection', 'pv-protection', 'ephemeral-volume', 'hostpath-provisioner']));
    const long = ['persistentvolume-binder-controller', 'persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller', 'ephemeral-volume-controller'];
    expect(selectControllers(long, BUILTIN_CONTROLLERS).map((c) => c.name)).toEqual(['persistentvolume-binder', 'pvc-protection', 'pv-protection', 'ephemeral-volume']);
  });

  it('knows the autoscaler by upstream short and long names, on by default', () => {
    expect(selectControllers(['*'], BUILTIN_CONTROLLERS).map((c) => c.name)).toContain('horizontalpodautoscaling');
    expect(selectControllers(['horizontal-pod-autoscaler-controller'], BUILTIN_CONTROLLERS).map((c) => c.name)).toEqual(['horizontalpodautoscaling']);
  });

  it('knows the replication controller by upstream short and long names, on by default', () => {
    expect(selectControllers(['*'], BUILTIN_CONTROLLERS).map((c) => c.name)).toContain('replicationcontroller');
    expect(selectControllers(['replicationcontroller-controller'], BUILTIN_CONTROLLERS).map((c) => c.name)).toEqual(['replicationcontroller']);
  });

  it('knows the EndpointSlice mirroring controller by upstream short and long names, on by default', () => {
    expect(selectControllers(['*'], BUILTIN_CONTROLLERS).map((c) => c.name)).toContain('endpointslicemirroring');
    expect(selectControllers(['endpointslice-mirroring-controller'], BUILTIN_CONTROLLERS).map((c) => c.name)).toEqual(['endpointslicemirroring']);
    expect(selectControllers(['*', '-endpointslice-mirroring-controller'], BUILTIN_CONTROLLERS).map((c) => c.name)).not.toContain('endpointslicemirroring');
  });

  it('names every unknown controller', () => {
    expect(() => selectControllers(['*', 'nope', '-nada'], REGISTRY)).toThrow('"nope", "nada" are not in the list of known controllers: bootstrapsigner, deployment, nodelifecycle, replicaset');
  });
});
