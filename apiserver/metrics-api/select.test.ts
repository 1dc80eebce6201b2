import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { compileFieldSelector, compileLabelSelector } from '../request/selectors.ts';
import { planNodeFetches, planPodFetches, type MetricsQuery, type Selectable } from './select.ts';

const node = (name: string, labels: Record<string, string> = {}): Selectable => ({ metadata: { name, labels } });
const pod = (namespace: string, name: string, nodeName: string | undefined, labels: Record<string, string> = {}): Selectable => ({ metadata: { namespace, name, labels }, spec: nodeName ? { nodeName } : {} });
const query = (q: { namespace?: string; name?: string; labelSelector?: string; fieldSelector?: string }): MetricsQuery => {
  const labels = compileLabelSelector(q.labelSelector);
  const fields = compileFieldSelector(q.fieldSelector, {});
  return { namespace: q.namespace, name: q.name, matches: (o: KubeObject) => labels(o) && fields(o) };
};

const nodes = [node('n2', { zone: 'b' }), node('n1', { zone: 'a' }), node('n3', { zone: 'a' })];
const nodeMap = new Map(nodes.map((n) => [n.metadata.name as string, n]));
const pods = [
  pod('default', 'web-2', 'n2', { app: 'web' }),
  pod('default', 'web-1', 'n1', { app: 'web' }),
  pod('default', 'db', 'n1', { app: 'db' }),
  pod('kube-system', 'dns', 'n2', { app: 'dns' }),
  pod('default', 'pending', undefined, { app: 'web' }),
  pod('default', 'lost', 'gone', { app: 'web' }),
];

const shape = (plan: ReturnType<typeof planPodFetches>) => plan.map((f) => [f.node.metadata.name, f.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)]);

describe('nodes a NodeMetrics request asks', () => {
  it.each([
    [{}, ['n1', 'n2', 'n3']],
    [{ name: 'n2' }, ['n2']],
    [{ name: 'nope' }, []],
    [{ labelSelector: 'zone=a' }, ['n1', 'n3']],
    [{ labelSelector: 'zone!=a' }, ['n2']],
    [{ fieldSelector: 'metadata.name=n3' }, ['n3']],
    [{ fieldSelector: 'metadata.name!=n3', labelSelector: 'zone=a' }, ['n1']],
  ])('%j → %j (by name)', (q, names) => {
    expect(planNodeFetches(nodes, query(q)).map((f) => f.node.metadata.name)).toEqual(names);
  });
});

describe('nodes a PodMetrics request asks, with their pods', () => {
  it.each([
    ['the namespace', { namespace: 'default' }, [['n1', ['default/db', 'default/web-1']], ['n2', ['default/web-2']]]],
    ['all namespaces', {}, [['n1', ['default/db', 'default/web-1']], ['n2', ['default/web-2', 'kube-system/dns']]]],
    ['one pod', { namespace: 'default', name: 'web-2' }, [['n2', ['default/web-2']]]],
    ['a label selector', { namespace: 'default', labelSelector: 'app=web' }, [['n1', ['default/web-1']], ['n2', ['default/web-2']]]],
    ['a namespace field selector across namespaces', { fieldSelector: 'metadata.namespace=kube-system' }, [['n2', ['kube-system/dns']]]],
    ['a selector nothing matches', { labelSelector: 'app=nope' }, []],
    ['an unscheduled pod (no kubelet to ask)', { namespace: 'default', name: 'pending' }, []],
    ['a pod on an unknown node', { namespace: 'default', name: 'lost' }, []],
  ])('%s', (_what, q, expected) => {
    expect(shape(planPodFetches(pods, nodeMap, query(q)))).toEqual(expected);
  });
});
