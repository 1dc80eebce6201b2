import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { runWrite, testContext, testInfo } from './admission-test-kit.ts';
import { createDefaultTolerationSecondsPlugin, withDefaultTolerations, type PodToleration } from './default-toleration-seconds.ts';

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('withDefaultTolerations', () => {
  it.each<[string, PodToleration[] | undefined, PodToleration[] | undefined]>([
    ['no tolerations: both added', undefined, [NOT_READY, UNREACHABLE]],
    ['unrelated toleration kept first', [{ key: 'gpu', operator: 'Exists' }], [{ key: 'gpu', operator: 'Exists' }, NOT_READY, UNREACHABLE]],
    ['not-ready tolerated: only unreachable added', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, UNREACHABLE]],
    ['empty effect counts', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY]],
    ['a NoSchedule toleration does not', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE]],
    ['tolerate everything: nothing added', [{ operator: 'Exists' }], undefined],
    ['empty key with NoExecute: nothing added', [{ operator: 'Exists', effect: 'NoExecute' }], undefined],
    ['both present: nothing added', [NOT_READY, UNREACHABLE], undefined],
  ])('%s', (_name, tolerations, want) => expect(withDefaultTolerations(tolerations)).toEqual(want));

  it('uses the configured seconds', () => {
    expect(withDefaultTolerations([], { notReadyTolerationSeconds: 60, unreachableTolerationSeconds: 120 })).toEqual([{ ...NOT_READY, tolerationSeconds: 60 }, { ...UNREACHABLE, tolerationSeconds: 120 }]);
  });
});

describe('DefaultTolerationSeconds admission', () => {
  const PODS = testInfo('', 'Pod', 'pods', true);
  const pod = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
  const plugins = [createDefaultTolerationSecondsPlugin()];

  it('adds the tolerations on create and on update, never on subresources or other kinds', async () => {
    const ctx = testContext();
    const created = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'p', object: pod('p') });
    expect((created?.spec as { tolerations: unknown[] }).tolerations).toEqual([NOT_READY, UNREACHABLE]);
    const updated = await runWrite(ctx, plugins, { operation: 'UPDATE', info: PODS, namespace: 'default', name: 'p', object: pod('p') });
    expect((updated?.spec as { tolerations: unknown[] }).tolerations).toEqual([NOT_READY, UNREACHABLE]);
    const status = await runWrite(ctx, plugins, { operation: 'UPDATE', info: PODS, subresource: 'status', namespace: 'default', name: 'p', object: pod('p') });
    expect((status?.spec as { tolerations?: unknown[] }).tolerations).toBeUndefined();
    const cm = await runWrite(ctx, plugins, { operation: 'CREATE', info: testInfo('', 'ConfigMap', 'configmaps', true), namespace: 'default', name: 'c', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } } });
    expect(cm?.spec).toBeUndefined();
  });
});
