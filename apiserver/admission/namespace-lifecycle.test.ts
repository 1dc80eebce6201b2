import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { ApiError } from '../../pkg/errors/index.ts';
import { CONFIGMAPS, NAMESPACES, runWrite, testContext, type TestWrite } from './admission-test-kit.ts';
import { createNamespaceLifecyclePlugin } from './namespace-lifecycle.ts';

function namespace(name: string, phase: 'Active' | 'Terminating' = 'Active'): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase } };
}

function configMap(name: string, ns: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '1' } };
}

async function setup() {
  let clock = 1_000;
  const ctx = testContext();
  const plugin = createNamespaceLifecyclePlugin(ctx, { cacheTtlMs: 1000, now: () => clock });
  for (const ns of ['default', 'kube-system', 'kube-public', 'team']) await ctx.storage.create(`/registry/namespaces/${ns}`, namespace(ns));
  await ctx.storage.create('/registry/namespaces/leaving', namespace('leaving', 'Terminating'));
  await ctx.storage.create('/registry/configmaps/leaving/old', configMap('old', 'leaving'));
  const write = (w: TestWrite) => runWrite(ctx, [plugin], w);
  return { ctx, write, advance: (ms: number) => (clock += ms) };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return `${err.code} ${err.reason}: ${err.message}`;
  }
}

describe('NamespaceLifecycle', () => {
  it.each<[string, TestWrite, string]>([
    ['create in an existing namespace', { operation: 'CREATE', info: CONFIGMAPS, namespace: 'team', name: 'c', object: configMap('c', 'team') }, 'ok'],
    ['create in a missing namespace', { operation: 'CREATE', info: CONFIGMAPS, namespace: 'nope', name: 'c', object: configMap('c', 'nope') }, '404 NotFound: namespaces "nope" not found'],
    ['create in a terminating namespace', { operation: 'CREATE', info: CONFIGMAPS, namespace: 'leaving', name: 'c', object: configMap('c', 'leaving') }, '403 Forbidden: configmaps "c" is forbidden: unable to create new content in namespace leaving because it is being terminated'],
    ['update in a terminating namespace', { operation: 'UPDATE', info: CONFIGMAPS, namespace: 'leaving', name: 'old', object: configMap('old', 'leaving') }, 'ok'],
    ['delete in a terminating namespace', { operation: 'DELETE', info: CONFIGMAPS, namespace: 'leaving', name: 'old' }, 'ok'],
    ['delete default', { operation: 'DELETE', info: NAMESPACES, name: 'default' }, '403 Forbidden: namespaces "default" is forbidden: this namespace may not be deleted'],
    ['delete kube-system', { operation: 'DELETE', info: NAMESPACES, name: 'kube-system' }, '403 Forbidden: namespaces "kube-system" is forbidden: this namespace may not be deleted'],
    ['delete kube-public', { operation: 'DELETE', info: NAMESPACES, name: 'kube-public' }, '403 Forbidden: namespaces "kube-public" is forbidden: this namespace may not be deleted'],
    ['delete another namespace', { operation: 'DELETE', info: NAMESPACES, name: 'team' }, 'ok'],
    ['create a namespace', { operation: 'CREATE', info: NAMESPACES, name: 'fresh', object: namespace('fresh') }, 'ok'],
  ])('%s → %s', async (_title, w, expected) => {
    const t = await setup();
    expect(await outcome(t.write(w))).toBe(expected);
  });

  it('reports the NamespaceTerminating cause as upstream', async () => {
    const t = await setup();
    try {
      await t.write({ operation: 'CREATE', info: CONFIGMAPS, namespace: 'leaving', name: 'c', object: configMap('c', 'leaving') });
      expect.unreachable();
    } catch (err) {
      expect((err as ApiError).details).toEqual({
        name: 'c',
        kind: 'configmaps',
        causes: [{ reason: 'NamespaceTerminating', message: 'namespace leaving is being terminated', field: 'metadata.namespace' }],
      });
    }
  });

  it('a namespace can be used right after it was created, even after a miss', async () => {
    const t = await setup();
    const cm = { operation: 'CREATE', info: CONFIGMAPS, namespace: 'new', name: 'c', object: configMap('c', 'new') } as const;
    expect(await outcome(t.write(cm))).toContain('404');
    await t.write({ operation: 'CREATE', info: NAMESPACES, name: 'new', object: namespace('new') });
    expect(await outcome(t.write(cm))).toBe('ok');
  });

  it('sees a namespace turn Terminating: at once through this server, within the TTL otherwise', async () => {
    const t = await setup();
    const cm = (name: string) => ({ operation: 'CREATE', info: CONFIGMAPS, namespace: 'team', name, object: configMap(name, 'team') }) as const;
    expect(await outcome(t.write(cm('a')))).toBe('ok');
    // Another server marks it Terminating directly in storage: the cached Active answer holds for the TTL.
    await t.ctx.storage.update('/registry/namespaces/team', namespace('team', 'Terminating'));
    expect(await outcome(t.write(cm('b')))).toBe('ok');
    t.advance(1001);
    expect(await outcome(t.write(cm('c')))).toContain('403 Forbidden');
    // Through this server: a namespace write evicts the cache entry on commit.
    await t.write({ operation: 'UPDATE', info: NAMESPACES, name: 'team', object: namespace('team', 'Active') });
    expect(await outcome(t.write(cm('d')))).toBe('ok');
    await t.write({ operation: 'UPDATE', info: NAMESPACES, name: 'team', object: namespace('team', 'Terminating') });
    expect(await outcome(t.write(cm('e')))).toContain('403 Forbidden');
  });

  it('ignores cluster-scoped resources', async () => {
    const t = await setup();
    const nodes = { ...NAMESPACES, kind: 'Node', plural: 'nodes' };
    expect(await outcome(t.write({ operation: 'CREATE', info: nodes, name: 'n1', object: { metadata: { name: 'n1' } } }))).toBe('ok');
  });
});
