import { describe, expect, it } from 'vitest';
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

  it('names every unknown controller', () => {
    expect(() => selectControllers(['*', 'nope', '-nada'], REGISTRY)).toThrow('"nope", "nada" are not in the list of known controllers: bootstrapsigner, deployment, nodelifecycle, replicaset');
  });
});
