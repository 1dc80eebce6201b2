import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { EnvError, expandVars, resolveEnv, type EnvSources } from './env.ts';

const sources: EnvSources = {
  configMap: (_ns, name) => (name === 'cfg' ? { LEVEL: 'debug', 'bad key': 'x', MODE: 'fast' } : undefined),
  secret: (_ns, name) => (name === 'sec' ? { PASSWORD: 's3cret' } : undefined),
  podIP: '10.244.1.5',
  podIPs: ['10.244.1.5'],
  hostIP: '192.168.1.10',
  nodeName: 'node-1',
  nodeAllocatable: { cpu: '2', memory: '4Gi' },
};

function pod(container: Record<string, unknown>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dapi', namespace: 'default', uid: 'u1', labels: { app: 'x' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox', ...container }] } } as Pod;
}

describe('expandVars', () => {
  it.each([
    ['$(A)-$(B)', 'a-b'],
    ['$$(A)', '$(A)'],
    ['$(MISSING)', '$(MISSING)'],
    ['plain $ sign', 'plain $ sign'],
    ['$(A', '$(A'],
  ])('%s → %s', (input, out) => expect(expandVars(input, (n) => ({ A: 'a', B: 'b' })[n])).toBe(out));
});

describe('resolveEnv', () => {
  it('resolves envFrom, downward API, references and expansion in order', () => {
    const p = pod({
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASSWORD' } } },
        { name: 'URL', value: 'http://$(MY_POD_IP):80/$(CFG_MODE)' },
      ],
    });
    expect(resolveEnv(p, p.spec!.containers![0], sources)).toEqual([
      { key: 'CFG_LEVEL', value: 'debug' },
      { key: 'CFG_MODE', value: 'fast' },
      { key: 'MY_NODE_NAME', value: 'node-1' },
      { key: 'MY_POD_NAME', value: 'dapi' },
      { key: 'MY_POD_IP', value: '10.244.1.5' },
      { key: 'APP', value: 'x' },
      { key: 'CPU_LIMIT', value: '2000' },
      { key: 'PASS', value: 's3cret' },
      { key: 'URL', value: 'http://10.244.1.5:80/fast' },
    ]);
  });

  it("skips envFrom keys that are no variable names with upstream's InvalidEnvironmentVariableNames message, dotted keys kept", () => {
    const said: string[] = [];
    const p = pod({ envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'sec' } }] });
    const data = { 'game.properties': 'lives=3', 'bad key': 'x', '1st': 'y' };
    const env = resolveEnv(p, p.spec!.containers![0], { ...sources, configMap: () => data, invalidNames: (m) => said.push(m) });
    expect(env).toEqual([{ key: 'CFG_game.properties', value: 'lives=3' }, { key: 'CFG_1st', value: 'y' }, { key: 'PASSWORD', value: 's3cret' }]);
    expect(said).toEqual(['Keys [CFG_bad key] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names.']);
  });

  it.each([
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOKEY' } } }] }, "couldn't find key NOKEY in ConfigMap default/cfg"],
  ])('missing sources are EnvErrors: %j', (c, message) => {
    const p = pod(c);
    expect(() => resolveEnv(p, p.spec!.containers![0], sources)).toThrow(new EnvError(message));
  });

  it('skips optional missing sources', () => {
    const p = pod({ envFrom: [{ configMapRef: { name: 'nope', optional: true } }], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOKEY', optional: true } } }] });
    expect(resolveEnv(p, p.spec!.containers![0], sources)).toEqual([]);
  });
});
